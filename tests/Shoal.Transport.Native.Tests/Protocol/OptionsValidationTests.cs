using Shoal.Client.Native;
using Shoal.Server.Native;

namespace Shoal.Transport.Native.Tests.Protocol;

public sealed class OptionsValidationTests
{
    [Fact]
    public void DefaultOptions_AreValid()
    {
        Assert.Empty(NativeServerOptionsValidator.Failures(new NativeServerOptions()));
        Assert.Empty(NativeClientOptionsValidator.Failures(new NativeClientOptions()));
    }

    [Fact]
    public void InvalidServerOptions_EachNamesItsKey()
    {
        var options = new NativeServerOptions
        {
            MaxConcurrentCallsPerConnection = 0,
            MaxConnections = -1,
            FrameAssemblyBudget = 0,
            ConnectionWindowSize = 100,
            MaxOutputBufferSize = 10,
            MinReceiveDataRate = -1,
            MinSendDataRate = 240,
            MinSendDataRateGracePeriod = TimeSpan.Zero,
            IdleTimeout = TimeSpan.Zero,
            MaxCallResetsPerSecond = -5,
        };

        var failures = NativeServerOptionsValidator.Failures(options, "Shoal:Server:Native:");

        foreach (var key in new[] { "MaxConcurrentCallsPerConnection", "MaxConnections", "FrameAssemblyBudget", "ConnectionWindowSize", "MaxOutputBufferSize", "MinReceiveDataRate", "MinSendDataRateGracePeriod", "IdleTimeout", "MaxCallResetsPerSecond" })
        {
            Assert.Contains(failures, f => f.StartsWith("Shoal:Server:Native:" + key + " ", StringComparison.Ordinal));
        }
        Assert.Equal(9, failures.Count);
    }

    [Fact]
    public void InvalidOptions_RefusedWhereTheyAreUsed()
    {
        Assert.Throws<ArgumentException>(() => new NativeConnectionFactory(new NativeClientOptions { MaxOutputBufferSize = 0 }));
        Assert.Throws<ArgumentException>(() => new NativeConnectionHandler(
            new NativeServiceTable(),
            Microsoft.Extensions.Options.Options.Create(new NativeServerOptions { ConnectionWindowSize = 1 }),
            Microsoft.Extensions.Logging.Abstractions.NullLoggerFactory.Instance));
    }
}

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
            StreamWindowSize = (16 * 1024 * 1024) + 1,
            MaxOutputBufferSize = 10,
            MinReceiveDataRate = -1,
            MinSendDataRate = 240,
            MinSendDataRateGracePeriod = TimeSpan.Zero,
            IdleTimeout = TimeSpan.Zero,
            MaxCallResetsPerSecond = -5,
        };

        var failures = NativeServerOptionsValidator.Failures(options, "Shoal:Server:Native:");

        foreach (var key in new[] { "MaxConcurrentCallsPerConnection", "MaxConnections", "FrameAssemblyBudget", "ConnectionWindowSize", "StreamWindowSize", "MaxOutputBufferSize", "MinReceiveDataRate", "MinSendDataRateGracePeriod", "IdleTimeout", "MaxCallResetsPerSecond" })
        {
            Assert.Contains(failures, f => f.StartsWith("Shoal:Server:Native:" + key + " ", StringComparison.Ordinal));
        }
        Assert.Equal(10, failures.Count);
    }

    [Theory]
    [InlineData(64 * 1024, true)]
    [InlineData((64 * 1024) - 1, false)]
    [InlineData(16 * 1024 * 1024, true)]
    [InlineData((16 * 1024 * 1024) + 1, false)]
    public void StreamWindowSize_FromTheProtocolsInitialWindowToTheMostAPeerHonours(int size, bool valid)
    {
        var server = NativeServerOptionsValidator.Failures(new NativeServerOptions { StreamWindowSize = size });
        var client = NativeClientOptionsValidator.Failures(new NativeClientOptions { StreamWindowSize = size }, "Shoal:Client:Native:");

        Assert.Equal(valid, server.Count == 0);
        Assert.Equal(valid, client.Count == 0);
        Assert.All(client, f => Assert.StartsWith("Shoal:Client:Native:StreamWindowSize ", f, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(-1, false)]
    [InlineData(0, true)]
    [InlineData(1_000_000, true)]
    [InlineData(1_000_001, false)]
    public void ReceivePollTime_FromOffToOneSecond(long microseconds, bool valid)
    {
        var failures = NativeClientOptionsValidator.Failures(
            new NativeClientOptions { ReceivePollTime = TimeSpan.FromMicroseconds(microseconds) }, "Shoal:Client:Native:");

        Assert.Equal(valid, failures.Count == 0);
        Assert.All(failures, f => Assert.StartsWith("Shoal:Client:Native:ReceivePollTime ", f, StringComparison.Ordinal));
    }

    [Fact]
    public void StreamWindowSize_DefaultsToKestrelsHttp2StreamWindow()
    {
        Assert.Equal(768 * 1024, new NativeServerOptions().StreamWindowSize);
        Assert.Equal(768 * 1024, new NativeClientOptions().StreamWindowSize);
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

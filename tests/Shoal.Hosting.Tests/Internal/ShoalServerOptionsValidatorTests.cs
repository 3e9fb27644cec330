using Shoal.Hosting.Internal;
using Shoal.Hosting.Server;

namespace Shoal.Hosting.Tests.Internal;

public sealed class ShoalServerOptionsValidatorTests
{
    private readonly ShoalServerOptionsValidator _validator = new();

    [Fact]
    public void Validate_Defaults_Succeeds()
    {
        Assert.True(_validator.Validate(null, new ShoalServerOptions()).Succeeded);
    }

    [Theory]
    [InlineData("127.0.0.1")]
    [InlineData("::1")]
    [InlineData("[::1]")]
    [InlineData("localhost")]
    [InlineData("*")]
    [InlineData("0.0.0.0")]
    public void Validate_AcceptedHost_Succeeds(string host)
    {
        Assert.True(_validator.Validate(null, new ShoalServerOptions { Host = host }).Succeeded);
    }

    [Fact]
    public void Validate_EverythingWrong_ListsEveryKey()
    {
        var options = new ShoalServerOptions
        {
            Host = "greeter.example",
            TcpPort = 7000,
            GrpcPort = 7000,
            ShutdownGracePeriod = TimeSpan.FromSeconds(-1),
            CertificatePath = "/nonexistent/shoal.pfx",
        };

        var result = _validator.Validate(null, options);

        Assert.True(result.Failed);
        Assert.Contains("Shoal:Server:Host", result.FailureMessage, StringComparison.Ordinal);
        Assert.Contains("both 7000", result.FailureMessage, StringComparison.Ordinal);
        Assert.Contains("Shoal:Server:ShutdownGracePeriod", result.FailureMessage, StringComparison.Ordinal);
        Assert.Contains("Shoal:Server:CertificatePath", result.FailureMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void ParseHost_Localhost_IsLoopbackSoPortZeroWorks()
    {
        Assert.Equal(System.Net.IPAddress.Loopback, ShoalKestrelSetup.ParseHost("localhost"));
        Assert.Equal(System.Net.IPAddress.Any, ShoalKestrelSetup.ParseHost("*"));
        Assert.Equal(System.Net.IPAddress.IPv6Loopback, ShoalKestrelSetup.ParseHost("[::1]"));
    }
}

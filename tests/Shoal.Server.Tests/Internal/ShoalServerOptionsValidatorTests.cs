using System.Diagnostics.CodeAnalysis;
using Shoal.Discovery;
using Shoal.Server.Internal;

namespace Shoal.Server.Tests.Internal;

public sealed class ShoalServerOptionsValidatorTests
{
    private readonly ShoalServerOptionsValidator _validator = new([]);

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

    [Theory]
    [InlineData(4096, true)]
    [InlineData(16384, true)]
    [InlineData(65536, true)]
    [InlineData(0, false)]
    [InlineData(2048, false)]
    [InlineData(10000, false)]
    [InlineData(131072, false)]
    public void Validate_MemoryPoolBlockSize_AcceptsMultiplesOf4KiBUpTo64KiB(int size, bool accepted)
    {
        var result = _validator.Validate(null, new ShoalServerOptions { MemoryPoolBlockSize = size });

        Assert.Equal(accepted, result.Succeeded);
        if (!accepted)
        {
            Assert.Contains("Shoal:Server:MemoryPoolBlockSize", result.FailureMessage);
        }
    }

    [Theory]
    [InlineData(1, true)]
    [InlineData(10_000, true)]
    [InlineData(0, false)]
    [InlineData(-5, false)]
    public void Validate_GrpcMaxConnections_IsAtLeastOne(int max, bool accepted)
    {
        var result = _validator.Validate(null, new ShoalServerOptions { GrpcMaxConnections = max });

        Assert.Equal(accepted, result.Succeeded);
        if (!accepted)
        {
            Assert.Contains("Shoal:Server:GrpcMaxConnections", result.FailureMessage);
        }
    }

    [Fact]
    public void ShoalServerOptions_GrpcMaxConnections_DefaultsToTheNativePortsLimit()
        => Assert.Equal(new Shoal.Server.Native.NativeServerOptions().MaxConnections, new ShoalServerOptions().GrpcMaxConnections);

    [Fact]
    public void ParseHost_Localhost_IsLoopbackSoPortZeroWorks()
    {
        Assert.Equal(System.Net.IPAddress.Loopback, ShoalKestrelSetup.ParseHost("localhost"));
        Assert.Equal(System.Net.IPAddress.Any, ShoalKestrelSetup.ParseHost("*"));
        Assert.Equal(System.Net.IPAddress.IPv6Loopback, ShoalKestrelSetup.ParseHost("[::1]"));
    }

    [Fact]
    public void Validate_EtcdRegistryWithoutItsProvider_NamesThePackageAndTheCall()
    {
        var result = _validator.Validate(null, new ShoalServerOptions { Registry = "etcd://127.0.0.1:2379" });

        Assert.True(result.Failed);
        Assert.Contains("Shoal:Server:Registry", result.FailureMessage, StringComparison.Ordinal);
        Assert.Contains("Shoal.Registry.Etcd", result.FailureMessage, StringComparison.Ordinal);
        Assert.Contains("AddShoalEtcd()", result.FailureMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_RegistrySchemeOfARegisteredProvider_AsksTheProvider()
    {
        var validator = new ShoalServerOptionsValidator([new SchemeOnlyProvider("acme")]);

        Assert.True(validator.Validate(null, new ShoalServerOptions { Registry = "acme://somewhere" }).Succeeded);
        var rejected = validator.Validate(null, new ShoalServerOptions { Registry = "acme://" });
        Assert.True(rejected.Failed);
        Assert.Contains("acme needs a host", rejected.FailureMessage, StringComparison.Ordinal);
    }

    private sealed class SchemeOnlyProvider(string scheme) : IServiceRegistryFactory
    {
        public bool Supports(string s) => string.Equals(s, scheme, StringComparison.OrdinalIgnoreCase);

        public bool TryValidate(string address, [NotNullWhen(false)] out string? error)
        {
            error = address.Length > scheme.Length + 3 ? null : $"{scheme} needs a host";
            return error is null;
        }

        public IServiceRegistry Create(string address, IServiceProvider services) => throw new NotSupportedException();
    }
}

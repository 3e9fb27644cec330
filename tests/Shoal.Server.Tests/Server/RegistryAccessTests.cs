using Grpc.Core;
using Hello;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Shoal.Client;
using Shoal.Server.Registry;
using Shoal.Server.Tests.Infrastructure;

namespace Shoal.Server.Tests.Server;

/// <summary>
/// The embedded registry served by a Shoal host with TLS and a token: a server registers with the
/// token over TLS, a cluster client with the token calls it, a client without it is told why; and a
/// registry without a token does not start on a non-loopback address.
/// </summary>
public sealed class RegistryAccessTests : IDisposable
{
    private const string Service = "hello.Greeter";
    private readonly TestCertificates _ca = new();
    private readonly string _tokenFile = Path.Combine(Path.GetTempPath(), $"shoal-token-{Guid.NewGuid():N}");

    public RegistryAccessTests() => File.WriteAllText(_tokenFile, "cluster-token-7d1e\n");

    public void Dispose()
    {
        _ca.Dispose();
        File.Delete(_tokenFile);
    }

    [Fact]
    public async Task TlsRegistryWithToken_ServerRegistersAndMemberCalls_ClientWithoutTokenUnauthenticated()
    {
        var certificate = _ca.IssueServer();
        await using var registry = await TestHost.StartAsync(
            only: TestTransport.Native,
            configure: o => UseTls(o, certificate),
            services: s => s.AddEmbeddedRegistry(),
            builder: b => b.Services.Configure<EmbeddedRegistryOptions>(o => o.TokenFile = _tokenFile));
        var registryAddress = $"registry://127.0.0.1:{registry.Addresses.Native!.Port}";
        await using var greeter = await TestHost.StartAsync(
            only: TestTransport.Native,
            configure: o =>
            {
                UseTls(o, certificate);
                o.Registry = registryAddress;
                o.RegistryTokenFile = _tokenFile;
                o.RegistryTls.CaPath = _ca.AuthorityPath;
                o.InstanceId = "greeter-1";
            });

        using var member = ShoalChannel.ForTarget($"{registryAddress}/{Service}", new ShoalChannelOptions { Tls = { CaPath = _ca.AuthorityPath }, RegistryTokenFile = _tokenFile });
        var reply = await new Greeter.GreeterClient(member).SayHelloAsync(new HelloRequest { Name = "member" }, deadline: TestHost.Deadline());

        using var stranger = ShoalChannel.ForTarget($"{registryAddress}/{Service}", new ShoalChannelOptions { Tls = { CaPath = _ca.AuthorityPath } });
        var error = await Assert.ThrowsAsync<RpcException>(() => new Greeter.GreeterClient(stranger).SayHelloAsync(new HelloRequest { Name = "stranger" }, deadline: TestHost.Deadline()).ResponseAsync);

        Assert.Contains("member", reply.Message);
        Assert.Equal(StatusCode.Unauthenticated, error.StatusCode);
        Assert.Contains("requires a token", error.Status.Detail);
    }

    [Fact]
    public async Task ServerWithAWrongToken_FailsToStartNamingTheRegistry()
    {
        await using var registry = await TestHost.StartAsync(
            only: TestTransport.Native,
            services: s => s.AddEmbeddedRegistry(),
            builder: b => b.Services.Configure<EmbeddedRegistryOptions>(o => o.TokenFile = _tokenFile));
        var wrong = Path.Combine(Path.GetTempPath(), $"shoal-token-{Guid.NewGuid():N}");
        await File.WriteAllTextAsync(wrong, "not-the-token");
        try
        {
            var error = await Assert.ThrowsAsync<InvalidOperationException>(() => TestHost.StartAsync(configure: o =>
            {
                o.Registry = $"registry://127.0.0.1:{registry.Addresses.Native!.Port}";
                o.RegistryTokenFile = wrong;
            }));

            Assert.Contains("Registering with registry://", error.Message);
            Assert.Contains("token is not valid", error.Message);
        }
        finally
        {
            File.Delete(wrong);
        }
    }

    [Theory]
    [InlineData("0.0.0.0")]
    [InlineData("*")]
    public async Task RegistryWithoutToken_OnANonLoopbackAddress_RefusesToStart(string host)
    {
        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => TestHost.StartAsync(
            configure: o => o.Host = host,
            services: s => s.AddEmbeddedRegistry()));

        Assert.Contains("TokenFile", error.Message);
        Assert.Contains("AllowUnauthenticated", error.Message);
    }

    [Fact]
    public async Task RegistryWithAMissingTokenFile_RefusesToStartNamingTheKey()
    {
        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => TestHost.StartAsync(
            services: s => s.AddEmbeddedRegistry(),
            builder: b => b.Services.Configure<EmbeddedRegistryOptions>(o => o.TokenFile = _tokenFile + ".missing")));

        Assert.Contains("Shoal:Registry:TokenFile", error.Message);
        Assert.Contains("does not exist", error.Message);
    }

    private static void UseTls(ShoalServerOptions options, (string Certificate, string Key) certificate)
    {
        options.Tls.CertificatePath = certificate.Certificate;
        options.Tls.KeyPath = certificate.Key;
    }
}

using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Grpc.Core;
using Hello;
using Shoal.Client;

using Shoal.Server.Tests.Infrastructure;

namespace Shoal.Server.Tests.Client;

/// <summary>Per-call credentials reach the server on the native transport, only over TLS unless the channel opts in.</summary>
public sealed class CallCredentialsTests
{
    private readonly TestTokens _tokens = new();

    [Fact]
    public async Task NativePlaintext_CallCredentialsWithoutOptIn_FailUnauthenticatedBeforeSending()
    {
        var fetched = 0;
        await using var host = await StartAsync(configure: null);
        await using var channel = host.Channel(TestTransport.Native);
        var credentials = CallCredentials.FromInterceptor((_, metadata) =>
        {
            Interlocked.Increment(ref fetched);
            metadata.Add("authorization", "Bearer " + _tokens.Create("alice", "greeter"));
            return Task.CompletedTask;
        });

        var error = await Assert.ThrowsAsync<RpcException>(() => new Greeter.GreeterClient(channel)
            .SayHelloAsync(new HelloRequest { Name = "a" }, new CallOptions(deadline: TestHost.Deadline(), credentials: credentials)).ResponseAsync);

        Assert.Equal(StatusCode.Unauthenticated, error.StatusCode);
        Assert.Contains("only sent over TLS", error.Status.Detail, StringComparison.Ordinal);
        Assert.Equal(0, fetched);
    }

    [Theory]
    [InlineData(TestTransport.Native)]
    [InlineData(TestTransport.Grpc)]
    public async Task Plaintext_CallCredentialsWithOptIn_AreSent(TestTransport transport)
    {
        await using var host = await StartAsync(configure: null);
        var options = new ShoalChannelOptions();
        options.Native.UnsafeUseInsecureChannelCallCredentials = true;
        options.Grpc.UnsafeUseInsecureChannelCallCredentials = true;
        await using var channel = host.Channel(transport, options);

        var reply = await new Greeter.GreeterClient(channel).SayHelloAsync(new HelloRequest { Name = "a" }, new CallOptions(deadline: TestHost.Deadline(), credentials: Bearer("alice")));

        Assert.Equal("Hello a from alice", reply.Message);
    }

    [Fact]
    public async Task NativeTls_AsyncCallCredentials_AreSent()
    {
        using var certificate = CreateSelfSigned();
        await using var host = await StartAsync(configure: o => o.Certificate = certificate);
        var options = new ShoalChannelOptions();
        options.Native.Tls = new SslClientAuthenticationOptions
        {
            TargetHost = "localhost",
            // Pinned: only the certificate this test made is accepted.
            RemoteCertificateValidationCallback = (_, presented, _, _) => presented is not null && presented.GetCertHashString() == certificate.GetCertHashString(),
        };
        await using var channel = host.Channel(TestTransport.Native, options);
        var credentials = CallCredentials.FromInterceptor(async (_, metadata) =>
        {
            await Task.Yield();
            metadata.Add("authorization", "Bearer " + _tokens.Create("tls-alice", "greeter"));
        });

        var reply = await new Greeter.GreeterClient(channel).SayHelloAsync(new HelloRequest { Name = "a" }, new CallOptions(deadline: TestHost.Deadline(), credentials: credentials));

        Assert.Equal("Hello a from tls-alice", reply.Message);
    }

    [Fact]
    public async Task ClusterChannel_TwoInstances_EveryAttemptCarriesTheCredentials()
    {
        await using var first = await StartAsync(configure: null);
        await using var second = await StartAsync(configure: null);
        var options = new ShoalChannelOptions();
        options.Native.UnsafeUseInsecureChannelCallCredentials = true;
        await using var channel = ShoalChannel.ForTarget(
            $"static://{first.Addresses.Native!.Authority},{second.Addresses.Native!.Authority}?lb=round_robin", options);
        var fetched = 0;
        var credentials = CallCredentials.FromInterceptor((_, metadata) =>
        {
            Interlocked.Increment(ref fetched);
            metadata.Add("authorization", "Bearer " + _tokens.Create("carol", "greeter"));
            return Task.CompletedTask;
        });
        var client = new Greeter.GreeterClient(channel);

        for (var i = 0; i < 6; i++)
        {
            var reply = await client.SayHelloAsync(new HelloRequest { Name = "c" }, new CallOptions(deadline: TestHost.Deadline(), credentials: credentials));
            Assert.Equal("Hello c from carol", reply.Message);
        }
        Assert.Equal(6, fetched);
    }

    private Task<TestHost> StartAsync(Action<Shoal.Server.ShoalServerOptions>? configure)
        => TestHost.StartAsync(configure: configure, services: s => s.AddService<AuthorizedGreeter>(), builder: b => _tokens.AddTo(b));

    private CallCredentials Bearer(string name) => CallCredentials.FromInterceptor((_, metadata) =>
    {
        metadata.Add("authorization", "Bearer " + _tokens.Create(name, "greeter"));
        return Task.CompletedTask;
    });

    private static X509Certificate2 CreateSelfSigned()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=localhost", key, HashAlgorithmName.SHA256);
        var san = new SubjectAlternativeNameBuilder();
        san.AddDnsName("localhost");
        request.CertificateExtensions.Add(san.Build());
        using var created = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddHours(1));
        return X509CertificateLoader.LoadPkcs12(created.Export(X509ContentType.Pfx), null);
    }
}

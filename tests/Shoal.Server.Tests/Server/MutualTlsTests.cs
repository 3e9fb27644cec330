using Grpc.Core;
using Hello;
using Shoal.Client;
using Shoal.Server.Tests.Infrastructure;

namespace Shoal.Server.Tests.Server;

/// <summary>
/// Mutual TLS on both ports with a certificate authority made in the test; no test trusts any
/// certificate: the client checks the server against the test's authority, the server the client.
/// </summary>
public sealed class MutualTlsTests : IDisposable
{
    private readonly TestCertificates _ca = new();

    public void Dispose() => _ca.Dispose();

    [Theory]
    [InlineData(TestTransport.Native)]
    [InlineData(TestTransport.Grpc)]
    public async Task ClientCertificateOfTheTrustedCa_Accepted_HandlerSeesPeerIdentity(TestTransport transport)
    {
        await using var host = await StartAsync(_ca.IssueServer());
        var client = _ca.IssueClient("client-a");

        var reply = await SayHello(host, transport, new ShoalClientTlsOptions { CaPath = _ca.AuthorityPath, CertificatePath = client.Certificate, KeyPath = client.Key });

        // grpc-dotnet's AuthContext has no transport_security_type; the native one says "ssl" as grpc-core's does.
        Assert.Equal(transport == TestTransport.Native ? "True x509_subject_alternative_name client-a cn=client-a ssl" : "True x509_subject_alternative_name client-a cn=client-a ", reply);
    }

    [Theory]
    [InlineData(TestTransport.Native)]
    [InlineData(TestTransport.Grpc)]
    public async Task ClientCertificateOfAnotherCa_Refused(TestTransport transport)
    {
        using var stranger = new TestCertificates("Stranger CA");
        await using var host = await StartAsync(_ca.IssueServer());
        var client = stranger.IssueClient("mallory");

        await AssertRefused(host, transport, new ShoalClientTlsOptions { CaPath = _ca.AuthorityPath, CertificatePath = client.Certificate, KeyPath = client.Key });
    }

    [Theory]
    [InlineData(TestTransport.Native)]
    [InlineData(TestTransport.Grpc)]
    public async Task ExpiredClientCertificate_Refused(TestTransport transport)
    {
        await using var host = await StartAsync(_ca.IssueServer());
        var client = _ca.IssueClient("client-old", expired: true);

        await AssertRefused(host, transport, new ShoalClientTlsOptions { CaPath = _ca.AuthorityPath, CertificatePath = client.Certificate, KeyPath = client.Key });
    }

    [Theory]
    [InlineData(TestTransport.Native)]
    [InlineData(TestTransport.Grpc)]
    public async Task NoClientCertificate_Refused(TestTransport transport)
    {
        await using var host = await StartAsync(_ca.IssueServer());

        await AssertRefused(host, transport, new ShoalClientTlsOptions { CaPath = _ca.AuthorityPath });
    }

    [Theory]
    [InlineData(TestTransport.Native)]
    [InlineData(TestTransport.Grpc)]
    public async Task ServerCertificateForAnotherHostName_ClientRefuses(TestTransport transport)
    {
        await using var host = await StartAsync(_ca.IssueServer("other.example", forLoopback: false));
        var client = _ca.IssueClient("client-a");

        await AssertRefused(host, transport, new ShoalClientTlsOptions { CaPath = _ca.AuthorityPath, CertificatePath = client.Certificate, KeyPath = client.Key });
    }

    [Theory]
    [InlineData(TestTransport.Native)]
    [InlineData(TestTransport.Grpc)]
    public async Task ServerCertificateOfAnUnknownCa_ClientRefuses(TestTransport transport)
    {
        using var other = new TestCertificates("Other CA");
        await using var host = await StartAsync(_ca.IssueServer());
        var client = _ca.IssueClient("client-a");

        await AssertRefused(host, transport, new ShoalClientTlsOptions { CaPath = other.AuthorityPath, CertificatePath = client.Certificate, KeyPath = client.Key });
    }

    [Fact]
    public async Task NativePort_Alpn_NegotiatesShoal()
    {
        await using var host = await StartAsync(_ca.IssueServer());
        var client = _ca.IssueClient("client-a");
        var tls = new ShoalClientTlsOptions { CaPath = _ca.AuthorityPath, CertificatePath = client.Certificate, KeyPath = client.Key }.ApplyTo(null);
        tls.TargetHost = "127.0.0.1";
        tls.ApplicationProtocols = [System.Net.Security.SslApplicationProtocol.Http2, Shoal.Client.Native.NativeTls.ApplicationProtocol];
        using var socket = new System.Net.Sockets.TcpClient();
        await socket.ConnectAsync(System.Net.IPAddress.Loopback, host.Addresses.Native!.Port).WaitAsync(TestHost.Timeout);
        await using var ssl = new System.Net.Security.SslStream(socket.GetStream());

        await ssl.AuthenticateAsClientAsync(tls).WaitAsync(TestHost.Timeout);

        Assert.Equal(Shoal.Client.Native.NativeTls.ApplicationProtocol, ssl.NegotiatedApplicationProtocol);
    }

    private Task<TestHost> StartAsync((string Certificate, string Key) server)
        => TestHost.StartAsync(
            configure: o =>
            {
                o.Tls.CertificatePath = server.Certificate;
                o.Tls.KeyPath = server.Key;
                o.Tls.ClientCaPath = _ca.AuthorityPath;
            },
            services: s => s.AddService<PeerGreeter>());

    private static async Task<string> SayHello(TestHost host, TestTransport transport, ShoalClientTlsOptions tls)
    {
        await using var channel = host.Channel(transport, new ShoalChannelOptions { Tls = tls });
        var reply = await new Greeter.GreeterClient(channel).SayHelloAsync(new HelloRequest { Name = "a" }, deadline: TestHost.Deadline());
        return reply.Message;
    }

    /// <remarks>
    /// The native client reports a failed handshake as <c>Unavailable</c>. grpc-dotnet reports it as
    /// <c>Unavailable</c> or <c>Internal</c> ("Error starting gRPC call"), depending on whether the
    /// refusal surfaces during its handshake or on its first read (TLS 1.3 checks the client
    /// certificate after the client's side of the handshake is done).
    /// </remarks>
    private static async Task AssertRefused(TestHost host, TestTransport transport, ShoalClientTlsOptions tls)
    {
        var error = await Assert.ThrowsAsync<RpcException>(() => SayHello(host, transport, tls));
        if (transport == TestTransport.Native)
        {
            Assert.Equal(StatusCode.Unavailable, error.StatusCode);
        }
        else
        {
            Assert.Contains(error.StatusCode, new[] { StatusCode.Unavailable, StatusCode.Internal });
        }
    }
}

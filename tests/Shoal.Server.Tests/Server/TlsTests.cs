using System.Net;
using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Grpc.Core;
using Hello;
using Shoal.Client;
using Shoal.Server.Tests.Infrastructure;

namespace Shoal.Server.Tests.Server;

public sealed class TlsTests
{
    [Theory]
    [InlineData(TestTransport.Native)]
    [InlineData(TestTransport.Grpc)]
    public async Task SelfSignedCertificate_TlsEndpoint_Answers(TestTransport transport)
    {
        using var certificate = CreateSelfSigned();
        await using var host = await TestHost.StartAsync(only: transport, configure: o => o.Certificate = certificate);
        var options = new ShoalChannelOptions { DangerousAcceptAnyServerCertificate = true };
        options.Native.Tls = new SslClientAuthenticationOptions { TargetHost = "localhost" };

        if (transport == TestTransport.Grpc)
        {
            Assert.Equal("https", host.Addresses.Grpc!.Scheme);
        }
        await using var channel = host.Channel(transport, options);
        var reply = await new Greeter.GreeterClient(channel).SayHelloAsync(new HelloRequest { Name = "tls" }, deadline: TestHost.Deadline());

        Assert.Equal("Hello tls", reply.Message);
    }

    [Fact]
    public async Task CertificatePath_PfxFileWithPassword_ServesTlsOnBothPorts()
    {
        using var certificate = CreateSelfSigned();
        var path = Path.Combine(Path.GetTempPath(), $"shoal-{Guid.NewGuid():N}.pfx");
        await File.WriteAllBytesAsync(path, certificate.Export(X509ContentType.Pfx, "secret"));
        try
        {
            await using var host = await TestHost.StartAsync(configure: o => { o.CertificatePath = path; o.CertificatePassword = "secret"; });
            var options = new ShoalChannelOptions { DangerousAcceptAnyServerCertificate = true };
            options.Native.Tls = new SslClientAuthenticationOptions { TargetHost = "localhost" };

            Assert.Equal("https", host.Addresses.Grpc!.Scheme);
            foreach (var transport in new[] { TestTransport.Native, TestTransport.Grpc })
            {
                await using var channel = host.Channel(transport, options);
                var reply = await new Greeter.GreeterClient(channel).SayHelloAsync(new HelloRequest { Name = transport.ToString() }, deadline: TestHost.Deadline());
                Assert.Equal("Hello " + transport, reply.Message);
            }
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public async Task SelfSignedCertificate_ClientThatValidates_IsRefused()
    {
        using var certificate = CreateSelfSigned();
        await using var host = await TestHost.StartAsync(only: TestTransport.Grpc, configure: o => o.Certificate = certificate);
        await using var channel = host.Channel(TestTransport.Grpc);

        var error = await Assert.ThrowsAsync<RpcException>(async () =>
            await new Greeter.GreeterClient(channel).SayHelloAsync(new HelloRequest { Name = "tls" }, deadline: TestHost.Deadline()));

        Assert.Contains(error.StatusCode, new[] { StatusCode.Unavailable, StatusCode.Internal });
        Assert.Contains("SSL", error.Status.DebugException?.ToString() ?? error.Status.Detail, StringComparison.Ordinal);
    }

    private static X509Certificate2 CreateSelfSigned()
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=localhost", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName("localhost");
        names.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new System.Security.Cryptography.Oid("1.3.6.1.5.5.7.3.1")], critical: false));
        using var created = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
        // A PFX round trip gives a certificate whose private key SslStream can use on every platform.
        return X509CertificateLoader.LoadPkcs12(created.Export(X509ContentType.Pfx), password: null);
    }
}

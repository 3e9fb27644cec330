using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Grpc.Core;
using Grpc.Core.Interceptors;
using Hello;
using Shoal.Transport.Native.Tests.Infrastructure;

namespace Shoal.Transport.Native.Tests.Functional;

public sealed class TlsAndInterceptorTests
{
    [Fact]
    public async Task Tls_WithSelfSignedCertificate_CarriesUnaryAndStreamingCalls()
    {
        using var certificate = CreateCertificate();
        await using var server = await TestServer.StartAsync(certificate: certificate);
        await using var connection = TestClient.Connect(server.Address, o => o.Tls = TestClient.TrustAll());

        var reply = await connection.Greeter().SayHelloAsync(new HelloRequest { Name = "secure" }).ResponseAsync.Within();
        using var stream = connection.Streams().SayHelloMany(new ManyHellosRequest { Name = "s", Count = 5 });
        var count = 0;
        while (await stream.ResponseStream.MoveNext().Within())
        {
            count++;
        }

        Assert.Equal("Hello secure", reply.Message);
        Assert.Equal(5, count);
    }

    [Fact]
    public async Task PlaintextClient_AgainstTlsPort_DoesNotConnect()
    {
        using var certificate = CreateCertificate();
        await using var server = await TestServer.StartAsync(certificate: certificate);
        await using var connection = TestClient.Connect(server.Address, o => o.ConnectTimeout = TimeSpan.FromSeconds(2));

        var error = await Assert.ThrowsAsync<RpcException>(() => connection.Greeter().SayHelloAsync(new HelloRequest { Name = "x" }, deadline: DateTime.UtcNow.AddSeconds(5)).ResponseAsync.Within());

        Assert.True(error.StatusCode is StatusCode.Unavailable or StatusCode.DeadlineExceeded, error.Status.ToString());
    }

    [Fact]
    public async Task ServerInterceptors_RunInOrder_FirstIsOutermost()
    {
        var calls = new List<string>();
        await using var server = await TestServer.StartAsync(interceptors: [new RecordingInterceptor("outer", calls), new RecordingInterceptor("inner", calls)]);
        await using var connection = TestClient.Connect(server.Address);

        var reply = await connection.Greeter().SayHelloAsync(new HelloRequest { Name = "i" }).ResponseAsync.Within();
        using var stream = connection.Streams().SayHelloMany(new ManyHellosRequest { Name = "s", Count = 1 });
        while (await stream.ResponseStream.MoveNext().Within())
        {
        }

        Assert.Equal("Hello i", reply.Message);
        Assert.Equal(["outer:unary:/hello.Greeter/SayHello", "inner:unary:/hello.Greeter/SayHello", "outer:server-streaming:/hello.GreeterStreams/SayHelloMany", "inner:server-streaming:/hello.GreeterStreams/SayHelloMany"], calls);
    }

    [Fact]
    public async Task ClientInterceptor_AddsHeaderSeenByServer()
    {
        await using var server = await TestServer.StartAsync();
        await using var connection = TestClient.Connect(server.Address);
        var invoker = connection.Invoker.Intercept(metadata =>
        {
            metadata.Add("x-from-interceptor", "yes");
            return metadata;
        });

        var call = new Greeter.GreeterClient(invoker).SayHelloAsync(new HelloRequest { Name = "echo-headers" });
        var headers = await call.ResponseHeadersAsync.Within();
        await call.ResponseAsync.Within();

        Assert.Equal("yes", headers.GetValue("x-from-interceptor"));
    }

    private static X509Certificate2 CreateCertificate()
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=localhost", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var san = new SubjectAlternativeNameBuilder();
        san.AddDnsName("localhost");
        san.AddIpAddress(System.Net.IPAddress.Loopback);
        request.CertificateExtensions.Add(san.Build());
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
        return X509CertificateLoader.LoadPkcs12(certificate.Export(X509ContentType.Pfx), null);
    }

    private sealed class RecordingInterceptor(string name, List<string> calls) : Interceptor
    {
        public override Task<TResponse> UnaryServerHandler<TRequest, TResponse>(TRequest request, ServerCallContext context, UnaryServerMethod<TRequest, TResponse> continuation)
        {
            lock (calls)
            {
                calls.Add($"{name}:unary:{context.Method}");
            }
            return continuation(request, context);
        }

        public override Task ServerStreamingServerHandler<TRequest, TResponse>(TRequest request, IServerStreamWriter<TResponse> responseStream, ServerCallContext context, ServerStreamingServerMethod<TRequest, TResponse> continuation)
        {
            lock (calls)
            {
                calls.Add($"{name}:server-streaming:{context.Method}");
            }
            return continuation(request, responseStream, context);
        }
    }
}

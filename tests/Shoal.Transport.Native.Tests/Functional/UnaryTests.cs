using Grpc.Core;
using Hello;
using Shoal.Transport.Native.Tests.Infrastructure;

namespace Shoal.Transport.Native.Tests.Functional;

public sealed class UnaryTests
{
    [Fact]
    public async Task SayHello_OverNativeConnection_ReturnsGreeting()
    {
        await using var server = await TestServer.StartAsync();
        await using var connection = TestClient.Connect(server.Address);
        var client = connection.Greeter();

        var reply = await client.SayHelloAsync(new HelloRequest { Name = "Ada" }).ResponseAsync.Within();
        var blocking = client.SayHello(new HelloRequest { Name = "Bob" });

        Assert.Equal("Hello Ada", reply.Message);
        Assert.Equal("Hello Bob", blocking.Message);
        Assert.StartsWith("ipv4:127.0.0.1:", server.Greeter.LastPeer, StringComparison.Ordinal);
        Assert.Equal($"127.0.0.1:{server.Port}", server.Greeter.LastHost);
    }

    [Fact]
    public async Task SampleGreeterService_BoundThroughGeneratedCode_Answers()
    {
        await using var server = await TestServer.StartAsync();
        await using var connection = TestClient.Connect(server.Address);
        var call = connection.Greeter().SayHelloAsync(new HelloRequest { Name = "Eve" });

        var reply = await call.ResponseAsync.Within();

        Assert.Equal("Hello Eve", reply.Message);
        Assert.Equal(StatusCode.OK, call.GetStatus().StatusCode);
        Assert.Empty(await call.ResponseHeadersAsync);
    }

    [Fact]
    public async Task FiveHundredConcurrentCalls_OnOneConnection_AllSucceed()
    {
        await using var server = await TestServer.StartAsync();
        await using var connection = TestClient.Connect(server.Address);
        var client = connection.Greeter();

        var calls = Enumerable.Range(0, 500)
            .Select(i => client.SayHelloAsync(new HelloRequest { Name = i % 10 == 0 ? "slow:20" : "n" + i }).ResponseAsync)
            .ToArray();
        var replies = await Task.WhenAll(calls).Within();

        Assert.Equal(500, replies.Length);
        Assert.Equal("Hello n1", replies[1].Message);
        Assert.Equal("slow", replies[10].Message);
        Assert.Equal("Hello n499", replies[499].Message);
    }

    [Fact]
    public async Task HeadersAndTrailers_IncludingBinaryKeys_TravelBothWays()
    {
        await using var server = await TestServer.StartAsync();
        await using var connection = TestClient.Connect(server.Address);
        var headers = new Metadata { { "x-name", "value" }, { "x-data-bin", new byte[] { 9, 8, 7, 0 } } };

        var call = connection.Greeter().SayHelloAsync(new HelloRequest { Name = "echo-headers" }, headers);
        var responseHeaders = await call.ResponseHeadersAsync.Within();
        await call.ResponseAsync.Within();
        var trailers = call.GetTrailers();

        Assert.Equal("value", responseHeaders.GetValue("x-name"));
        Assert.Equal(new byte[] { 9, 8, 7, 0 }, responseHeaders.GetValueBytes("x-data-bin"));
        Assert.Equal("t", trailers.GetValue("x-trailer"));
        Assert.Equal(TestGreeter.BinaryTrailer, trailers.GetValueBytes("x-trailer-bin"));
    }

    [Fact]
    public async Task HandlerThrows_ClientSeesUnknownLikeGrpcDotnet()
    {
        await using var server = await TestServer.StartAsync();
        await using var connection = TestClient.Connect(server.Address);

        var error = await Assert.ThrowsAsync<RpcException>(() => connection.Greeter().SayHelloAsync(new HelloRequest { Name = "throw" }).ResponseAsync.Within());

        Assert.Equal(StatusCode.Unknown, error.StatusCode);
        Assert.Equal("Exception was thrown by handler.", error.Status.Detail);
        Assert.True(server.Log.Count("failed with an unhandled exception") >= 1);
    }

    [Fact]
    public async Task HandlerThrowsRpcException_StatusAndTrailersAreKept()
    {
        await using var server = await TestServer.StartAsync();
        await using var connection = TestClient.Connect(server.Address);

        var error = await Assert.ThrowsAsync<RpcException>(() => connection.Greeter().SayHelloAsync(new HelloRequest { Name = "rpc" }).ResponseAsync.Within());

        Assert.Equal(StatusCode.NotFound, error.StatusCode);
        Assert.Equal("no such greeting", error.Status.Detail);
        Assert.Equal("test", error.Trailers.GetValue("x-reason"));
        Assert.Equal(TestGreeter.BinaryTrailer, error.Trailers.GetValueBytes("x-blob-bin"));
    }

    [Fact]
    public async Task UnknownServiceOrMethod_IsUnimplemented()
    {
        await using var server = await TestServer.StartAsync();
        await using var connection = TestClient.Connect(server.Address);
        var noService = new Method<HelloRequest, HelloReply>(MethodType.Unary, "hello.Nobody", "SayHello", HelloRequest.Parser.ToMarshaller(), HelloReply.Parser.ToMarshaller());
        var noMethod = new Method<HelloRequest, HelloReply>(MethodType.Unary, "hello.Greeter", "SayGoodbye", HelloRequest.Parser.ToMarshaller(), HelloReply.Parser.ToMarshaller());

        var service = await Assert.ThrowsAsync<RpcException>(() => connection.Invoker.AsyncUnaryCall(noService, null, default, new HelloRequest()).ResponseAsync.Within());
        var method = await Assert.ThrowsAsync<RpcException>(() => connection.Invoker.AsyncUnaryCall(noMethod, null, default, new HelloRequest()).ResponseAsync.Within());

        Assert.Equal(StatusCode.Unimplemented, service.StatusCode);
        Assert.Equal("Service is unimplemented.", service.Status.Detail);
        Assert.Equal(StatusCode.Unimplemented, method.StatusCode);
        Assert.Equal("Method is unimplemented.", method.Status.Detail);
    }

    [Fact]
    public async Task MalformedRequestMessage_IsInternal_AndTheConnectionKeepsWorking()
    {
        await using var server = await TestServer.StartAsync();
        await using var connection = TestClient.Connect(server.Address);
        var raw = new Marshaller<byte[]>(b => b, b => b);
        var method = new Method<byte[], byte[]>(MethodType.Unary, "hello.Greeter", "SayHello", raw, raw);

        var error = await Assert.ThrowsAsync<RpcException>(() => connection.Invoker.AsyncUnaryCall(method, null, default, new byte[] { 0x0A, 0xFF, 0xFF, 0xFF }).ResponseAsync.Within());
        var reply = await connection.Greeter().SayHelloAsync(new HelloRequest { Name = "after" }).ResponseAsync.Within();

        Assert.Equal(StatusCode.Internal, error.StatusCode);
        Assert.Contains("deserialize", error.Status.Detail, StringComparison.OrdinalIgnoreCase);
        Assert.Equal("Hello after", reply.Message);
    }
}

using Grpc.Core;
using Shoal.Cli.Commands.Call;
using Shoal.Cli.Tests.Infrastructure;

namespace Shoal.Cli.Tests.Commands.Call;

/// <summary>The call logic over gRPC against plain grpc-dotnet with reflection (no Shoal code on either side).</summary>
public sealed class CallRunnerTests(PlainGreeterServer server) : IClassFixture<PlainGreeterServer>
{
    private static CallOptions Options(Metadata? headers = null) =>
        new(headers: headers, deadline: DateTime.UtcNow.AddSeconds(30));

    [Fact]
    public async Task List_PrintsEveryService()
    {
        var (runner, output) = Create();

        await runner.ListAsync(Options());

        Assert.Equal(["hello.Greeter", "hello.GreeterStreams", "shoal.bench.Benchmark"], Lines(output));
    }

    [Fact]
    public async Task DescribeService_PrintsItsMethods()
    {
        var (runner, output) = Create();

        await runner.DescribeAsync("hello.GreeterStreams", Options());

        Assert.Contains("rpc SayHelloToAll (stream hello.HelloRequest) returns (hello.HelloReply);", output.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task DescribeMessage_PrintsItsFields()
    {
        var (runner, output) = Create();

        await runner.DescribeAsync("hello.ManyHellosRequest", Options());

        Assert.Equal("message hello.ManyHellosRequest {\n  string name = 1;\n  int32 count = 2;\n}\n", output.ToString().ReplaceLineEndings("\n"));
    }

    [Theory]
    [InlineData("hello.GreeterStreams/SayHelloMany")]
    [InlineData("hello.GreeterStreams.SayHelloMany")]
    public async Task DescribeMethod_PrintsItsSignatureAndMessages(string symbol)
    {
        var (runner, output) = Create();

        await runner.DescribeAsync(symbol, Options());

        var text = output.ToString();
        Assert.Contains("rpc SayHelloMany (hello.ManyHellosRequest) returns (stream hello.HelloReply);", text, StringComparison.Ordinal);
        Assert.Contains("message hello.ManyHellosRequest {", text, StringComparison.Ordinal);
        Assert.Contains("message hello.HelloReply {", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DescribeUnknownSymbol_FailsNamingTheServicesThereAre()
    {
        var (runner, _) = Create();

        var ex = await Assert.ThrowsAsync<CallFailedException>(() => runner.DescribeAsync("nothing", Options()));

        Assert.Contains("unknown service 'nothing'", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Unary_PrintsTheReplyAsJson()
    {
        var (runner, output) = Create();

        await runner.InvokeAsync(MethodName.Parse("hello.Greeter/SayHello"), """{"name":"Ada"}""", Options(), pretty: false);

        Assert.Equal(["""{"message":"Hello Ada"}"""], Lines(output));
    }

    [Fact]
    public async Task ServerStreaming_PrintsOneJsonPerMessage()
    {
        var (runner, output) = Create();

        await runner.InvokeAsync(MethodName.Parse("hello.GreeterStreams/SayHelloMany"), """{"name":"Bo","count":2}""", Options(), pretty: false);

        Assert.Equal(["""{"message":"Hello Bo #1"}""", """{"message":"Hello Bo #2"}"""], Lines(output));
    }

    [Fact]
    public async Task ClientStreaming_TakesAJsonArray()
    {
        var (runner, output) = Create();

        await runner.InvokeAsync(MethodName.Parse("hello.GreeterStreams/SayHelloToAll"), """[{"name":"a"},{"name":"b"}]""", Options(), pretty: false);

        Assert.Equal(["""{"message":"Hello a, b"}"""], Lines(output));
    }

    [Fact]
    public async Task Bidi_TakesNewlineDelimitedJson()
    {
        var (runner, output) = Create();

        await runner.InvokeAsync(MethodName.Parse("hello.GreeterStreams/Chat"), "{\"name\":\"x\"}\n{\"name\":\"y\"}\n", Options(), pretty: false);

        Assert.Equal(["""{"message":"Hello x"}""", """{"message":"Hello y"}"""], Lines(output));
    }

    [Fact]
    public async Task Pretty_IndentsTheReply()
    {
        var (runner, output) = Create();

        await runner.InvokeAsync(MethodName.Parse("hello.Greeter/SayHello"), """{"name":"Ada"}""", Options(), pretty: true);

        Assert.Equal("{\n  \"message\": \"Hello Ada\"\n}\n", output.ToString().ReplaceLineEndings("\n"));
    }

    [Fact]
    public async Task UnknownService_FailsNamingTheServicesThereAre()
    {
        var (runner, _) = Create();

        var ex = await Assert.ThrowsAsync<CallFailedException>(() => runner.InvokeAsync(MethodName.Parse("hello.Nope/SayHello"), "{}", Options(), false));

        Assert.Contains("unknown service 'hello.Nope'", ex.Message, StringComparison.Ordinal);
        Assert.Contains("hello.Greeter", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UnknownMethod_FailsNamingTheMethodsThereAre()
    {
        var (runner, _) = Create();

        var ex = await Assert.ThrowsAsync<CallFailedException>(() => runner.InvokeAsync(MethodName.Parse("hello.Greeter/Nope"), "{}", Options(), false));

        Assert.Contains("unknown method 'Nope' in service 'hello.Greeter' (it has: SayHello)", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task BadFieldInRequest_FailsNamingTheField()
    {
        var (runner, output) = Create();

        var ex = await Assert.ThrowsAsync<CallFailedException>(() =>
            runner.InvokeAsync(MethodName.Parse("hello.GreeterStreams/SayHelloMany"), """{"name":"a","count":"many"}""", Options(), false));

        Assert.Contains("field 'count': expected an integer (int32)", ex.Message, StringComparison.Ordinal);
        Assert.Empty(output.ToString());
    }

    [Fact]
    public async Task ServerFailure_SurfacesTheStatus()
    {
        var (runner, _) = Create();
        var headers = new Metadata { { "x-fail-code", "PermissionDenied" } };

        var ex = await Assert.ThrowsAsync<RpcException>(() =>
            runner.InvokeAsync(MethodName.Parse("hello.Greeter/SayHello"), "{}", Options(headers), false));

        Assert.Equal(StatusCode.PermissionDenied, ex.StatusCode);
    }

    private (CallRunner Runner, StringWriter Output) Create()
    {
        var output = new StringWriter();
        var channel = server.CreateChannel();
        return (new CallRunner(channel.CreateCallInvoker(), output), output);
    }

    private static string[] Lines(StringWriter output) =>
        output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}

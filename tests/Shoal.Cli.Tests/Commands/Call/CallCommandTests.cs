using Shoal.Cli.Commands;
using Shoal.Cli.Tests.Infrastructure;

namespace Shoal.Cli.Tests.Commands.Call;

/// <summary><c>shoal call</c> end to end through ShoalChannel against a Shoal host, over both transports.</summary>
public sealed class CallCommandTests(ShoalGreeterServer server) : IClassFixture<ShoalGreeterServer>
{
    [Theory]
    [InlineData("native")]
    [InlineData("grpc")]
    public async Task List_ShowsGreeterHealthAndReflection(string transport)
    {
        var (exitCode, output, error) = await CliRun.RunAsync("call", server.Target(transport), "list");

        Assert.True(exitCode == 0, error);
        Assert.Contains("hello.Greeter\n", output.ReplaceLineEndings("\n"), StringComparison.Ordinal);
        Assert.Contains("hello.GreeterStreams", output, StringComparison.Ordinal);
        Assert.Contains("grpc.health.v1.Health", output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("native")]
    [InlineData("grpc")]
    public async Task Unary_PrintsTheReply(string transport)
    {
        var (exitCode, output, error) = await CliRun.RunAsync("call", server.Target(transport), "hello.Greeter/SayHello", """{"name":"Ada"}""");

        Assert.True(exitCode == 0, error);
        Assert.Equal("{\"message\":\"Hello Ada\"}\n", output.ReplaceLineEndings("\n"));
    }

    [Theory]
    [InlineData("native")]
    [InlineData("grpc")]
    public async Task ServerStreaming_PrintsEveryMessage(string transport)
    {
        var (exitCode, output, error) = await CliRun.RunAsync("call", server.Target(transport), "hello.GreeterStreams/SayHelloMany", "-d", """{"name":"B","count":3}""");

        Assert.True(exitCode == 0, error);
        Assert.Equal(3, output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
    }

    [Theory]
    [InlineData("native")]
    [InlineData("grpc")]
    public async Task Describe_ShowsTheMethods(string transport)
    {
        var (exitCode, output, error) = await CliRun.RunAsync("call", server.Target(transport), "describe", "hello.GreeterStreams");

        Assert.True(exitCode == 0, error);
        Assert.Contains("rpc Chat (stream hello.HelloRequest) returns (stream hello.HelloReply);", output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("native")]
    [InlineData("grpc")]
    public async Task FailingCall_ExitsOne_WithTheStatus(string transport)
    {
        var (exitCode, _, error) = await CliRun.RunAsync("call", server.Target(transport), "hello.Greeter/SayHello", "-H", "x-fail-code: PermissionDenied");

        Assert.Equal(ExitCodes.Failure, exitCode);
        Assert.StartsWith("ERROR: PermissionDenied: ", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("native")]
    [InlineData("grpc")]
    public async Task ExpiredDeadline_ExitsOne_WithDeadlineExceeded(string transport)
    {
        var (exitCode, _, error) = await CliRun.RunAsync("call", server.Target(transport), "hello.Greeter/SayHello", "-H", "x-delay-ms: 5000", "--timeout", "300ms");

        Assert.Equal(ExitCodes.Failure, exitCode);
        Assert.StartsWith("ERROR: DeadlineExceeded", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("shoal")]
    [InlineData("http")]
    public async Task NothingListening_ExitsOne_Unavailable(string scheme)
    {
        var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        var port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();

        var (exitCode, _, error) = await CliRun.RunAsync("call", $"{scheme}://127.0.0.1:{port}", "list", "--timeout", "20s");

        Assert.Equal(ExitCodes.Failure, exitCode);
        Assert.StartsWith($"ERROR: Unavailable: connection refused by 127.0.0.1:{port}", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("hello.Greeter/Nope", "{}", "ERROR: unknown method 'Nope'")]
    [InlineData("hello.Nope/SayHello", "{}", "ERROR: unknown service 'hello.Nope'")]
    [InlineData("hello.Greeter/SayHello", """{"nmae":"x"}""", "field 'nmae': hello.HelloRequest has no field 'nmae'")]
    [InlineData("hello.Greeter/SayHello", """{"name":""", "is not valid JSON")]
    public async Task BadRequest_ExitsOne_SayingWhatIsWrong(string method, string json, string message)
    {
        var (exitCode, output, error) = await CliRun.RunAsync("call", server.Native, method, json);

        Assert.Equal(ExitCodes.Failure, exitCode);
        Assert.Contains(message, error, StringComparison.Ordinal);
        Assert.Empty(output);
    }
}

using System.Text.Json;
using Shoal.Transport.Grpc.Tests.Infrastructure;

namespace Shoal.Transport.Grpc.Tests.Interop;

/// <summary>A gRPC client no one here wrote (python3-grpcio) calls the Shoal host's gRPC port.</summary>
public sealed class PythonClientToShoalHostTests(GreeterGrpcHostFixture fixture) : IClassFixture<GreeterGrpcHostFixture>
{
    [Fact]
    public async Task PythonClient_Unary_GetsTheGreeting()
    {
        var result = await PythonGrpc.RunClientAsync(fixture.Host.Authority, "unary");

        Assert.Equal("Hello python", Message(result));
    }

    [Fact]
    public async Task PythonClient_ServerStreaming_GetsEveryReplyInOrder()
    {
        var result = await PythonGrpc.RunClientAsync(fixture.Host.Authority, "server_streaming");

        Assert.Equal(["Hello python #1", "Hello python #2", "Hello python #3"], Messages(result));
    }

    [Fact]
    public async Task PythonClient_ClientStreaming_GetsOneReplyNamingEveryone()
    {
        var result = await PythonGrpc.RunClientAsync(fixture.Host.Authority, "client_streaming");

        Assert.Equal("Hello ann, bob, cy", Message(result));
    }

    [Fact]
    public async Task PythonClient_Bidirectional_GetsAReplyPerRequest()
    {
        var result = await PythonGrpc.RunClientAsync(fixture.Host.Authority, "bidi");

        Assert.Equal(["Hello dee", "Hello eve"], Messages(result));
    }

    [Fact]
    public async Task PythonClient_DeadlineShorterThanTheHandler_GetsDeadlineExceeded()
    {
        var result = await PythonGrpc.RunClientAsync(fixture.Host.Authority, "deadline");

        Assert.Equal("DEADLINE_EXCEEDED", Code(result));
    }

    [Fact]
    public async Task PythonClient_HandlerFailsWithAStatus_GetsThatStatusAndDetail()
    {
        var result = await PythonGrpc.RunClientAsync(fixture.Host.Authority, "fail");

        Assert.Equal("NOT_FOUND", Code(result));
        Assert.Equal("Failure requested with x-fail-code: NotFound.", result.GetProperty("details").GetString());
    }

    [Fact]
    public async Task PythonClient_HealthCheck_ServerAndServicesServingUnknownServiceNotFound()
    {
        var result = await PythonGrpc.RunClientAsync(fixture.Host.Authority, "health");

        var statuses = result.GetProperty("statuses");
        // 1 is SERVING in grpc.health.v1.HealthCheckResponse.ServingStatus.
        Assert.Equal(1, statuses.GetProperty("").GetInt32());
        Assert.Equal(1, statuses.GetProperty("hello.Greeter").GetInt32());
        Assert.Equal(1, statuses.GetProperty("hello.GreeterStreams").GetInt32());
        Assert.Equal("NOT_FOUND", statuses.GetProperty("no.Such").GetString());
    }

    [Fact]
    public async Task PythonClient_Reflection_ListsServicesAndReturnsTheirFile()
    {
        var result = await PythonGrpc.RunClientAsync(fixture.Host.Authority, "reflection");

        Assert.Equal(
            ["grpc.health.v1.Health", "grpc.reflection.v1alpha.ServerReflection", "hello.Greeter", "hello.GreeterStreams", "shoal.load.v1.LoadReporter"],
            result.GetProperty("services").EnumerateArray().Select(e => e.GetString()!).ToArray());
        Assert.Equal(["hello.proto"], result.GetProperty("files").EnumerateArray().Select(e => e.GetString()!).ToArray());
    }

    private static string? Message(JsonElement result)
        => result.TryGetProperty("message", out var message) ? message.GetString() : $"no message in {result}";

    private static string[] Messages(JsonElement result)
        => result.TryGetProperty("messages", out var messages)
            ? messages.EnumerateArray().Select(e => e.GetString()!).ToArray()
            : [$"no messages in {result}"];

    private static string? Code(JsonElement result)
        => result.TryGetProperty("code", out var code) ? code.GetString() : $"no code in {result}";
}

using System.Diagnostics;
using Grpc.Core;
using Hello;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Logging;
using Shoal.Client;
using Shoal.FunctionalTests.Support;
using Shoal.Server;
using Xunit.Abstractions;

namespace Shoal.FunctionalTests;

/// <summary>
/// Transparent retry of calls a stopping server never started, on real sockets: two Greeter hosts
/// in this process behind a <c>static://</c> target (so no registry takes the stopping one out of
/// rotation first), 16 callers of SayHello, whose contract does not say it is idempotent, and one
/// host stopped gracefully under that load. The native server's go-away refuses the calls that
/// crossed it; Kestrel refuses new streams and then new connections. A stop that happens to refuse
/// no call proves nothing, so the scenario is repeated (at most three times) until one does.
/// </summary>
public sealed class GracefulStopTests(ITestOutputHelper output)
{
    private const int Callers = 16;
    private const int MaxRounds = 3;
    private const int MinCalls = 100;
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task NativeFailover_ServerStopsUnderLoad_RefusedCallsAreRetriedAndNoCallFails()
    {
        var (all, retries, _) = await RunUntilRetriedAsync("native");

        Assert.True(all.Failures().Count == 0, $"calls failed: {all.Describe()}");
        Assert.True(retries > 0, "no stop refused a call in flight, so nothing was tested");
    }

    /// <summary>
    /// Over gRPC, Kestrel's graceful stop can lose responses it already wrote: it disposes the
    /// socket right after its final GOAWAY (dotnet/aspnetcore#41074). The client then sees the
    /// connection end under a call that may have run: <c>Internal: ... The HTTP/2 server closed the
    /// connection</c>, or, before the response headers came, <c>Unavailable: Error starting gRPC
    /// call ... The response ended prematurely ... (ResponseEnded)</c>. Those must not be sent
    /// again, so they may fail, at most one per caller a stop (the calls in flight when the
    /// connection ended); no call the client knew as never started may fail.
    /// </summary>
    [Fact]
    public async Task GrpcFailover_ServerStopsUnderLoad_RefusedCallsAreRetriedAndNoneFails()
    {
        var (all, retries, rounds) = await RunUntilRetriedAsync("grpc");

        var failures = all.Failures();
        Assert.True(failures.All(c => !c.NeverStarted), $"refused calls failed: {all.Describe()}");
        Assert.True(failures.All(c => c.Failure is StatusCode.Internal or StatusCode.Unavailable), $"calls failed otherwise than by a closed connection: {all.Describe()}");
        Assert.True(failures.Count <= Callers * rounds, $"more calls failed than were in flight at the stops: {all.Describe()}");
        Assert.True(retries > 0, "no stop refused a call in flight, so nothing was tested");
    }

    private async Task<(List<CallRecord> Calls, int Retries, int Rounds)> RunUntilRetriedAsync(string transport)
    {
        var calls = new List<CallRecord>();
        using var counter = new RetryCounter();
        var rounds = 0;
        while (rounds < MaxRounds && counter.Retries == 0)
        {
            rounds++;
            calls.AddRange(await StopOneUnderLoadAsync(transport, counter));
            output.WriteLine($"{transport}, round {rounds}: {counter.Retries} retries so far");
        }
        return (calls, counter.Retries, rounds);
    }

    private async Task<List<CallRecord>> StopOneUnderLoadAsync(string transport, RetryCounter counter)
    {
        await using var stopping = await StartGreeterAsync();
        await using var staying = await StartGreeterAsync();
        var a = stopping.GetShoalAddresses();
        var b = staying.GetShoalAddresses();
        var authorities = transport == "native" ? $"{a.Native!.Authority},{b.Native!.Authority}" : $"{a.Grpc!.Authority},{b.Grpc!.Authority}";
        await using var channel = ShoalChannel.ForTarget($"static://{authorities}?lb=round_robin&strategy=failover&transport={transport}",
            new ShoalChannelOptions { LoggerFactory = counter.Factory });
        await using var load = CallLoad.Start(new Greeter.GreeterClient(channel), Callers);
        var start = Stopwatch.GetTimestamp();
        // At least a second of load, and on a slow machine long enough for the calls to tell something.
        await Task.Delay(TimeSpan.FromSeconds(1));
        await load.WaitForCallsAsync(start, MinCalls, Timeout);

        await stopping.StopAsync().WaitAsync(Timeout);
        await Task.Delay(TimeSpan.FromSeconds(1));
        await load.StopAsync();

        var all = load.Between(start);
        output.WriteLine($"{transport}: {all.Describe()}");
        Assert.True(all.Count > MinCalls, $"too few calls to tell: {all.Describe()}");
        return all;
    }

    private static async Task<WebApplication> StartGreeterAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.AddShoalServer(o =>
        {
            o.TcpPort = 0;
            o.GrpcPort = 0;
        }).AddService<GreeterService>();
        var app = builder.Build();
        app.MapShoalServices();
        await app.StartAsync();
        return app;
    }
}

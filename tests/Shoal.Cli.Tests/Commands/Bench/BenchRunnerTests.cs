using Grpc.Core;
using Hello;
using Shoal.Cli.Commands.Bench;
using Shoal.Cli.Hosting;
using Shoal.Cli.Tests.Infrastructure;

namespace Shoal.Cli.Tests.Commands.Bench;

/// <summary>Short benchmark runs in this process (a figure-free check that the load generator works).</summary>
public sealed class BenchRunnerTests(PlainGreeterServer plain, ShoalGreeterServer shoal)
    : IClassFixture<PlainGreeterServer>, IClassFixture<ShoalGreeterServer>
{
    private static readonly BenchSettings Short = new()
    {
        Concurrency = 4,
        Connections = 2,
        Duration = TimeSpan.FromSeconds(1),
        Warmup = TimeSpan.FromSeconds(1),
    };

    [Fact]
    public async Task PlainGrpcDotnet_OneSecond_CountsCallsAndLatencies()
    {
        using var channel = plain.CreateChannel();

        var result = await BenchRunner.RunAsync("grpc-dotnet", plain.Address, [channel.CreateCallInvoker()], Short, serverPids: [], CancellationToken.None);

        AssertSane(result);
        Assert.Null(result.ServerCpuPercent);
    }

    [Theory]
    [InlineData("native")]
    [InlineData("grpc")]
    public async Task ShoalChannel_OneSecond_CountsCallsAndLatencies(string transport)
    {
        var io = new Shoal.Cli.Commands.CommandIO(TextWriter.Null, TextWriter.Null, CancellationToken.None);

        var result = await BenchPlanRunner.RunOneAsync("run", shoal.Target(transport), plainClient: false, Short, [Environment.ProcessId], io);

        AssertSane(result);
        Assert.NotNull(result.ServerCpuPercent);
    }

    /// <summary>
    /// Two runs against one server, measured in alternating slices: each is measured for the whole
    /// duration in two slices, and no call of one is in flight while a call of the other is (a run
    /// pauses only once its calls in flight have ended), from the first warm-up to the end.
    /// </summary>
    [Fact]
    public async Task Interleaved_TwoRuns_EachMeasuredInSlices_AndNeverBothCalling()
    {
        var settings = Short with { Duration = TimeSpan.FromSeconds(4), Warmup = TimeSpan.FromMilliseconds(500), Connections = 1 };
        await using var a = Shoal.Client.ShoalChannel.ForTarget(shoal.Target("native"));
        await using var b = Shoal.Client.ShoalChannel.ForTarget("static://" + new Uri(shoal.Target("native")).Authority);
        var calls = new System.Collections.Concurrent.ConcurrentQueue<(int Run, long Start, long End)>();
        InterleavedRun Run(string name, Shoal.Client.ShoalChannel channel, int index) =>
            new(name, name, [Grpc.Core.Interceptors.CallInvokerExtensions.Intercept(channel.CreateCallInvoker(), new RecordingInterceptor(index, calls))]);

        var results = await BenchRunner.RunInterleavedAsync([Run("a", a, 0), Run("b", b, 1)], settings, [Environment.ProcessId], CancellationToken.None);

        Assert.Equal(["a", "b"], results.Select(r => r.Name));
        Assert.All(results, r =>
        {
            AssertSane(r);
            Assert.Equal(2, r.MeasuredSlices);
            Assert.InRange(r.DurationSeconds, 3.9, 6);
        });
        var overlaps = 0;
        var lastEnd = new long[2];
        foreach (var (run, start, end) in calls.OrderBy(c => c.Start))
        {
            if (lastEnd[1 - run] > start)
            {
                overlaps++;
            }
            lastEnd[run] = Math.Max(lastEnd[run], end);
        }
        Assert.True(calls.Count(c => c.Run == 0) > 10 && calls.Count(c => c.Run == 1) > 10, $"{calls.Count} calls");
        Assert.Equal(0, overlaps);
    }

    [Fact]
    public async Task FailingServer_CountsErrors_AndKeepsTheFirst()
    {
        var settings = new GreeterHostSettings { GrpcPort = 0, LogToStandardError = false };
        await using var host = await GreeterHost.StartPlainGrpcAsync(settings, CancellationToken.None);
        using var channel = Grpc.Net.Client.GrpcChannel.ForAddress(host.Grpc!);
        var failing = Grpc.Core.Interceptors.CallInvokerExtensions.Intercept(channel.CreateCallInvoker(), new FailHeaderInterceptor());

        // One call first, so the connection and the JIT are ready and the short window sees calls complete even on a loaded machine.
        await Assert.ThrowsAsync<RpcException>(async () =>
            await new Greeter.GreeterClient(failing).SayHelloAsync(new HelloRequest(), deadline: DateTime.UtcNow.AddSeconds(60)));

        var result = await BenchRunner.RunAsync("failing", "x", [failing], Short with { Connections = 1 }, [], CancellationToken.None);

        Assert.True(result.Errors > 0);
        Assert.Equal(0, result.Requests);
        Assert.StartsWith("Unavailable", result.FirstError, StringComparison.Ordinal);
    }

    private static void AssertSane(BenchResult result)
    {
        Assert.True(result.Rps > 0, $"rps {result.Rps}");
        Assert.True(result.Requests > 0);
        Assert.Equal(0, result.Errors);
        Assert.True(result.P50Us > 0 && result.P50Us <= result.P90Us && result.P90Us <= result.P99Us && result.P99Us <= result.P999Us && result.P999Us <= result.MaxUs);
        Assert.InRange(result.DurationSeconds, 0.9, 30);
        Assert.NotNull(result.ClientCpuPercent);
    }

    /// <summary>Records when each unary call started and when its response came, tagged with <paramref name="run"/>.</summary>
    private sealed class RecordingInterceptor(int run, System.Collections.Concurrent.ConcurrentQueue<(int Run, long Start, long End)> calls) : Grpc.Core.Interceptors.Interceptor
    {
        public override AsyncUnaryCall<TResponse> AsyncUnaryCall<TRequest, TResponse>(
            TRequest request, Grpc.Core.Interceptors.ClientInterceptorContext<TRequest, TResponse> context,
            AsyncUnaryCallContinuation<TRequest, TResponse> continuation)
        {
            var start = System.Diagnostics.Stopwatch.GetTimestamp();
            var call = continuation(request, context);
            async Task<TResponse> RecordAsync()
            {
                try
                {
                    return await call.ResponseAsync.ConfigureAwait(false);
                }
                finally
                {
                    calls.Enqueue((run, start, System.Diagnostics.Stopwatch.GetTimestamp()));
                }
            }
            return new AsyncUnaryCall<TResponse>(RecordAsync(), call.ResponseHeadersAsync, call.GetStatus, call.GetTrailers, call.Dispose);
        }
    }

    private sealed class FailHeaderInterceptor : Grpc.Core.Interceptors.Interceptor
    {
        public override AsyncUnaryCall<TResponse> AsyncUnaryCall<TRequest, TResponse>(
            TRequest request, Grpc.Core.Interceptors.ClientInterceptorContext<TRequest, TResponse> context,
            AsyncUnaryCallContinuation<TRequest, TResponse> continuation)
        {
            var headers = new Metadata { { GreeterHeaders.FailCode, "Unavailable" } };
            var options = context.Options.WithHeaders(headers);
            return continuation(request, new Grpc.Core.Interceptors.ClientInterceptorContext<TRequest, TResponse>(context.Method, context.Host, options));
        }
    }
}

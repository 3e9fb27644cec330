using System.Diagnostics;
using Grpc.Core;
using Hello;
using Shoal.Cli.Commands.Bench;
using Shoal.Cli.Hosting;
using Shoal.Telemetry.Internal;

namespace Shoal.Cli.Commands.Demo;

/// <summary>
/// The demo: starts a Greeter host on free ports (both transports, in this process) and calls it
/// over each transport through the generated clients — unary and each streaming kind — then a
/// short sequential latency sample.
/// </summary>
internal static class DemoRunner
{
    /// <summary>Sequential unary calls per transport for the latency sample.</summary>
    public const int LatencyCalls = 500;

    private static readonly TimeSpan CallTimeout = TimeSpan.FromSeconds(15);
    private static readonly string[] Names = ["Ada", "Grace", "Linus"];

    /// <summary>Runs the demo; the report says what ran where and whether it worked.</summary>
    public static async Task<DemoReport> RunAsync(CancellationToken cancellationToken)
    {
        var settings = new GreeterHostSettings { Host = "127.0.0.1", TcpPort = 0, GrpcPort = 0, LogToStandardError = false };
        var host = await GreeterHost.StartShoalAsync(settings, cancellationToken).ConfigureAwait(false);
        await using (host.ConfigureAwait(false))
        {
            var native = host.Native?.ToString().TrimEnd('/') ?? throw new InvalidOperationException("The host reported no native address.");
            var grpc = host.Grpc?.ToString().TrimEnd('/') ?? throw new InvalidOperationException("The host reported no gRPC address.");
            var steps = new List<DemoStep>();
            var latency = new List<DemoLatency>();
            foreach (var (transport, target) in new[] { ("native", native), ("grpc", grpc) })
            {
                var channel = ChannelFactory.CreateShoal(target);
                await using (channel.ConfigureAwait(false))
                {
                    var invoker = channel.CreateCallInvoker();
                    steps.AddRange(await RunCallsAsync(transport, target, invoker, cancellationToken).ConfigureAwait(false));
                    latency.Add(await MeasureAsync(transport, invoker, LatencyCalls, cancellationToken).ConfigureAwait(false));
                }
            }
            return new DemoReport { Native = native, Grpc = grpc, Steps = steps, Latency = latency };
        }
    }

    /// <summary>One call of each kind over <paramref name="invoker"/>, through the generated clients.</summary>
    public static async Task<IReadOnlyList<DemoStep>> RunCallsAsync(string transport, string target, CallInvoker invoker, CancellationToken cancellationToken)
    {
        var greeter = new Greeter.GreeterClient(invoker);
        var streams = new GreeterStreams.GreeterStreamsClient(invoker);
        CallOptions Options() => new(deadline: DateTime.UtcNow + CallTimeout, cancellationToken: cancellationToken);
        var steps = new List<DemoStep>
        {
            await StepAsync(transport, target, "hello.Greeter/SayHello", "unary", async () =>
            {
                var reply = await greeter.SayHelloAsync(new HelloRequest { Name = "Shoal" }, Options()).ConfigureAwait(false);
                return [reply.Message];
            }).ConfigureAwait(false),
            await StepAsync(transport, target, "hello.GreeterStreams/SayHelloMany", "server-streaming", async () =>
            {
                using var call = streams.SayHelloMany(new ManyHellosRequest { Name = "Shoal", Count = 3 }, Options());
                var replies = new List<string>();
                await foreach (var reply in call.ResponseStream.ReadAllAsync(cancellationToken).ConfigureAwait(false))
                {
                    replies.Add(reply.Message);
                }
                return replies;
            }).ConfigureAwait(false),
            await StepAsync(transport, target, "hello.GreeterStreams/SayHelloToAll", "client-streaming", async () =>
            {
                using var call = streams.SayHelloToAll(Options());
                foreach (var name in Names)
                {
                    await call.RequestStream.WriteAsync(new HelloRequest { Name = name }, cancellationToken).ConfigureAwait(false);
                }
                await call.RequestStream.CompleteAsync().ConfigureAwait(false);
                return [(await call.ResponseAsync.ConfigureAwait(false)).Message];
            }).ConfigureAwait(false),
            await StepAsync(transport, target, "hello.GreeterStreams/Chat", "bidi-streaming", async () =>
            {
                using var call = streams.Chat(Options());
                var replies = new List<string>();
                foreach (var name in Names)
                {
                    // One at a time: each greeting comes back before the next name goes out.
                    await call.RequestStream.WriteAsync(new HelloRequest { Name = name }, cancellationToken).ConfigureAwait(false);
                    if (!await call.ResponseStream.MoveNext(cancellationToken).ConfigureAwait(false))
                    {
                        throw new InvalidOperationException("The chat ended before answering.");
                    }
                    replies.Add(call.ResponseStream.Current.Message);
                }
                await call.RequestStream.CompleteAsync().ConfigureAwait(false);
                while (await call.ResponseStream.MoveNext(cancellationToken).ConfigureAwait(false))
                {
                    replies.Add(call.ResponseStream.Current.Message);
                }
                return replies;
            }).ConfigureAwait(false),
        };
        return steps;
    }

    /// <summary>Sequential unary calls: a first look at latency (use <c>shoal bench</c> for figures).</summary>
    public static async Task<DemoLatency> MeasureAsync(string transport, CallInvoker invoker, int calls, CancellationToken cancellationToken)
    {
        var greeter = new Greeter.GreeterClient(invoker);
        var request = new HelloRequest { Name = "latency" };
        var histogram = new LatencyHistogram();
        var errors = 0;
        for (var i = 0; i < calls; i++)
        {
            var start = Stopwatch.GetTimestamp();
            try
            {
                await greeter.SayHelloAsync(request, deadline: DateTime.UtcNow + CallTimeout, cancellationToken: cancellationToken).ConfigureAwait(false);
                histogram.Record((long)((Stopwatch.GetTimestamp() - start) * (1e9 / Stopwatch.Frequency)));
            }
            catch (RpcException) when (!cancellationToken.IsCancellationRequested)
            {
                errors++;
            }
        }
        return new DemoLatency
        {
            Transport = transport,
            Calls = calls,
            Errors = errors,
            P50Us = Math.Round(histogram.ValueAt(50) / 1000.0, 1),
            P99Us = Math.Round(histogram.ValueAt(99) / 1000.0, 1),
        };
    }

    private static async Task<DemoStep> StepAsync(string transport, string target, string method, string kind, Func<Task<List<string>>> call)
    {
        var start = Stopwatch.GetTimestamp();
        List<string> result;
        var ok = true;
        try
        {
            result = await call().ConfigureAwait(false);
        }
        catch (RpcException ex)
        {
            ok = false;
            result = [$"{ex.StatusCode}: {ex.Status.Detail}"];
        }
        return new DemoStep
        {
            Transport = transport,
            Target = target,
            Method = method,
            Kind = kind,
            Ok = ok,
            Result = result,
            Milliseconds = Math.Round(Stopwatch.GetElapsedTime(start).TotalMilliseconds, 2),
        };
    }
}

using System.Diagnostics;
using Grpc.Core;
using Hello;
using Shoal.Cli.Commands.Bench.Scenarios;
using Shoal.Telemetry.Internal;

namespace Shoal.Cli.Commands.Bench;

/// <summary>One caller: a loop of unary calls with its own histogram, so recording takes no lock and allocates nothing.</summary>
internal sealed class BenchCaller(Greeter.GreeterClient client, string requestName) : IScenarioCaller
{
    private static readonly double NanosecondsPerTick = 1e9 / Stopwatch.Frequency;
    private readonly HelloRequest _request = new() { Name = requestName };
    private long _completed;

    /// <summary>Latencies of the calls that started and completed while measuring.</summary>
    public LatencyHistogram Histogram { get; } = new();

    /// <summary>Calls that failed while measuring.</summary>
    public long Errors { get; private set; }

    /// <summary>The first failure of any phase, to explain a run full of errors.</summary>
    public string? FirstError { get; private set; }

    /// <summary>Successful calls in every phase (read by the throughput sampler on another thread).</summary>
    public long Completed => Volatile.Read(ref _completed);

    /// <summary>Calls completed while measuring.</summary>
    public long MeasuredOperations => Histogram.Count;

    /// <summary>Not counted for SayHello (its 5-byte name is not a payload worth a figure).</summary>
    public long MeasuredBytes => 0;

    /// <summary>Calls until the phase is <see cref="BenchPhase.Done"/> or the token is cancelled, none while it is <see cref="BenchPhase.Paused"/>.</summary>
    public async Task RunAsync(BenchPhase phase, CancellationToken cancellationToken)
    {
        while (true)
        {
            await phase.WaitWhilePausedAsync(cancellationToken).ConfigureAwait(false);
            var before = phase.Current;
            if (before == BenchPhase.Done || cancellationToken.IsCancellationRequested)
            {
                return;
            }
            var start = Stopwatch.GetTimestamp();
            try
            {
                await client.SayHelloAsync(_request, cancellationToken: cancellationToken).ConfigureAwait(false);
                if (before == BenchPhase.Measuring && phase.Current == BenchPhase.Measuring)
                {
                    Histogram.Record((long)((Stopwatch.GetTimestamp() - start) * NanosecondsPerTick));
                }
                Volatile.Write(ref _completed, _completed + 1);
            }
            catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
            {
                if (phase.Current == BenchPhase.Measuring)
                {
                    Errors++;
                }
                FirstError ??= ex is RpcException rpc ? $"{rpc.StatusCode}: {rpc.Status.Detail}" : $"{ex.GetType().Name}: {ex.Message}";
            }
            catch (Exception) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
        }
    }
}

using System.Diagnostics;
using Grpc.Core;
using Shoal.Telemetry.Internal;

namespace Shoal.Cli.Commands.Bench.Scenarios;

/// <summary>The bookkeeping every scenario caller shares: counters written by its own loop only, read once it has ended (or by the sampler).</summary>
internal abstract class ScenarioCaller : IScenarioCaller
{
    private static readonly double NanosecondsPerTick = 1e9 / Stopwatch.Frequency;
    private long _completed;

    /// <inheritdoc/>
    public LatencyHistogram Histogram { get; } = new();

    /// <inheritdoc/>
    public long Errors { get; private set; }

    /// <inheritdoc/>
    public string? FirstError { get; private set; }

    /// <inheritdoc/>
    public long Completed => Volatile.Read(ref _completed);

    /// <inheritdoc/>
    public long MeasuredOperations { get; private set; }

    /// <inheritdoc/>
    public long MeasuredBytes { get; private set; }

    /// <inheritdoc/>
    public async Task RunAsync(BenchPhase phase, CancellationToken cancellationToken)
    {
        while (phase.Current != BenchPhase.Done && !cancellationToken.IsCancellationRequested)
        {
            try
            {
                await phase.WaitWhilePausedAsync(cancellationToken).ConfigureAwait(false);
                if (phase.Current == BenchPhase.Done)
                {
                    return;
                }
                await RunCallAsync(phase, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
            {
                Fail(phase, ex);
            }
            catch (Exception) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
        }
    }

    /// <summary>One call (of any length); returns when it ends, or when the phase is <see cref="BenchPhase.Done"/>.</summary>
    protected abstract Task RunCallAsync(BenchPhase phase, CancellationToken cancellationToken);

    /// <summary>
    /// Counts one operation that started in phase <paramref name="before"/> at <paramref name="start"/>
    /// (a <see cref="Stopwatch"/> timestamp, or null for no latency) and moved <paramref name="bytes"/>:
    /// it counts while measuring only if it also started while measuring.
    /// </summary>
    protected void Count(BenchPhase phase, int before, long? start, long bytes)
    {
        if (before == BenchPhase.Measuring && phase.Current == BenchPhase.Measuring)
        {
            if (start is { } s)
            {
                Histogram.Record((long)((Stopwatch.GetTimestamp() - s) * NanosecondsPerTick));
            }
            MeasuredOperations++;
            MeasuredBytes += bytes;
        }
        Volatile.Write(ref _completed, _completed + 1);
    }

    /// <summary>Records a failure (counted while measuring; the first of any phase is kept as text).</summary>
    protected void Fail(BenchPhase phase, Exception ex)
    {
        if (phase.Current == BenchPhase.Measuring)
        {
            Errors++;
        }
        FirstError ??= ex is RpcException rpc ? $"{rpc.StatusCode}: {rpc.Status.Detail}" : $"{ex.GetType().Name}: {ex.Message}";
    }
}

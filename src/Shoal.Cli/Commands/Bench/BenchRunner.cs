using System.Diagnostics;
using Grpc.Core;
using Shoal.Cli.Commands.Bench.Scenarios;
using Shoal.Telemetry.Internal;

namespace Shoal.Cli.Commands.Bench;

/// <summary>
/// Loads the server with <see cref="BenchSettings.Concurrency"/> callers of the settings' scenario
/// (unary SayHello by default), spread over one invoker per connection: a warm-up that is not
/// counted, then a measured window.
/// </summary>
internal static class BenchRunner
{
    private static readonly TimeSpan SampleInterval = TimeSpan.FromSeconds(1);

    /// <summary>Runs the benchmark against <paramref name="invokers"/> (one per connection).</summary>
    /// <param name="name">The run's name in the results.</param>
    /// <param name="target">The target the invokers call, for the results.</param>
    /// <param name="invokers">One call invoker per connection.</param>
    /// <param name="settings">Callers, durations.</param>
    /// <param name="serverPids">The server processes bench started (their CPU is measured, summed); empty for a server it did not start.</param>
    /// <param name="cancellationToken">Stops the run early.</param>
    public static Task<BenchResult> RunAsync(
        string name, string target, IReadOnlyList<CallInvoker> invokers, BenchSettings settings, IReadOnlyList<int> serverPids, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(invokers.Count, 1);
        return RunAsync(name, target, invokers.Count, i => settings.Scenario.CreateCaller(invokers[i], settings), settings, serverPids, cancellationToken);
    }

    /// <summary>
    /// Runs the benchmark with callers from <paramref name="createCaller"/>, given the index of the
    /// connection each is on: caller i is on connection i mod <paramref name="connections"/>.
    /// </summary>
    public static async Task<BenchResult> RunAsync(
        string name, string target, int connections, Func<int, IScenarioCaller> createCaller, BenchSettings settings, IReadOnlyList<int> serverPids,
        CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(connections, 1);
        var phase = new BenchPhase();
        var callers = new IScenarioCaller[settings.Concurrency];
        var tasks = new Task[settings.Concurrency];
        using var abort = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        using var stopSampling = new CancellationTokenSource();
        for (var i = 0; i < callers.Length; i++)
        {
            var caller = callers[i] = createCaller(i % connections);
            tasks[i] = Task.Run(() => caller.RunAsync(phase, abort.Token), CancellationToken.None);
        }
        var warmupSamples = new List<double>();
        var measuredSamples = new List<double>();
        var sampling = SampleAsync(phase, callers, warmupSamples, measuredSamples, stopSampling.Token);
        var warmedUp = TimeSpan.Zero;

        TimeSpan? clientCpuStart = null, clientCpuEnd = null, serverCpuStart = null, serverCpuEnd = null;
        long measureStart = 0, measureEnd = 0, allocatedStart = 0, allocatedEnd = 0;
        ProcessFootprint? clientLoad = null, serverLoad = null;
        try
        {
            if (settings.Warmup > TimeSpan.Zero)
            {
                await Task.Delay(settings.Warmup, cancellationToken).ConfigureAwait(false);
            }
            warmedUp = settings.Warmup;
            while (warmedUp < settings.Warmup + settings.WarmupExtension && StillRising(Snapshot(warmupSamples)))
            {
                await Task.Delay(SampleInterval, cancellationToken).ConfigureAwait(false);
                warmedUp += SampleInterval;
            }
            clientCpuStart = CpuMeter.Self();
            serverCpuStart = CpuMeter.OfProcesses(serverPids);
            allocatedStart = GC.GetTotalAllocatedBytes(precise: false);
            measureStart = Stopwatch.GetTimestamp();
            phase.Set(BenchPhase.Measuring);

            await Task.Delay(settings.Duration, cancellationToken).ConfigureAwait(false);

            phase.Set(BenchPhase.Done);
            measureEnd = Stopwatch.GetTimestamp();
            allocatedEnd = GC.GetTotalAllocatedBytes(precise: false);
            clientCpuEnd = CpuMeter.Self();
            serverCpuEnd = CpuMeter.OfProcesses(serverPids);
            // No collection here: the footprint under load includes the garbage a loaded process carries.
            clientLoad = ProcessFootprint.Of(Environment.ProcessId);
            serverLoad = ProcessFootprint.OfAll(serverPids);
        }
        finally
        {
            phase.Set(BenchPhase.Done);
            await stopSampling.CancelAsync().ConfigureAwait(false);
            // Callers stop after their call in flight; ones that hang (a server that stopped answering) are cancelled.
            try
            {
                await Task.WhenAll(tasks).WaitAsync(TimeSpan.FromSeconds(10), CancellationToken.None).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
                await abort.CancelAsync().ConfigureAwait(false);
                await Task.WhenAny(Task.WhenAll(tasks), Task.Delay(TimeSpan.FromSeconds(5), CancellationToken.None)).ConfigureAwait(false);
            }
        }

        var histogram = new LatencyHistogram();
        long errors = 0, operations = 0, bytes = 0;
        string? firstError = null;
        foreach (var caller in callers)
        {
            histogram.Add(caller.Histogram);
            errors += caller.Errors;
            firstError ??= caller.FirstError;
            operations += caller.MeasuredOperations;
            bytes += caller.MeasuredBytes;
        }
        await sampling.ConfigureAwait(false);
        var (warmupRps, measuredRps) = (Snapshot(warmupSamples), Snapshot(measuredSamples));
        var wall = Stopwatch.GetElapsedTime(measureStart, measureEnd);
        static double Us(double nanoseconds) => Math.Round(nanoseconds / 1000.0, 1);
        double? PerSecond(double value) => wall > TimeSpan.Zero ? Math.Round(value / wall.TotalSeconds, 1) : null;
        return new BenchResult
        {
            Name = name,
            Target = target,
            Rps = PerSecond(operations) ?? 0,
            Requests = operations,
            MsgsPerSecond = settings.Scenario.ReportsMessages ? PerSecond(operations) : null,
            MbPerSecond = settings.Scenario.ReportsBytes ? PerSecond(bytes / 1e6) : null,
            Errors = errors,
            FirstError = firstError,
            P50Us = Us(histogram.ValueAt(50)),
            P90Us = Us(histogram.ValueAt(90)),
            P99Us = Us(histogram.ValueAt(99)),
            P999Us = Us(histogram.ValueAt(99.9)),
            MeanUs = Us(histogram.Mean),
            MaxUs = Us(histogram.Max),
            ClientCpuPercent = CpuMeter.Percent(clientCpuStart, clientCpuEnd, wall),
            ClientBytesPerCall = operations > 0 && allocatedEnd > allocatedStart ? Math.Round((double)(allocatedEnd - allocatedStart) / operations) : null,
            ServerCpuPercent = CpuMeter.Percent(serverCpuStart, serverCpuEnd, wall),
            DurationSeconds = Math.Round(wall.TotalSeconds, 3),
            WarmupSeconds = warmedUp.TotalSeconds,
            WarmupRps = warmupRps,
            MeasuredRps = measuredRps,
            WarmupTooShort = WarmupLooksTooShort(warmupRps, measuredRps),
            Footprint = new BenchFootprint { Connections = connections, Servers = serverPids.Count, ClientLoad = clientLoad, ServerLoad = serverLoad },
        };
    }

    /// <summary>
    /// Whether throughput was still well below the measured level at the end of the warm-up (the
    /// JIT still busy): the mean of the last two warm-up seconds under 90% of the median measured second.
    /// </summary>
    internal static bool WarmupLooksTooShort(IReadOnlyList<double> warmup, IReadOnlyList<double> measured)
    {
        if (warmup.Count < 2 || measured.Count < 2)
        {
            return false;
        }
        var sorted = measured.Order().ToList();
        var median = sorted[sorted.Count / 2];
        return (warmup[^1] + warmup[^2]) / 2 < 0.9 * median;
    }

    /// <summary>Whether throughput is still rising: the last two one-second samples average over 10% above the two before them.</summary>
    internal static bool StillRising(IReadOnlyList<double> samples) =>
        samples.Count >= 4 && (samples[^1] + samples[^2]) > 1.1 * (samples[^3] + samples[^4]);

    private static List<double> Snapshot(List<double> samples)
    {
        lock (samples)
        {
            return [.. samples];
        }
    }

    /// <summary>Completed calls per second, each second, into the warm-up or measured list (a second that spans the switch is dropped).</summary>
    private static async Task SampleAsync(BenchPhase phase, IScenarioCaller[] callers, List<double> warmup, List<double> measured, CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(SampleInterval);
        long Total() => callers.Sum(c => c.Completed);
        var lastCount = Total();
        var lastTime = Stopwatch.GetTimestamp();
        var lastPhase = phase.Current;
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false))
            {
                var nowPhase = phase.Current;
                var count = Total();
                var now = Stopwatch.GetTimestamp();
                if (nowPhase == lastPhase && nowPhase != BenchPhase.Done)
                {
                    var rate = Math.Round((count - lastCount) / Stopwatch.GetElapsedTime(lastTime, now).TotalSeconds, 1);
                    var samples = nowPhase == BenchPhase.WarmingUp ? warmup : measured;
                    lock (samples)
                    {
                        samples.Add(rate);
                    }
                }
                (lastCount, lastTime, lastPhase) = (count, now, nowPhase);
            }
        }
        catch (OperationCanceledException)
        {
            // The run ended.
        }
    }
}

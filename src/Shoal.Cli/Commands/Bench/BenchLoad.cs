using System.Diagnostics;
using Shoal.Cli.Commands.Bench.Scenarios;
using Shoal.Telemetry.Internal;

namespace Shoal.Cli.Commands.Bench;

/// <summary>
/// The callers of one benchmark run, started: warmed up, measured in one window or in several
/// slices (paused between them while another run is measured), then stopped and summed into a
/// <see cref="BenchResult"/>. The measured figures (calls, CPU, allocation, time) add up over the slices.
/// </summary>
internal sealed class BenchLoad
{
    private static readonly TimeSpan SampleInterval = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan DrainTimeout = TimeSpan.FromSeconds(10);

    private readonly BenchPhase _phase;
    private readonly IScenarioCaller[] _callers;
    private readonly Task[] _tasks;
    private readonly CancellationTokenSource _abort;
    private readonly CancellationTokenSource _stopSampling = new();
    private readonly List<double> _warmupSamples = [];
    private readonly List<double> _measuredSamples = [];
    private readonly Task _sampling;
    private readonly int _connections;
    private TimeSpan _warmedUp;
    private TimeSpan _clientCpu;
    private TimeSpan _serverCpu;
    private bool _serverCpuKnown = true;
    private long _allocated;
    private long _measuredTicks;
    private int _slices;
    private ProcessFootprint? _clientLoad;
    private ProcessFootprint? _serverLoad;

    private BenchLoad(int connections, Func<int, IScenarioCaller> createCaller, int concurrency, int initialPhase, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(connections, 1);
        _connections = connections;
        _phase = new BenchPhase(initialPhase);
        _abort = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        _callers = new IScenarioCaller[concurrency];
        _tasks = new Task[concurrency];
        for (var i = 0; i < _callers.Length; i++)
        {
            var caller = _callers[i] = createCaller(i % connections);
            var token = _abort.Token;
            _tasks[i] = Task.Run(() => caller.RunAsync(_phase, token), CancellationToken.None);
        }
        _sampling = SampleAsync(_stopSampling.Token);
    }

    /// <summary>
    /// Starts <paramref name="concurrency"/> callers from <paramref name="createCaller"/> (caller i on
    /// connection i mod <paramref name="connections"/>), warming up, or paused when <paramref name="paused"/>.
    /// </summary>
    public static BenchLoad Start(int connections, Func<int, IScenarioCaller> createCaller, int concurrency, bool paused, CancellationToken cancellationToken) =>
        new(connections, createCaller, concurrency, paused ? BenchPhase.Paused : BenchPhase.WarmingUp, cancellationToken);

    /// <summary>
    /// Warms up for <see cref="BenchSettings.Warmup"/>, and by up to <see cref="BenchSettings.WarmupExtension"/>
    /// more while throughput still rises (see <see cref="BenchRunner.StillRising"/>).
    /// </summary>
    public async Task WarmUpAsync(BenchSettings settings, CancellationToken cancellationToken)
    {
        _phase.Set(BenchPhase.WarmingUp);
        if (settings.Warmup > TimeSpan.Zero)
        {
            await Task.Delay(settings.Warmup, cancellationToken).ConfigureAwait(false);
        }
        _warmedUp = settings.Warmup;
        while (_warmedUp < settings.Warmup + settings.WarmupExtension && BenchRunner.StillRising(Snapshot(_warmupSamples)))
        {
            await Task.Delay(SampleInterval, cancellationToken).ConfigureAwait(false);
            _warmedUp += SampleInterval;
        }
    }

    /// <summary>
    /// Pauses, and waits (at most <see cref="DrainTimeout"/>) until every caller has finished its call in
    /// flight, so that none runs while another run is measured. Only for callers of short calls: a
    /// stream's caller does not stop at a pause.
    /// </summary>
    public async Task PauseAsync(CancellationToken cancellationToken)
    {
        _phase.Set(BenchPhase.Paused);
        var deadline = Stopwatch.GetTimestamp() + (long)(DrainTimeout.TotalSeconds * Stopwatch.Frequency);
        while (_phase.Parked + _tasks.Count(t => t.IsCompleted) < _callers.Length && Stopwatch.GetTimestamp() < deadline)
        {
            await Task.Delay(1, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Measures for <paramref name="duration"/>, adding to what earlier slices measured, and leaves the
    /// callers paused: no call starts after it, and none that ends after it counts (see <see cref="PauseAsync"/>
    /// to also wait for the calls in flight).
    /// </summary>
    public async Task MeasureAsync(TimeSpan duration, IReadOnlyList<int> serverPids, CancellationToken cancellationToken)
    {
        var clientCpuStart = CpuMeter.Self();
        var serverCpuStart = CpuMeter.OfProcesses(serverPids);
        var allocatedStart = GC.GetTotalAllocatedBytes(precise: false);
        var start = Stopwatch.GetTimestamp();
        _phase.Set(BenchPhase.Measuring);
        try
        {
            await Task.Delay(duration, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _phase.Set(BenchPhase.Paused);
            var end = Stopwatch.GetTimestamp();
            var allocatedEnd = GC.GetTotalAllocatedBytes(precise: false);
            var clientCpuEnd = CpuMeter.Self();
            var serverCpuEnd = CpuMeter.OfProcesses(serverPids);
            // No collection here: the footprint under load includes the garbage a loaded process carries.
            _clientLoad = ProcessFootprint.Of(Environment.ProcessId);
            _serverLoad = ProcessFootprint.OfAll(serverPids);
            _measuredTicks += end - start;
            _allocated += Math.Max(0, allocatedEnd - allocatedStart);
            _clientCpu += clientCpuEnd - clientCpuStart;
            if (serverCpuStart is { } serverStart && serverCpuEnd is { } serverEnd)
            {
                _serverCpu += serverEnd - serverStart;
            }
            else
            {
                // A server not started by bench (or gone): its CPU is not known for the run.
                _serverCpuKnown = false;
            }
            _slices++;
        }
    }

    /// <summary>Stops the callers, cancelling any that hang (a server that stopped answering); once, before <see cref="Result"/>.</summary>
    public async Task StopAsync()
    {
        _phase.Set(BenchPhase.Done);
        await _stopSampling.CancelAsync().ConfigureAwait(false);
        // Callers stop after their call in flight; ones that hang (a server that stopped answering) are cancelled.
        try
        {
            await Task.WhenAll(_tasks).WaitAsync(TimeSpan.FromSeconds(10), CancellationToken.None).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            await _abort.CancelAsync().ConfigureAwait(false);
            await Task.WhenAny(Task.WhenAll(_tasks), Task.Delay(TimeSpan.FromSeconds(5), CancellationToken.None)).ConfigureAwait(false);
        }
        finally
        {
            _abort.Dispose();
        }
        await _sampling.ConfigureAwait(false);
        _stopSampling.Dispose();
    }

    /// <summary>What the stopped callers measured, summed over the slices.</summary>
    public BenchResult Result(string name, string target, BenchSettings settings, IReadOnlyList<int> serverPids)
    {
        var histogram = new LatencyHistogram();
        long errors = 0, operations = 0, bytes = 0;
        string? firstError = null;
        foreach (var caller in _callers)
        {
            histogram.Add(caller.Histogram);
            errors += caller.Errors;
            firstError ??= caller.FirstError;
            operations += caller.MeasuredOperations;
            bytes += caller.MeasuredBytes;
        }
        var (warmupRps, measuredRps) = (Snapshot(_warmupSamples), Snapshot(_measuredSamples));
        var wall = Stopwatch.GetElapsedTime(0, _measuredTicks);
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
            ClientCpuPercent = CpuMeter.Percent(TimeSpan.Zero, _clientCpu, wall),
            ClientBytesPerCall = operations > 0 && _allocated > 0 ? Math.Round((double)_allocated / operations) : null,
            ServerCpuPercent = _serverCpuKnown ? CpuMeter.Percent(TimeSpan.Zero, _serverCpu, wall) : null,
            DurationSeconds = Math.Round(wall.TotalSeconds, 3),
            MeasuredSlices = _slices > 1 ? _slices : null,
            WarmupSeconds = _warmedUp.TotalSeconds,
            WarmupRps = warmupRps,
            MeasuredRps = measuredRps,
            WarmupTooShort = BenchRunner.WarmupLooksTooShort(warmupRps, measuredRps),
            Footprint = new BenchFootprint { Connections = _connections, Servers = serverPids.Count, ClientLoad = _clientLoad, ServerLoad = _serverLoad },
        };
    }

    private static List<double> Snapshot(List<double> samples)
    {
        lock (samples)
        {
            return [.. samples];
        }
    }

    /// <summary>
    /// Completed calls per second, each second, into the warm-up or measured list: a second that spans
    /// a change of phase is dropped, and so is a paused one.
    /// </summary>
    private async Task SampleAsync(CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(SampleInterval);
        long Total() => _callers.Sum(c => c.Completed);
        var lastCount = Total();
        var lastTime = Stopwatch.GetTimestamp();
        var lastPhase = _phase.Current;
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false))
            {
                var nowPhase = _phase.Current;
                var count = Total();
                var now = Stopwatch.GetTimestamp();
                if (nowPhase == lastPhase && nowPhase is BenchPhase.WarmingUp or BenchPhase.Measuring)
                {
                    var rate = Math.Round((count - lastCount) / Stopwatch.GetElapsedTime(lastTime, now).TotalSeconds, 1);
                    var samples = nowPhase == BenchPhase.WarmingUp ? _warmupSamples : _measuredSamples;
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

using Grpc.Core;
using Shoal.Cli.Commands.Bench.Scenarios;

namespace Shoal.Cli.Commands.Bench;

/// <summary>
/// Loads the server with <see cref="BenchSettings.Concurrency"/> callers of the settings' scenario
/// (unary SayHello by default), spread over one invoker per connection: a warm-up that is not
/// counted, then a measured window; or several runs measured in alternating slices.
/// </summary>
internal static class BenchRunner
{
    /// <summary>The length a slice of an interleaved run aims at.</summary>
    internal static readonly TimeSpan SliceLength = TimeSpan.FromSeconds(2);

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
        return RunAsync(name, target, invokers.Count, CallersOn(invokers, settings), settings, serverPids, cancellationToken);
    }

    /// <summary>
    /// Runs the benchmark with callers from <paramref name="createCaller"/>, given the index of the
    /// connection each is on: caller i is on connection i mod <paramref name="connections"/>.
    /// </summary>
    public static async Task<BenchResult> RunAsync(
        string name, string target, int connections, Func<int, IScenarioCaller> createCaller, BenchSettings settings, IReadOnlyList<int> serverPids,
        CancellationToken cancellationToken)
    {
        var load = BenchLoad.Start(connections, createCaller, settings.Concurrency, paused: false, cancellationToken);
        try
        {
            await load.WarmUpAsync(settings, cancellationToken).ConfigureAwait(false);
            await load.MeasureAsync(settings.Duration, serverPids, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            await load.StopAsync().ConfigureAwait(false);
        }
        return load.Result(name, target, settings, serverPids);
    }

    /// <summary>
    /// Runs several benchmarks against the same server in alternation, so that a drift of the
    /// machine's speed during the run falls on all of them alike: each warms up in turn (the others
    /// paused), then the measured <see cref="BenchSettings.Duration"/> of each is cut into slices of
    /// about <see cref="SliceLength"/>, measured in the order A B, B A, A B, ... (a linear drift
    /// cancels over each pair of rounds). A run waits with no call in flight while another is measured.
    /// </summary>
    public static async Task<IReadOnlyList<BenchResult>> RunInterleavedAsync(
        IReadOnlyList<InterleavedRun> runs, BenchSettings settings, IReadOnlyList<int> serverPids, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(runs.Count, 1);
        var loads = new List<BenchLoad>();
        try
        {
            foreach (var run in runs)
            {
                loads.Add(BenchLoad.Start(run.Invokers.Count, CallersOn(run.Invokers, settings), settings.Concurrency, paused: true, cancellationToken));
            }
            foreach (var load in loads)
            {
                await load.WarmUpAsync(settings, cancellationToken).ConfigureAwait(false);
                await load.PauseAsync(cancellationToken).ConfigureAwait(false);
            }
            var slices = SlicesOf(settings.Duration);
            var slice = settings.Duration / slices;
            for (var round = 0; round < slices; round++)
            {
                var order = round % 2 == 0 ? loads : Enumerable.Reverse(loads);
                foreach (var load in order)
                {
                    await load.MeasureAsync(slice, serverPids, cancellationToken).ConfigureAwait(false);
                    await load.PauseAsync(cancellationToken).ConfigureAwait(false);
                }
            }
        }
        finally
        {
            foreach (var load in loads)
            {
                await load.StopAsync().ConfigureAwait(false);
            }
        }
        return [.. runs.Select((run, i) => loads[i].Result(run.Name, run.Target, settings, serverPids))];
    }

    /// <summary>The settings' scenario's caller on connection i of <paramref name="invokers"/>.</summary>
    private static Func<int, IScenarioCaller> CallersOn(IReadOnlyList<CallInvoker> invokers, BenchSettings settings) =>
        i => settings.Scenario.CreateCaller(invokers[i], settings);

    /// <summary>How many slices an interleaved run cuts <paramref name="duration"/> into: about <see cref="SliceLength"/> each, at least one.</summary>
    internal static int SlicesOf(TimeSpan duration) => Math.Max(1, (int)Math.Round(duration / SliceLength));

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
}

using System.Diagnostics;
using System.Globalization;
using Grpc.Core;
using Shoal.Discovery;

namespace Shoal.Benchmarks.Registry;

/// <summary>
/// How long a change to a registry of many instances takes to reach every watcher.
/// <code>
/// dotnet run -c Release --project benchmarks/Shoal.Benchmarks -- registry-watch
///     [--backend embedded|etcd|both] [--instances 10000] [--watchers 1,10] [--rounds 20]
///     [--ttl 10] [--cpu-load 0]
/// </code>
/// A real registry on 127.0.0.1 holds <c>--instances</c> instances whose leases (TTL <c>--ttl</c>
/// seconds) are renewed by real keepalives; for each watcher count, every round makes three kinds
/// of change (register, deregister, a lease that expires) and records the time from the change
/// until the last watcher saw it. <c>--cpu-load N</c> runs N busy threads beside it.
/// </summary>
internal static class RegistryWatchBenchmark
{
    public const string Name = "registry-watch";

    private static readonly TimeSpan ExpiringTtl = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan WaitLimit = TimeSpan.FromSeconds(30);

    public static async Task<int> RunAsync(string[] args)
    {
        BenchOptions options;
        try
        {
            options = BenchOptions.Parse(args);
        }
        catch (FormatException ex)
        {
            await Console.Error.WriteLineAsync($"registry-watch: {ex.Message}");
            return 2;
        }
        var output = Console.Out;
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"registry-watch: {options.Instances} instances, TTL {options.Ttl.TotalSeconds:F0} s, watchers {string.Join(",", options.Watchers)}, {options.Rounds} rounds, cpu-load {options.CpuLoad}, {Environment.ProcessorCount} cores"));
        using var load = options.CpuLoad > 0 ? new CpuLoad(options.CpuLoad) : null;
        var worst = 0.0;
        foreach (var backendName in options.Backends)
        {
            try
            {
                await using var backend = await StartBackendAsync(backendName);
                worst = Math.Max(worst, await RunBackendAsync(backend, options, output));
            }
            catch (Exception ex) when (ex is InvalidOperationException or TimeoutException or FileNotFoundException or RpcException)
            {
                await Console.Error.WriteLineAsync($"registry-watch: {backendName}: {ex.Message}");
                return 1;
            }
        }
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"slowest change overall: {worst:F1} ms (target: under 1000 ms)"));
        return 0;
    }

    private static async Task<IRegistryBackend> StartBackendAsync(string name) => name switch
    {
        "embedded" => await EmbeddedBackend.StartAsync(),
        "etcd" => await EtcdBackend.StartAsync(),
        _ => throw new InvalidOperationException($"unknown backend '{name}'"),
    };

    private static async Task<double> RunBackendAsync(IRegistryBackend backend, BenchOptions options, TextWriter output)
    {
        var populate = Stopwatch.StartNew();
        await backend.PopulateAsync(options.Instances, options.Ttl, CancellationToken.None);
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{backend.Name}: registered {options.Instances} instances in {populate.Elapsed.TotalSeconds:F1} s"));
        var worst = 0.0;
        foreach (var watchers in options.Watchers)
        {
            var recorder = new LatencyRecorder();
            await using var group = new WatcherGroup(backend, watchers);
            await group.WaitAllAsync(s => s.Instances.Length == options.Instances, WaitLimit, $"the {options.Instances} instances");
            var gcBefore = (GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2));
            var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
            var clock = Stopwatch.StartNew();
            var setsBefore = group.SetsSeen;
            var renewalsBefore = backend.Renewals;
            // The first round warms up connections and code paths and is not recorded.
            for (var round = -1; round < options.Rounds; round++)
            {
                await RunRoundAsync(backend, group, options.Instances, $"w{watchers}-r{round}", round >= 0 ? recorder : new LatencyRecorder());
            }
            var cpu = Process.GetCurrentProcess().TotalProcessorTime - cpuBefore;
            recorder.Print(output, $"{backend.Name}, {watchers} watcher{(watchers == 1 ? "" : "s")}");
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  {clock.Elapsed.TotalSeconds:F1} s, process CPU {cpu.TotalSeconds / clock.Elapsed.TotalSeconds * 100:F0} % of one core, sets seen {group.SetsSeen - setsBefore}, GC {GC.CollectionCount(0) - gcBefore.Item1}/{GC.CollectionCount(1) - gcBefore.Item2}/{GC.CollectionCount(2) - gcBefore.Item3} (gen0/1/2), {backend.KeepAliveSummary(renewalsBefore, clock.Elapsed)}"));
            worst = Math.Max(worst, recorder.Max);
        }
        return worst;
    }

    /// <summary>One of each change: a lease that will expire, a register, a deregister, then the expiry.</summary>
    private static async Task RunRoundAsync(IRegistryBackend backend, WatcherGroup group, int instances, string tag, LatencyRecorder recorder)
    {
        var expiring = BenchInstances.Create($"expiring-{tag}", instances + 1);
        var start = Stopwatch.GetTimestamp();
        await backend.RegisterAsync(expiring, ExpiringTtl, CancellationToken.None);
        var expiresAt = Stopwatch.GetTimestamp() + (long)(ExpiringTtl.TotalSeconds * Stopwatch.Frequency);
        recorder.Add("register", Elapsed(start, await group.WaitAllAsync(s => Has(s, expiring.InstanceId), WaitLimit, expiring.InstanceId)));

        var added = BenchInstances.Create($"added-{tag}", instances + 2);
        start = Stopwatch.GetTimestamp();
        var lease = await backend.RegisterAsync(added, TimeSpan.FromMinutes(1), CancellationToken.None);
        recorder.Add("register", Elapsed(start, await group.WaitAllAsync(s => Has(s, added.InstanceId), WaitLimit, added.InstanceId)));

        start = Stopwatch.GetTimestamp();
        await backend.DeregisterAsync(lease, CancellationToken.None);
        recorder.Add("deregister", Elapsed(start, await group.WaitAllAsync(s => !Has(s, added.InstanceId), WaitLimit, $"{added.InstanceId} gone")));

        // The registry measures the TTL from when it granted the lease, a little before the
        // answer arrived here, so this slightly underestimates the expiry latency (by one round trip).
        var seen = await group.WaitAllAsync(s => !Has(s, expiring.InstanceId), WaitLimit, $"{expiring.InstanceId} expired");
        recorder.Add("expiry", Elapsed(expiresAt, seen));
    }

    private static TimeSpan Elapsed(long from, long to) => TimeSpan.FromSeconds(Math.Max(0, to - from) / (double)Stopwatch.Frequency);

    private static bool Has(InstanceSet set, string id)
    {
        foreach (var instance in set.Instances)
        {
            if (instance.InstanceId == id)
            {
                return true;
            }
        }
        return false;
    }
}

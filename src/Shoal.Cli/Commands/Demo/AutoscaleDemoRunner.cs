using System.Diagnostics;
using System.Globalization;
using Grpc.Core;
using Shoal.Autoscaling;
using Shoal.Autoscaling.Actuators;
using Shoal.Autoscaling.Capacity;
using Shoal.Autoscaling.Policy;
using Shoal.Cli.Commands.Bench;
using Shoal.Cli.Hosting;
using Shoal.Client;
using Shoal.Client.Cluster.FaultTolerance;
using Shoal.Client.Cluster.LoadBalancing;

namespace Shoal.Cli.Commands.Demo;

/// <summary>
/// The whole story on one machine: the embedded registry in this process, Greeter instances as
/// separate capacity-limited processes started by the autoscaler's local actuator, a client that
/// replays a compressed WorldCup day through the cluster channel, and a SIGKILL midway.
/// </summary>
internal static partial class AutoscaleDemoRunner
{
    /// <summary>Calls in flight at most (open loop beyond that: due calls wait and their wait counts as latency).</summary>
    public const int MaxInFlight = 1000;

    private const string NicePath = "/usr/bin/nice";
    private static readonly TimeSpan StartupTimeout = TimeSpan.FromSeconds(60);

    /// <summary>Runs the demo, writing one progress line per control interval to <paramref name="progress"/>.</summary>
    public static async Task<AutoscaleDemoReport> RunAsync(AutoscaleDemoSettings settings, TextWriter progress, CancellationToken cancellationToken)
    {
        var shape = DemoLoadShape.Create(settings.TracePath, settings.Duration, settings.Interval, settings.Capacity * settings.PeakInstances);
        var executable = settings.Executable ?? ShoalExecutable.Current();
        var limiter = new CapacityLimiter(settings.Capacity);
        await progress.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"Autoscaling demo: {shape.Source}, compressed into {shape.Duration.TotalSeconds:0} s, peak {shape.Peak:0} calls/s.")).ConfigureAwait(false);
        await progress.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"Each Greeter instance is a separate process limited to {settings.Capacity:0} calls/s ({CapacityLimiter.Slots} slots x {limiter.ServiceTime.TotalMilliseconds:0.#} ms service time):")).ConfigureAwait(false);
        await progress.WriteLineAsync("excess load queues (latency), never fails, and adding instances really adds capacity even on a 2-core machine.").ConfigureAwait(false);

        // The client's calls are all asynchronous, but a cold thread pool grows slowly under a burst.
        ThreadPool.GetMinThreads(out var workers, out var io);
        ThreadPool.SetMinThreads(Math.Max(workers, 32), Math.Max(io, 32));
        var registry = await EmbeddedRegistryHost.StartAsync(settings.RegistryTokenFile, cancellationToken).ConfigureAwait(false);
        await using (registry.ConfigureAwait(false))
        {
            await progress.WriteLineAsync(RegistryLine(registry.Address, settings.RegistryTokenFile)).ConfigureAwait(false);
            // Instances run under nice where it exists: a burst of instance start-ups (JIT on 2 cores)
            // must not starve the demo's own client and registry, which stand for other machines.
            var (fileName, prefix) = File.Exists(NicePath)
                ? (NicePath, (IReadOnlyList<string>)["-n", "10", executable.FileName, .. executable.Prefix])
                : (executable.FileName, executable.Prefix);
            var actuator = new LocalProcessActuator(new LocalProcessOptions
            {
                FileName = fileName,
                Arguments =
                [
                    .. prefix, "serve", "--host", "127.0.0.1", "--tcp-port", "{port}", "--grpc-port", "-1",
                    "--capacity", settings.Capacity.ToString(CultureInfo.InvariantCulture), "--registry", registry.Address,
                    "--load-window", DurationParser.Format(DemoComparison.LoadWindow),
                    .. (settings.RegistryTokenFile is { } token ? (string[])["--registry-token-file", Path.GetFullPath(token)] : []),
                ],
                GracePeriod = TimeSpan.FromSeconds(10),
                RestartDelay = TimeSpan.FromMilliseconds(300),
                InstancePrefix = "greeter",
            });
            var run = new DemoRun(settings, shape, actuator, progress);
            AutoscaleDemoReport report;
            try
            {
                report = await run.ExecuteAsync(registry.Address, cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                await actuator.DisposeAsync().ConfigureAwait(false);
            }
            return report with { ProcessesLeft = [.. report.Processes.Where(IsAlive)] };
        }
    }

    /// <summary>The progress line naming the embedded registry, and whether it is members only.</summary>
    public static string RegistryLine(string address, string? tokenFile) => tokenFile is null
        ? $"Embedded registry at {address} (in this process)."
        : $"Embedded registry at {address} (in this process), members only: every process sends the token in {Path.GetFullPath(tokenFile)}.";

    /// <summary>
    /// The options of the demo's cluster channel: p2c_ewma, SayHello idempotent with failover, fast
    /// warm-up, and the registry token when the registry is members only.
    /// </summary>
    public static ShoalChannelOptions ChannelOptions(string? registryTokenFile = null)
    {
        var options = new ShoalChannelOptions { RegistryTokenFile = registryTokenFile };
        options.Cluster.LoadBalancing.Policy = LoadBalancerNames.P2cEwma;
        // Time is compressed: a new instance takes its full share within a couple of seconds.
        options.Cluster.LoadBalancing.WarmupPeriod = TimeSpan.FromSeconds(2);
        options.Cluster.Methods["/hello.Greeter/SayHello"] = new MethodPolicy
        {
            Strategy = FaultToleranceNames.Failover,
            Idempotent = true,
            Retries = 3,
        };
        options.Cluster.RetryBudget.MinRetriesPerSecond = 200;
        return options;
    }

    /// <summary>Whether process <paramref name="pid"/> is still running (a zombie counts as gone).</summary>
    public static bool IsAlive(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            return !stat.Contains(") Z ", StringComparison.Ordinal) && !stat.Contains(") X ", StringComparison.Ordinal);
        }
        catch (IOException)
        {
            return false;
        }
        catch (UnauthorizedAccessException)
        {
            return true;
        }
    }

    /// <summary>Calls until one succeeds (the first instance is registered and serving); not counted in the report.</summary>
    public static async Task WaitForFirstCallAsync(Hello.Greeter.GreeterClient client, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                await client.SayHelloAsync(new Hello.HelloRequest { Name = "ready" }, deadline: DateTime.UtcNow.AddSeconds(5), cancellationToken: cancellationToken).ConfigureAwait(false);
                return;
            }
            catch (RpcException) when (clock.Elapsed < StartupTimeout && !cancellationToken.IsCancellationRequested)
            {
                await Task.Delay(100, cancellationToken).ConfigureAwait(false);
            }
        }
    }
}

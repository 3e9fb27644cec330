namespace Shoal.Cli.Commands.Bench;

/// <summary>
/// <c>shoal bench --instances N</c>: starts N <c>shoal serve</c> processes and loads them through one
/// cluster channel per connection (<c>static://</c> with every instance, round robin unless
/// <c>--lb</c> says otherwise), after the same load through a cluster channel over the first instance
/// alone. Each channel dials every instance, so the client holds connections × N connections.
/// </summary>
internal static class BenchInstances
{
    /// <summary>The run through a cluster channel over the first instance only.</summary>
    public const string OneInstanceRun = "shoal-cluster-1";

    private const int StartParallelism = 4;
    private static readonly string[] ServeArguments = ["--host", "127.0.0.1", "--tcp-port", "0", "--grpc-port", "-1"];

    /// <summary>The name of the run over <paramref name="instances"/> instances.</summary>
    public static string RunName(int instances) => "shoal-cluster-" + instances.ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Starts the servers, runs the one-instance and the N-instance loads, and stops every server on every path.</summary>
    public static async Task<IReadOnlyList<BenchResult>> RunAsync(BenchPlan plan, int instances, Func<ShoalExecutable> executable, CommandIO io)
    {
        var servers = new List<ServerProcess>();
        try
        {
            await StartAsync(servers, instances, executable, io.Cancellation).ConfigureAwait(false);
            await io.Error.WriteLineAsync(
                $"shoal bench: started {servers.Count} Shoal servers (pids {string.Join(" ", servers.Select(s => s.Pid))})").ConfigureAwait(false);
            var addresses = servers.Select(s => new Uri(s.Ready.Native ?? throw new InvalidOperationException("A Shoal server reported no native address."))).ToList();
            var loadBalancer = plan.LoadBalancer ?? "round_robin";
            string Target(IEnumerable<Uri> some) =>
                TargetPolicies.Apply("static://" + string.Join(",", some.Select(a => a.Authority)), loadBalancer, plan.Strategy, out _);

            var one = await BenchPlanRunner.RunOneAsync(OneInstanceRun, Target(addresses.Take(1)), plainClient: false, plan.Settings,
                [servers[0].Pid], io, plan.Idempotent, [addresses[0].Port]).ConfigureAwait(false);
            var all = await BenchPlanRunner.RunOneAsync(RunName(instances), Target(addresses), plainClient: false, plan.Settings,
                servers.Select(s => s.Pid).ToList(), io, plan.Idempotent, addresses.Select(a => a.Port).ToList()).ConfigureAwait(false);
            // The channels here hold a connection per instance each. The client's "before" is the sample
            // taken before the one-instance run's connections: the one taken before this run would
            // count the heap that run left behind as the baseline, and show almost no growth.
            all = all with
            {
                RpsVsDirect = one.Rps > 0 ? Math.Round(all.Rps / one.Rps, 3) : null,
                Footprint = all.Footprint! with
                {
                    Connections = plan.Settings.Connections * instances,
                    ClientBefore = one.Footprint!.ClientBefore,
                    OneInstanceClientIdle = one.Footprint.ClientIdle,
                    OneInstanceConnections = one.Footprint.Connections,
                },
            };
            return [one, all];
        }
        finally
        {
            await Task.WhenAll(servers.Select(s => s.DisposeAsync().AsTask())).ConfigureAwait(false);
        }
    }

    /// <summary>Starts the servers a few at a time (each start is bounded); those started are in <paramref name="servers"/> whatever happens.</summary>
    private static async Task StartAsync(List<ServerProcess> servers, int instances, Func<ShoalExecutable> executable, CancellationToken cancellationToken)
    {
        while (servers.Count < instances)
        {
            var batch = Math.Min(StartParallelism, instances - servers.Count);
            var starts = Enumerable.Range(0, batch).Select(_ => ServerProcess.StartAsync(executable(), ServeArguments, cancellationToken)).ToList();
            try
            {
                await Task.WhenAll(starts).ConfigureAwait(false);
            }
            finally
            {
                servers.AddRange(starts.Where(s => s.IsCompletedSuccessfully).Select(s => s.Result));
            }
        }
    }
}

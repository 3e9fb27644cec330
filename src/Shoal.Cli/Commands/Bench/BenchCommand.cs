using System.CommandLine;
using System.Text.Json;
using Shoal.Bench;
using Shoal.Cli.Commands.Bench.Scenarios;
using Shoal.Cli.Hosting;

namespace Shoal.Cli.Commands.Bench;

/// <summary>
/// <c>shoal bench</c>: a load generator for the Greeter. With <c>--target</c> it loads that server;
/// without, it starts a Shoal server process and loads its native port; with <c>--compare</c> it
/// starts a Shoal server and a plain grpc-dotnet server as separate processes and runs, one after
/// the other, <c>shoal-tcp</c>, <c>shoal-cluster</c> (the same server through the cluster channel),
/// <c>shoal-grpc</c> and <c>grpc-dotnet</c>.
/// </summary>
internal static class BenchCommand
{
    /// <summary>The run over the native protocol (ShoalChannel, shoal://).</summary>
    public const string ShoalTcpRun = "shoal-tcp";

    /// <summary>The run through the cluster channel (ShoalChannel, static:// with the one Shoal instance, default policy and strategy).</summary>
    public const string ShoalClusterRun = "shoal-cluster";

    /// <summary>The run over Shoal's gRPC transport (ShoalChannel, http://, Shoal host).</summary>
    public const string ShoalGrpcRun = "shoal-grpc";

    /// <summary>shoal-tcp with the OpenTelemetry SDK attached to client and server (spans sampled, metrics collected).</summary>
    public const string ShoalTelemetryRun = "shoal-tcp-telemetry";

    /// <summary>shoal-tcp over TLS (a certificate generated for the run, the native client trusting its authority).</summary>
    public const string ShoalTlsRun = "shoal-tcp-tls";

    /// <summary>The peer: plain GrpcChannel against plain grpc-dotnet.</summary>
    public const string GrpcDotnetRun = "grpc-dotnet";

    /// <summary>The most servers <c>--instances</c> starts.</summary>
    public const int MaxInstances = 200;

    /// <summary>Builds the command.</summary>
    public static Command Build()
    {
        var target = new Option<string?>("--target") { Description = "The server to load: any target ShoalChannel accepts (shoal://, http://, cluster schemes). Default: start one." };
        var concurrency = new Option<int>("--concurrency", "-c")
        {
            Description = "Concurrent callers (for the stream scenarios, concurrent streams). Default 64; 1 for server-stream and client-stream, 4 for large.",
            DefaultValueFactory = _ => 64,
        };
        var scenario = new Option<string>("--scenario")
        {
            Description = "What to load: unary (SayHello), server-stream, client-stream, duplex (ping-pong per stream) or large (unary echo of --payload bytes).",
            DefaultValueFactory = _ => BenchScenario.Unary.Name,
        };
        scenario.AcceptOnlyFromAmong(BenchScenario.Names);
        var nativeDefaults = new Shoal.Client.Native.NativeClientOptions();
        var nativeReceive = new Option<string>("--native-receive")
        {
            Description = "How native connections receive: engine (Shoal's receive engine: the reply's read and its continuations on the engine's thread; Linux), async (the runtime's socket I/O, continuations on the thread pool) or dedicated (one polling thread per connection). Default: the client's own default.",
            DefaultValueFactory = _ => BenchSettings.ReceiveName(nativeDefaults.DedicatedReceiveThread, nativeDefaults.UseReceiveEngine),
        };
        nativeReceive.AcceptOnlyFromAmong("engine", "async", "dedicated");
        var nativeContinuations = new Option<string>("--native-continuations")
        {
            Description = "Where a native call's continuations (a unary response's, a response stream's next message's) run: inline (on the connection's receive loop) or pool (the thread pool). Default: the client's own default.",
            DefaultValueFactory = _ => nativeDefaults.RunContinuationsAsynchronously ? "pool" : "inline",
        };
        nativeContinuations.AcceptOnlyFromAmong("inline", "pool");
        var nativeReceivePoll = new Option<TimeSpan>("--native-receive-poll")
        {
            Description = "How long a native connection whose calls wait for replies polls its socket before it waits (0: it waits at once). Default: the client's own default.",
            DefaultValueFactory = _ => nativeDefaults.ReceivePollTime,
            CustomParser = DurationParser.Parse,
        };
        var payload = new Option<int?>("--payload")
        {
            Description = $"Payload bytes per message for the stream scenarios (default 16) and large (default 1 MiB), at most {BenchmarkService.MaxMessageSize}.",
        };
        var connections = new Option<int>("--connections") { Description = "Connections (channels) the callers share, round robin.", DefaultValueFactory = _ => 1 };
        var duration = new Option<TimeSpan>("--duration", "-d")
        {
            Description = "Measured time per run, e.g. 10s.",
            DefaultValueFactory = _ => BenchSettings.DefaultDuration,
            CustomParser = DurationParser.Parse,
        };
        var warmup = new Option<TimeSpan>("--warmup")
        {
            Description = "Uncounted calls before measuring, per run (default 10s, plus 1s per server with --instances: shorter leaves the JIT busy).",
            DefaultValueFactory = _ => BenchSettings.DefaultWarmup,
            CustomParser = DurationParser.Parse,
        };
        var warmupExtend = new Option<TimeSpan>("--warmup-extend")
        {
            Description = "Keep warming up, second by second, while throughput still rises, for at most this much longer (0: a fixed warm-up).",
            DefaultValueFactory = _ => BenchSettings.DefaultWarmupExtension,
            CustomParser = DurationParser.Parse,
        };
        var json = new Option<bool>("--json") { Description = "Print one JSON document: {\"results\":[{\"name\",\"rps\",\"p50_us\",\"p99_us\",\"errors\",...}],...}." };
        var compare = new Option<bool>("--compare") { Description = "Start the servers and run shoal-tcp, shoal-cluster, shoal-grpc and grpc-dotnet in one go, with ratios to grpc-dotnet (and shoal-cluster's to shoal-tcp)." };
        var telemetry = new Option<bool>("--telemetry")
        {
            Description = "With --compare: also run shoal-tcp with the OpenTelemetry SDK attached on both ends (Shoal's spans sampled, its metrics collected for Prometheus) and print its throughput against shoal-tcp without a listener.",
        };
        var tls = new Option<bool>("--tls")
        {
            Description = "With --compare: also run shoal-tcp over TLS (a server certificate for 127.0.0.1 from an authority generated for the run, deleted after) and print its throughput against plaintext shoal-tcp.",
        };
        var client = new Option<string>("--client") { Description = "With --target: 'shoal' (ShoalChannel) or 'grpc-dotnet' (plain GrpcChannel, http:// only).", DefaultValueFactory = _ => "shoal" };
        client.AcceptOnlyFromAmong("shoal", "grpc-dotnet");
        var lb = new Option<string?>("--lb") { Description = "Load balancer for cluster targets: " + string.Join(", ", ChannelPolicyNames.LoadBalancers) + "." };
        lb.AcceptOnlyFromAmong(ChannelPolicyNames.LoadBalancers);
        var strategy = new Option<string?>("--strategy") { Description = "Fault-tolerance strategy for cluster targets: " + string.Join(", ", ChannelPolicyNames.Strategies) + "." };
        strategy.AcceptOnlyFromAmong(ChannelPolicyNames.Strategies);
        var idempotent = new Option<bool>("--idempotent")
        {
            Description = "Cluster targets: treat SayHello as idempotent whatever its contract says, so failover and hedging may send it again "
                + "after a failure that may have reached the server (an instance killed mid-call).",
        };
        var instances = new Option<int?>("--instances")
        {
            Description = $"Start this many servers (at most {MaxInstances}) and load them through one cluster channel per connection (static://, round robin unless --lb), after the same load on a cluster channel over the first alone.",
        };
        instances.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<int?>() is { } count && (count < 1 || count > MaxInstances))
            {
                result.AddError($"--instances must be between 1 and {MaxInstances}; got {count}.");
            }
        });
        OptionRules.AtLeast(concurrency, 1);
        OptionRules.AtLeast(connections, 1);
        OptionRules.AtLeast(duration, TimeSpan.FromMilliseconds(100));
        OptionRules.AtLeast(warmup, TimeSpan.Zero);
        OptionRules.AtLeast(warmupExtend, TimeSpan.Zero);
        OptionRules.AtLeast(nativeReceivePoll, TimeSpan.Zero);
        OptionRules.AtMost(nativeReceivePoll, Shoal.Client.Native.NativeClientOptions.MaxReceivePollTime);
        payload.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<int?>() is { } bytes && (bytes < 0 || bytes > BenchmarkService.MaxMessageSize))
            {
                result.AddError($"--payload must be between 0 and {BenchmarkService.MaxMessageSize} bytes; got {bytes}.");
            }
        });

        var command = new Command("bench", "Load the Greeter and report requests/s, latency percentiles, errors and CPU.")
        {
            target, concurrency, connections, duration, warmup, warmupExtend, json, compare, telemetry, tls, client, lb, strategy, idempotent, scenario, payload, nativeReceive, nativeContinuations, nativeReceivePoll,
            instances,
        };
        var credentials = new ClientCredentialOptions();
        credentials.AddTo(command);
        command.Validators.Add(result =>
        {
            if (result.GetValue(compare) && result.GetValue(target) is not null)
            {
                result.AddError("--compare starts its own servers; it takes no --target.");
            }
            if (result.GetValue(instances) is not null && (result.GetValue(compare) || result.GetValue(target) is not null))
            {
                result.AddError("--instances starts its own servers; it takes no --target or --compare.");
            }
            if (result.GetValue(telemetry) && !result.GetValue(compare))
            {
                result.AddError("--telemetry adds a run to --compare; give both.");
            }
            if (result.GetValue(tls) && !result.GetValue(compare))
            {
                result.AddError("--tls adds a run to --compare; give both.");
            }
        });
        command.SetAction((parseResult, cancellationToken) => CommandRunner.RunAsync(parseResult, cancellationToken, io =>
        {
            var chosen = BenchScenario.Parse(parseResult.GetValue(scenario)!);
            if (parseResult.GetValue(payload) is not null && chosen == BenchScenario.Unary)
            {
                throw new UsageException("--payload applies to the server-stream, client-stream, duplex and large scenarios; unary sends SayHello's 5-byte name.");
            }
            // An explicit --concurrency wins; otherwise the scenario's own default (one stream for the one-way streams).
            var callers = parseResult.GetResult(concurrency) is { Implicit: false } ? parseResult.GetValue(concurrency) : chosen.DefaultConcurrency;
            if (parseResult.GetValue(connections) > callers)
            {
                throw new UsageException("--connections cannot exceed --concurrency (each connection needs a caller).");
            }
            var settings = new BenchSettings
            {
                Concurrency = callers,
                Scenario = chosen,
                Payload = parseResult.GetValue(payload),
                DedicatedReceiveThread = parseResult.GetValue(nativeReceive) == "dedicated",
                UseReceiveEngine = parseResult.GetValue(nativeReceive) == "engine",
                InlineContinuations = parseResult.GetValue(nativeContinuations) == "inline",
                ReceivePollTime = parseResult.GetValue(nativeReceivePoll),
                Connections = parseResult.GetValue(connections),
                Duration = parseResult.GetValue(duration),
                // An explicit --warmup wins; otherwise the default, longer with --instances.
                Warmup = parseResult.GetResult(warmup) is { Implicit: false } ? parseResult.GetValue(warmup) : BenchSettings.DefaultWarmupFor(parseResult.GetValue(instances)),
                WarmupExtension = parseResult.GetValue(warmupExtend),
                Credentials = credentials.Read(parseResult),
            };
            var plan = new BenchPlan(
                settings,
                parseResult.GetValue(target),
                parseResult.GetValue(compare),
                parseResult.GetValue(client) == "grpc-dotnet",
                parseResult.GetValue(lb),
                parseResult.GetValue(strategy),
                parseResult.GetValue(idempotent),
                parseResult.GetValue(telemetry),
                parseResult.GetValue(tls),
                parseResult.GetValue(instances),
                ConnectionsGiven: parseResult.GetResult(connections) is { Implicit: false });
            return RunAsync(plan, parseResult.GetValue(json), ShoalExecutable.Current, io);
        }));
        return command;
    }

    /// <summary>Runs the plan and prints the report (text, or one JSON document).</summary>
    public static async Task<int> RunAsync(BenchPlan plan, bool json, Func<ShoalExecutable> executable, CommandIO io)
    {
        if (BenchReportSettings.BuildKind() == "Debug")
        {
            await io.Error.WriteLineAsync("shoal bench: WARNING: this is a Debug build; figures are not representative (use -c Release).").ConfigureAwait(false);
        }
        var results = await BenchPlanRunner.RunAsync(plan, executable, io).ConfigureAwait(false);
        var report = new BenchReport
        {
            Results = BenchReport.WithRatios(results),
            Settings = new BenchReportSettings
            {
                Concurrency = plan.Settings.Concurrency,
                Scenario = plan.Settings.Scenario.Name,
                PayloadBytes = plan.Settings.Payload ?? plan.Settings.Scenario.DefaultPayload,
                NativeReceive = BenchSettings.ReceiveName(plan.Settings.DedicatedReceiveThread, plan.Settings.UseReceiveEngine),
                NativeContinuations = plan.Settings.InlineContinuations ? "inline" : "pool",
                NativeReceivePollMicroseconds = plan.Settings.ReceivePollTime.TotalMicroseconds,
                Connections = plan.Settings.Connections,
                DurationSeconds = plan.Settings.Duration.TotalSeconds,
                WarmupSeconds = plan.Settings.Warmup.TotalSeconds,
                WarmupExtendSeconds = plan.Settings.WarmupExtension.TotalSeconds,
                LoadBalancer = plan.LoadBalancer,
                Strategy = plan.Strategy,
                Idempotent = plan.Idempotent,
                Instances = plan.Instances,
            },
            Machine = new BenchMachine(),
        };
        if (json)
        {
            await io.Output.WriteLineAsync(JsonSerializer.Serialize(report, CliJsonContext.Default.BenchReport)).ConfigureAwait(false);
        }
        else
        {
            await io.Output.WriteAsync(report.ToText()).ConfigureAwait(false);
        }
        return ExitCodes.Success;
    }
}

using Grpc.Core;
using Hello;
using Shoal.Cli.Commands.Bench.Scenarios;
using Shoal.Cli.Hosting;
using Shoal.Client;

using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;
using Shoal.OpenTelemetry;

namespace Shoal.Cli.Commands.Bench;

/// <summary>Carries out a <see cref="BenchPlan"/>: starts the servers it needs, runs each load, stops the servers.</summary>
internal static class BenchPlanRunner
{
    private static readonly string[] ShoalServeArguments = ["--host", "127.0.0.1", "--tcp-port", "0", "--grpc-port", "0"];
    private static readonly string[] TelemetryServeArguments = [.. ShoalServeArguments, "--metrics-port", "0", "--telemetry"];
    private static readonly string[] PlainServeArguments = ["--plain-grpc", "--host", "127.0.0.1", "--grpc-port", "0"];

    /// <summary>Runs the plan; one result per run, in the order they ran.</summary>
    public static async Task<IReadOnlyList<BenchResult>> RunAsync(BenchPlan plan, Func<ShoalExecutable> executable, CommandIO io)
    {
        if (plan.Instances is { } instances)
        {
            return await BenchInstances.RunAsync(plan, instances, executable, io).ConfigureAwait(false);
        }
        var results = new List<BenchResult>();
        if (plan.Target is { } given)
        {
            var target = TargetPolicies.Apply(given, plan.LoadBalancer, plan.Strategy, out var ignored);
            if (ignored || (plan.Idempotent && TargetPolicies.IsDirect(given)))
            {
                await io.Error.WriteLineAsync(
                    $"shoal bench: --lb, --strategy and --idempotent apply to cluster targets; '{given}' is one instance, so they are ignored.").ConfigureAwait(false);
            }
            var name = plan.PlainGrpcClient ? BenchCommand.GrpcDotnetRun : given;
            results.Add(await RunOneAsync(name, target, plan.PlainGrpcClient, plan.Settings, [], io, plan.Idempotent).ConfigureAwait(false));
            return results;
        }

        // The servers run as separate processes, one at a time, so that client and server never share a
        // process and an idle server takes no CPU from the run being measured.
        var shoal = await StartServerAsync(executable(), ShoalServeArguments, "Shoal", io).ConfigureAwait(false);
        await using (shoal.ConfigureAwait(false))
        {
            var native = shoal.Ready.Native ?? throw new InvalidOperationException("The Shoal server reported no native address.");
            // The same instance through the cluster channel: what the cluster layer costs.
            var cluster = "static://" + new Uri(native).Authority;
            if (plan.Compare && plan.Settings.Scenario.HasShortCalls)
            {
                results.AddRange(await RunInterleavedAsync(
                    [(BenchCommand.ShoalTcpRun, native, false), (BenchCommand.ShoalClusterRun, cluster, plan.Idempotent)], plan.Settings, [shoal.Pid], io).ConfigureAwait(false));
            }
            else
            {
                results.Add(await RunOneAsync(BenchCommand.ShoalTcpRun, native, plainClient: false, plan.Settings, [shoal.Pid], io).ConfigureAwait(false));
                if (plan.Compare)
                {
                    results.Add(await RunOneAsync(BenchCommand.ShoalClusterRun, cluster, plainClient: false, plan.Settings, [shoal.Pid], io, plan.Idempotent).ConfigureAwait(false));
                }
            }
            if (plan.Compare)
            {
                var grpc = shoal.Ready.Grpc ?? throw new InvalidOperationException("The Shoal server reported no gRPC address.");
                results.Add(await RunOneAsync(BenchCommand.ShoalGrpcRun, grpc, plainClient: false, plan.Settings, [shoal.Pid], io).ConfigureAwait(false));
            }
        }
        if (plan.Compare && plan.Telemetry)
        {
            results.Add(await RunWithTelemetryAsync(plan, executable, io).ConfigureAwait(false));
        }
        if (plan.Compare && plan.Tls)
        {
            results.Add(await RunWithTlsAsync(plan, executable, io).ConfigureAwait(false));
        }
        if (plan.Compare)
        {
            var plain = await StartServerAsync(executable(), PlainServeArguments, "plain grpc-dotnet", io).ConfigureAwait(false);
            await using (plain.ConfigureAwait(false))
            {
                var grpc = plain.Ready.Grpc ?? throw new InvalidOperationException("The grpc-dotnet server reported no address.");
                results.Add(await RunOneAsync(BenchCommand.GrpcDotnetRun, grpc, plainClient: true, plan.Settings, [plain.Pid], io).ConfigureAwait(false));
            }
            var scenario = plan.Settings.Scenario;
            if (scenario.HasSocketCopy && (plan.Settings.Payload ?? scenario.DefaultPayload) is > 0 and var payload)
            {
                await io.Error.WriteLineAsync(
                    $"shoal bench: {SocketCopy.RunName}: {payload:N0}-byte chunks echoed over {plan.Settings.Connections} plain loopback connection(s), measuring {DurationParser.Format(plan.Settings.Duration)}").ConfigureAwait(false);
                results.Add(await SocketCopy.RunAsync(payload, plan.Settings, io.Cancellation).ConfigureAwait(false));
            }
        }
        if (plan.HasSocketEcho)
        {
            var (request, reply) = SocketEcho.SayHelloWireBytes(plan.Settings.RequestName);
            await io.Error.WriteLineAsync(
                $"shoal bench: {SocketEcho.RunName}: {request}-byte requests and {reply}-byte replies (a SayHello's on the wire) over {plan.Settings.Connections} plain loopback connection(s), {plan.Settings.Concurrency} callers").ConfigureAwait(false);
            results.Add(await SocketEcho.RunAsync(plan.Settings, io.Cancellation).ConfigureAwait(false));
        }
        return results;
    }

    /// <summary>
    /// shoal-tcp again, with the OpenTelemetry SDK attached on both ends: a server started with a
    /// metrics port (its Prometheus exporter collects Shoal's meters) and an SDK tracer provider, and
    /// in this process a tracer provider sampling Shoal's spans and a meter provider collecting its
    /// metrics, both disposed after the run.
    /// </summary>
    private static async Task<BenchResult> RunWithTelemetryAsync(BenchPlan plan, Func<ShoalExecutable> executable, CommandIO io)
    {
        var server = await StartServerAsync(executable(), TelemetryServeArguments, "Shoal (telemetry on)", io).ConfigureAwait(false);
        await using (server.ConfigureAwait(false))
        {
            using var tracing = global::OpenTelemetry.Sdk.CreateTracerProviderBuilder().AddShoalInstrumentation().Build();
            using var metrics = global::OpenTelemetry.Sdk.CreateMeterProviderBuilder().AddShoalInstrumentation().AddPrometheusExporter().Build();
            var native = server.Ready.Native ?? throw new InvalidOperationException("The Shoal server reported no native address.");
            return await RunOneAsync(BenchCommand.ShoalTelemetryRun, native, plainClient: false, plan.Settings, [server.Pid], io).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// shoal-tcp again, over TLS: a server started with a certificate generated for this run (an
    /// authority of its own and a certificate for 127.0.0.1, deleted after the run), called by the
    /// native client trusting that authority.
    /// </summary>
    private static async Task<BenchResult> RunWithTlsAsync(BenchPlan plan, Func<ShoalExecutable> executable, CommandIO io)
    {
        using var certificates = BenchCertificates.Create();
        string[] arguments = [.. ShoalServeArguments, "--tls-cert", certificates.CertificatePath, "--tls-key", certificates.KeyPath];
        var server = await StartServerAsync(executable(), arguments, "Shoal (TLS)", io).ConfigureAwait(false);
        await using (server.ConfigureAwait(false))
        {
            var native = server.Ready.Native ?? throw new InvalidOperationException("The Shoal server reported no native address.");
            var settings = plan.Settings with { Credentials = plan.Settings.Credentials with { CaPath = certificates.AuthorityPath } };
            return await RunOneAsync(BenchCommand.ShoalTlsRun, native, plainClient: false, settings, [server.Pid], io).ConfigureAwait(false);
        }
    }

    private static async Task<ServerProcess> StartServerAsync(ShoalExecutable executable, string[] arguments, string what, CommandIO io)
    {
        var server = await ServerProcess.StartAsync(executable, arguments, io.Cancellation).ConfigureAwait(false);
        var addresses = string.Join(" ", new[] { server.Ready.Native, server.Ready.Grpc }.OfType<string>());
        await io.Error.WriteLineAsync($"shoal bench: started the {what} server (pid {server.Pid}): {addresses}").ConfigureAwait(false);
        return server;
    }

    /// <summary>
    /// One run: <see cref="BenchSettings.Connections"/> channels to <paramref name="target"/>, loaded, then
    /// disposed; with <paramref name="idempotent"/> a cluster target's channel treats SayHello as idempotent.
    /// <paramref name="serverPids"/> are the server processes bench started (measured together), and
    /// with <paramref name="serverPorts"/> the idle footprint waits until that many connections per
    /// channel are established to those ports (a cluster channel dials its instances on its own).
    /// </summary>
    public static async Task<BenchResult> RunOneAsync(string name, string target, bool plainClient, BenchSettings settings, IReadOnlyList<int> serverPids, CommandIO io,
        bool idempotent = false, IReadOnlyList<int>? serverPorts = null)
    {
        var run = await ConnectedRun.OpenAsync(name, target, plainClient, settings, serverPids, io, idempotent, serverPorts).ConfigureAwait(false);
        await using (run.ConfigureAwait(false))
        {
            await io.Error.WriteLineAsync(
                $"shoal bench: {name} -> {target}: warming up {DurationParser.Format(settings.Warmup)}, measuring {DurationParser.Format(settings.Duration)}").ConfigureAwait(false);
            var result = await BenchRunner.RunAsync(name, target, run.Invokers, settings, serverPids, io.Cancellation).ConfigureAwait(false);
            return await run.CompleteAsync(result, settings, io).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Shoal runs against the same server (given as name, target, and whether a cluster channel treats
    /// SayHello as idempotent), each connected first, then measured in alternating slices (see
    /// <see cref="BenchRunner.RunInterleavedAsync"/>).
    /// </summary>
    private static async Task<IReadOnlyList<BenchResult>> RunInterleavedAsync(
        IReadOnlyList<(string Name, string Target, bool Idempotent)> runs, BenchSettings settings, IReadOnlyList<int> serverPids, CommandIO io)
    {
        var connected = new List<ConnectedRun>();
        try
        {
            foreach (var (name, target, idempotent) in runs)
            {
                connected.Add(await ConnectedRun.OpenAsync(name, target, plainClient: false, settings, serverPids, io, idempotent).ConfigureAwait(false));
            }
            var slices = BenchRunner.SlicesOf(settings.Duration);
            await io.Error.WriteLineAsync(
                $"shoal bench: {string.Join(" and ", runs.Select(r => $"{r.Name} -> {r.Target}"))}: warming up {DurationParser.Format(settings.Warmup)} each, " +
                $"measuring {DurationParser.Format(settings.Duration)} each in {slices} alternating slices").ConfigureAwait(false);
            var results = await BenchRunner.RunInterleavedAsync(
                [.. connected.Select(r => new InterleavedRun(r.Name, r.Target, r.Invokers))], settings, serverPids, io.Cancellation).ConfigureAwait(false);
            var completed = new List<BenchResult>();
            for (var i = 0; i < results.Count; i++)
            {
                completed.Add(await connected[i].CompleteAsync(results[i], settings, io).ConfigureAwait(false));
            }
            return completed;
        }
        finally
        {
            foreach (var run in connected)
            {
                await run.DisposeAsync().ConfigureAwait(false);
            }
        }
    }
}

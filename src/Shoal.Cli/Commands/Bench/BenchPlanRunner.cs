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
    private static readonly TimeSpan IdleSettle = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(60);
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
            results.Add(await RunOneAsync(BenchCommand.ShoalTcpRun, native, plainClient: false, plan.Settings, [shoal.Pid], io).ConfigureAwait(false));
            if (plan.Compare)
            {
                // The same instance through the cluster channel: what the cluster layer costs.
                var cluster = "static://" + new Uri(native).Authority;
                results.Add(await RunOneAsync(BenchCommand.ShoalClusterRun, cluster, plainClient: false, plan.Settings, [shoal.Pid], io, plan.Idempotent).ConfigureAwait(false));
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
        var invokers = new List<CallInvoker>();
        var disposers = new List<Func<ValueTask>>();
        var clientBefore = ProcessFootprint.Self();
        var serverBefore = ProcessFootprint.OfAll(serverPids);
        try
        {
            for (var i = 0; i < settings.Connections; i++)
            {
                if (plainClient)
                {
                    var channel = ChannelFactory.CreatePlainGrpc(target);
                    disposers.Add(() =>
                    {
                        channel.Dispose();
                        return ValueTask.CompletedTask;
                    });
                    invokers.Add(channel.CreateCallInvoker());
                }
                else
                {
                    ShoalChannel channel;
                    try
                    {
                        channel = ChannelFactory.CreateShoal(target, ChannelOptions(settings, idempotent));
                    }
                    catch (Exception e) when (UsageException.IsBadTarget(e))
                    {
                        throw new UsageException(e.Message);
                    }
                    disposers.Add(channel.DisposeAsync);
                    invokers.Add(channel.CreateCallInvoker());
                }
            }
            var (clientIdle, serverIdle) = await ConnectAllAsync(invokers, serverPids, serverPorts, io).ConfigureAwait(false);
            await io.Error.WriteLineAsync(
                $"shoal bench: {name} -> {target}: warming up {DurationParser.Format(settings.Warmup)}, measuring {DurationParser.Format(settings.Duration)}").ConfigureAwait(false);
            var result = await BenchRunner.RunAsync(name, target, invokers, settings, serverPids, io.Cancellation).ConfigureAwait(false);
            result = result with
            {
                Footprint = result.Footprint! with { ClientBefore = clientBefore, ClientIdle = clientIdle, ServerBefore = serverBefore, ServerIdle = serverIdle },
            };
            if (result.WarmupSeconds > settings.Warmup.TotalSeconds)
            {
                await io.Error.WriteLineAsync(
                    $"shoal bench: {name}: throughput was still rising, so the warm-up went on to {result.WarmupSeconds:0}s.").ConfigureAwait(false);
            }
            if (result.WarmupTooShort)
            {
                await io.Error.WriteLineAsync(
                    $"shoal bench: WARNING: {name}: throughput was still rising at the end of the {DurationParser.Format(settings.Warmup)} warm-up; its figures are understated (use a longer --warmup).").ConfigureAwait(false);
            }
            return result;
        }
        finally
        {
            foreach (var dispose in disposers)
            {
                await dispose().ConfigureAwait(false);
            }
        }
    }

    /// <summary>The channel options of a Shoal run: null (the defaults) unless a setting differs from them.</summary>
    private static ShoalChannelOptions? ChannelOptions(BenchSettings settings, bool idempotent)
    {
        var options = settings.Credentials.ApplyTo(ChannelFactory.Options(idempotent));
        var defaults = new Shoal.Client.Native.NativeClientOptions();
        if (settings.DedicatedReceiveThread != defaults.DedicatedReceiveThread || settings.InlineContinuations == defaults.RunContinuationsAsynchronously)
        {
            options ??= new ShoalChannelOptions();
            options.Native.DedicatedReceiveThread = settings.DedicatedReceiveThread;
            options.Native.RunContinuationsAsynchronously = !settings.InlineContinuations;
        }
        return options;
    }

    /// <summary>
    /// Opens every connection with one SayHello each (channels connect on their first call; a failed
    /// call is left to the run to count), waits for the connections a cluster channel dials on its own
    /// (one per channel and port of <paramref name="serverPorts"/>), lets them sit idle for a second,
    /// and samples the processes: the footprint of open, idle connections.
    /// </summary>
    private static async Task<(ProcessFootprint? Client, ProcessFootprint? Server)> ConnectAllAsync(
        IReadOnlyList<CallInvoker> invokers, IReadOnlyList<int> serverPids, IReadOnlyList<int>? serverPorts, CommandIO io)
    {
        var cancellationToken = io.Cancellation;
        var deadline = DateTime.UtcNow.AddSeconds(60);
        async Task ConnectAsync(CallInvoker invoker)
        {
            try
            {
                await new Greeter.GreeterClient(invoker).SayHelloAsync(new HelloRequest { Name = "connect" }, deadline: deadline, cancellationToken: cancellationToken)
                    .ConfigureAwait(false);
            }
            catch (RpcException)
            {
                // A server that fails calls is the run's to count and report, not a reason to stop here.
            }
        }
        await Task.WhenAll(invokers.Select(ConnectAsync)).ConfigureAwait(false);
        if (serverPorts is { Count: > 0 })
        {
            var expected = invokers.Count * serverPorts.Count;
            var established = await LoopbackConnections.WaitForAsync(serverPorts, expected, ConnectTimeout, cancellationToken).ConfigureAwait(false);
            if (established < expected)
            {
                await io.Error.WriteLineAsync(
                    $"shoal bench: WARNING: {established:N0} of {expected:N0} connections were established after {ConnectTimeout.TotalSeconds:0}s; the idle footprint counts those.").ConfigureAwait(false);
            }
        }
        await Task.Delay(IdleSettle, cancellationToken).ConfigureAwait(false);
        return (ProcessFootprint.Self(), ProcessFootprint.OfAll(serverPids));
    }
}

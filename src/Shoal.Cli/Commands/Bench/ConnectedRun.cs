using Grpc.Core;
using Hello;
using Shoal.Cli.Commands.Bench.Scenarios;
using Shoal.Cli.Hosting;
using Shoal.Client;

namespace Shoal.Cli.Commands.Bench;

/// <summary>
/// The channels of one benchmark run, open and connected before it is measured, with the footprint
/// of the client and server processes before they opened and once they sat idle; disposing it
/// disposes the channels.
/// </summary>
internal sealed class ConnectedRun : IAsyncDisposable
{
    private static readonly TimeSpan IdleSettle = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(60);

    private readonly List<Func<ValueTask>> _disposers;

    private ConnectedRun(string name, string target, IReadOnlyList<CallInvoker> invokers, List<Func<ValueTask>> disposers)
    {
        Name = name;
        Target = target;
        Invokers = invokers;
        _disposers = disposers;
    }

    /// <summary>The run's name in the results.</summary>
    public string Name { get; }

    /// <summary>The target its channels call.</summary>
    public string Target { get; }

    /// <summary>One invoker per connection.</summary>
    public IReadOnlyList<CallInvoker> Invokers { get; }

    private ProcessFootprint? ClientBefore { get; init; }

    private ProcessFootprint? ServerBefore { get; init; }

    private ProcessFootprint? ClientIdle { get; set; }

    private ProcessFootprint? ServerIdle { get; set; }

    /// <summary>
    /// Opens <see cref="BenchSettings.Connections"/> channels to <paramref name="target"/> (grpc-dotnet's
    /// with <paramref name="plainClient"/>, else Shoal's; with <paramref name="idempotent"/> a cluster
    /// target's channel treats SayHello as idempotent) and connects them. <paramref name="serverPids"/>
    /// are the server processes bench started (measured together), and with <paramref name="serverPorts"/>
    /// the idle footprint waits until that many connections per channel are established to those ports
    /// (a cluster channel dials its instances on its own).
    /// </summary>
    public static async Task<ConnectedRun> OpenAsync(string name, string target, bool plainClient, BenchSettings settings, IReadOnlyList<int> serverPids, CommandIO io,
        bool idempotent = false, IReadOnlyList<int>? serverPorts = null)
    {
        var invokers = new List<CallInvoker>();
        var disposers = new List<Func<ValueTask>>();
        var run = new ConnectedRun(name, target, invokers, disposers) { ClientBefore = ProcessFootprint.Self(), ServerBefore = ProcessFootprint.OfAll(serverPids) };
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
            (run.ClientIdle, run.ServerIdle) = await ConnectAllAsync(invokers, serverPids, serverPorts, io).ConfigureAwait(false);
            return run;
        }
        catch
        {
            await run.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>
    /// <paramref name="result"/> with this run's idle footprint, after warning on <paramref name="io"/>
    /// when its warm-up was extended or looks too short.
    /// </summary>
    public async Task<BenchResult> CompleteAsync(BenchResult result, BenchSettings settings, CommandIO io)
    {
        result = result with
        {
            Footprint = result.Footprint! with { ClientBefore = ClientBefore, ClientIdle = ClientIdle, ServerBefore = ServerBefore, ServerIdle = ServerIdle },
        };
        if (result.WarmupSeconds > settings.Warmup.TotalSeconds)
        {
            await io.Error.WriteLineAsync(
                $"shoal bench: {Name}: throughput was still rising, so the warm-up went on to {result.WarmupSeconds:0}s.").ConfigureAwait(false);
        }
        if (result.WarmupTooShort)
        {
            await io.Error.WriteLineAsync(
                $"shoal bench: WARNING: {Name}: throughput was still rising at the end of the {DurationParser.Format(settings.Warmup)} warm-up; its figures are understated (use a longer --warmup).").ConfigureAwait(false);
        }
        return result;
    }

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        foreach (var dispose in _disposers)
        {
            await dispose().ConfigureAwait(false);
        }
        _disposers.Clear();
    }

    /// <summary>The channel options of a Shoal run: null (the defaults) unless a setting differs from them.</summary>
    private static ShoalChannelOptions? ChannelOptions(BenchSettings settings, bool idempotent)
    {
        var options = settings.Credentials.ApplyTo(ChannelFactory.Options(idempotent));
        var defaults = new Shoal.Client.Native.NativeClientOptions();
        if (settings.DedicatedReceiveThread != defaults.DedicatedReceiveThread || settings.UseReceiveEngine != defaults.UseReceiveEngine
            || settings.InlineContinuations == defaults.RunContinuationsAsynchronously
            || settings.ReceivePollTime != defaults.ReceivePollTime)
        {
            options ??= new ShoalChannelOptions();
            options.Native.DedicatedReceiveThread = settings.DedicatedReceiveThread;
            options.Native.UseReceiveEngine = settings.UseReceiveEngine;
            options.Native.RunContinuationsAsynchronously = !settings.InlineContinuations;
            options.Native.ReceivePollTime = settings.ReceivePollTime;
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

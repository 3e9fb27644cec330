using System.Diagnostics;
using Grpc.Core;
using Hello;
using Shoal.Cli.Commands.Bench;
using Shoal.Telemetry.Internal;

namespace Shoal.Cli.Commands.Demo;

/// <summary>
/// Open-loop load: calls start at the target rate whatever the latency (bounded in flight), and
/// each call's latency counts from when it was due, so queueing anywhere shows in the p99.
/// </summary>
internal sealed class DemoLoadGenerator
{
    private static readonly TimeSpan Tick = TimeSpan.FromMilliseconds(5);

    private readonly Greeter.GreeterClient _client;
    private readonly SemaphoreSlim _inFlight;
    private readonly TimeSpan _callTimeout;
    private readonly object _gate = new();
    private readonly LatencyHistogram _total = new();
    private readonly List<Task> _calls = [];
    private LatencyHistogram _interval = new();
    private long _intervalStarted;
    private long _intervalFailed;
    private long _started;
    private long _failed;
    private long _succeeded;

    /// <summary>Creates the generator over <paramref name="invoker"/>.</summary>
    public DemoLoadGenerator(CallInvoker invoker, int maxInFlight, TimeSpan callTimeout)
    {
        _client = new Greeter.GreeterClient(invoker);
        _inFlight = new SemaphoreSlim(maxInFlight, maxInFlight);
        _callTimeout = callTimeout;
    }

    /// <summary>Calls started.</summary>
    public long Started => Interlocked.Read(ref _started);

    /// <summary>Calls that failed.</summary>
    public long Failed => Interlocked.Read(ref _failed);

    /// <summary>Calls that succeeded.</summary>
    public long Succeeded => Interlocked.Read(ref _succeeded);

    /// <summary>The first few failures, for the report.</summary>
    public List<string> FailureSamples { get; } = [];

    /// <summary>The latency of every successful call.</summary>
    public LatencyHistogram Total
    {
        get
        {
            lock (_gate)
            {
                return _total;
            }
        }
    }

    /// <summary>Offers load following <paramref name="rate"/> (calls per second at an elapsed time) for <paramref name="duration"/>, then waits for the calls in flight.</summary>
    public async Task RunAsync(Func<TimeSpan, double> rate, TimeSpan duration, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        var owed = 0.0;
        var last = TimeSpan.Zero;
        while (!cancellationToken.IsCancellationRequested)
        {
            var now = clock.Elapsed;
            if (now >= duration)
            {
                break;
            }
            owed += rate(now) * (now - last).TotalSeconds;
            last = now;
            while (owed >= 1)
            {
                owed -= 1;
                Track(CallAsync(Stopwatch.GetTimestamp(), cancellationToken));
            }
            await Task.Delay(Tick, cancellationToken).ConfigureAwait(false);
        }
        Task[] pending;
        lock (_gate)
        {
            pending = [.. _calls];
        }
        await Task.WhenAll(pending).ConfigureAwait(false);
    }

    /// <summary>What happened since the last call: calls started, calls failed, p99 of calls completed (ms).</summary>
    public (long Started, long Failed, double P99Ms) TakeInterval()
    {
        lock (_gate)
        {
            var result = (_intervalStarted, _intervalFailed, _interval.Count == 0 ? 0 : _interval.ValueAt(99) / 1e6);
            _interval = new LatencyHistogram();
            _intervalStarted = 0;
            _intervalFailed = 0;
            return result;
        }
    }

    private void Track(Task call)
    {
        lock (_gate)
        {
            _calls.RemoveAll(c => c.IsCompleted);
            _calls.Add(call);
            _intervalStarted++;
        }
        Interlocked.Increment(ref _started);
    }

    private async Task CallAsync(long due, CancellationToken cancellationToken)
    {
        await _inFlight.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await _client.SayHelloAsync(new HelloRequest { Name = "worldcup" }, deadline: DateTime.UtcNow + _callTimeout, cancellationToken: cancellationToken).ConfigureAwait(false);
            var nanoseconds = (long)((Stopwatch.GetTimestamp() - due) * (1e9 / Stopwatch.Frequency));
            Interlocked.Increment(ref _succeeded);
            lock (_gate)
            {
                _total.Record(nanoseconds);
                _interval.Record(nanoseconds);
            }
        }
        catch (RpcException e) when (!cancellationToken.IsCancellationRequested)
        {
            Interlocked.Increment(ref _failed);
            lock (_gate)
            {
                _intervalFailed++;
                if (FailureSamples.Count < 5)
                {
                    FailureSamples.Add($"{e.StatusCode}: {e.Status.Detail}");
                }
            }
        }
        finally
        {
            _inFlight.Release();
        }
    }
}

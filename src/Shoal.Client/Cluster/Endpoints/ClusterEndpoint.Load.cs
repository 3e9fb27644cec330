using Grpc.Core;
using Shoal.Client.Cluster.Internal;
using Shoal.Client.Cluster.LoadBalancing.Internal;
using Shoal.Connections;

namespace Shoal.Client.Cluster.Endpoints;

/// <summary>
/// Load feedback: the endpoint is its own <see cref="ICallTracker"/>, so a pick allocates nothing,
/// and its own <see cref="IUnaryCallObserver"/>, so a connection that reports the end of a call
/// itself (the native transport) needs no continuation on the response either. As an
/// <see cref="IRefusedCallObserver"/> it hands a call such a connection could not start to the
/// cluster, which may send it to another instance.
/// </summary>
public sealed partial class ClusterEndpoint : ICallTracker, IRefusedCallObserver
{
    private readonly TimeProvider _timeProvider;
    private readonly double _decayTicks;
    private readonly CoarseClock _clock;
    private int _inFlight;
    private double _cost;
    private long _lastSample;
    private long _intervalSuccesses;
    private long _intervalFailures;
    private int _consecutiveFailures;
    private long _completedBefore;
    private int _samples;
    private int _untimed;

    /// <summary>Calls in flight up to which every call is timed; above it, one in <see cref="TimedOneIn"/>.</summary>
    private const int TimeEveryCallUpTo = 4;

    private const int TimedOneIn = 8;

    /// <summary>Raised (on the completing thread) each time a failure follows another, with the new count; outlier ejection listens.</summary>
    internal event Action<ClusterEndpoint, int>? Failed;

    /// <summary>Raised when the last call in flight completes; the directory disposes a removed endpoint's connection then.</summary>
    internal event Action<ClusterEndpoint>? Idle;

    /// <summary>Calls in flight now.</summary>
    public int InFlight => Volatile.Read(ref _inFlight);

    /// <summary>Failures since the last success.</summary>
    public int ConsecutiveFailures => Volatile.Read(ref _consecutiveFailures);

    /// <summary>Calls completed since the endpoint was created.</summary>
    public long TotalCalls => Interlocked.Read(ref _completedBefore) + Interlocked.Read(ref _intervalSuccesses) + Interlocked.Read(ref _intervalFailures);

    /// <summary>
    /// Whether the latency rests on more than the first answer. The first call pays for the connection
    /// and the server's warm-up, so its sample only holds until the second replaces it; a balancer that
    /// judged the endpoint by it alone would starve a new instance for the whole decay.
    /// </summary>
    public bool HasSettledLatency => Volatile.Read(ref _samples) >= 2;

    /// <summary>The peak-EWMA latency in milliseconds as of now.</summary>
    public double PeakEwmaMilliseconds => PeakEwmaMillisecondsAt(_timeProvider.GetTimestamp());

    /// <summary>The peak-EWMA latency in milliseconds at <paramref name="timestamp"/> (a <see cref="TimeProvider.GetTimestamp"/> value), decayed since the last sample.</summary>
    public double PeakEwmaMillisecondsAt(long timestamp)
    {
        var cost = Volatile.Read(ref _cost);
        if (cost <= 0)
        {
            return 0;
        }
        var elapsed = timestamp - Volatile.Read(ref _lastSample);
        return elapsed <= 0 ? cost : cost * Math.Exp(-elapsed / _decayTicks);
    }

    /// <inheritdoc/>
    public void Start()
    {
        Interlocked.Increment(ref _inFlight);
        ZoneLoad?.Increment();
    }

    /// <inheritdoc/>
    public void Complete(TimeSpan latency, bool success)
    {
        ZoneLoad?.Decrement();
        if (latency >= TimeSpan.Zero)
        {
            Observe(latency.TotalMilliseconds);
        }
        if (success)
        {
            Interlocked.Increment(ref _intervalSuccesses);
            if (Volatile.Read(ref _consecutiveFailures) != 0)
            {
                Volatile.Write(ref _consecutiveFailures, 0);
            }
        }
        else
        {
            Interlocked.Increment(ref _intervalFailures);
            var consecutive = Interlocked.Increment(ref _consecutiveFailures);
            Failed?.Invoke(this, consecutive);
        }
        if (Interlocked.Decrement(ref _inFlight) == 0)
        {
            Idle?.Invoke(this);
        }
    }

    /// <summary>
    /// Whether to time the call just started (after <see cref="Start"/>): every call while few are in
    /// flight, one in <see cref="TimedOneIn"/> when many are, where the average has samples to spare
    /// and two clock reads per call would be most of the cluster's cost. The count is racy on purpose.
    /// </summary>
    internal bool ShouldTime() => Volatile.Read(ref _inFlight) <= TimeEveryCallUpTo || ++_untimed % TimedOneIn == 0;

    /// <summary>The rules that decide whether a call's end counts against this endpoint.</summary>
    internal UnaryOutcome Outcome { get; init; } = UnaryOutcome.Default;

    /// <summary>A call ended on the connection: reported as the cluster's own attempts are (<see cref="UnaryOutcome.CompleteAttempt"/>).</summary>
    void IUnaryCallObserver.OnUnaryCallCompleted(StatusCode status, TimeSpan elapsed, bool cancelledByCaller)
        => Outcome.CompleteAttempt(this, elapsed, status, cancelledByCaller);

    /// <summary>Where calls this endpoint's server refused go (set by the cluster); none: the refusal is the outcome.</summary>
    internal IRefusedCallRedirector? Redirector { get; init; }

    /// <inheritdoc/>
    bool IRefusedCallObserver.TryRedirect<TRequest, TResponse>(IRefusedUnaryCall<TRequest, TResponse> call)
        => Redirector?.TryRedirect(this, call) ?? false;

    internal void ResetConsecutiveFailures() => Volatile.Write(ref _consecutiveFailures, 0);

    /// <summary>Takes and resets the success and failure counts of the interval that just ended.</summary>
    internal (long Successes, long Failures) TakeIntervalCounts()
    {
        var counts = (Interlocked.Exchange(ref _intervalSuccesses, 0), Interlocked.Exchange(ref _intervalFailures, 0));
        Interlocked.Add(ref _completedBefore, counts.Item1 + counts.Item2);
        return counts;
    }

    private void Observe(double latencyMs)
    {
        latencyMs = Math.Max(latencyMs, 0.001);
        // The decay spans seconds, so a millisecond-old timestamp is as good as a fresh one. No lock:
        // completions racing here may each overwrite the other's sample, which loses a sample at rates
        // where there are plenty, and never leaves a value that was not computed from a real one.
        var now = _clock.GetTimestamp();
        var elapsed = now - Volatile.Read(ref _lastSample);
        var cost = Volatile.Read(ref _cost);
        var provisional = Volatile.Read(ref _samples) < 2 && Interlocked.Increment(ref _samples) <= 2;
        if (provisional || cost <= 0 || latencyMs > cost)
        {
            // The first call on a connection pays for its setup (and often the JIT), so the second
            // sample replaces the first outright instead of decaying from it for tens of seconds.
            // Peak: a worse sample replaces the average at once.
            cost = latencyMs;
        }
        else if (elapsed <= 0)
        {
            // Within the clock's last tick a better sample has no weight (e^0 = 1): nothing changes,
            // so skip the exponential and the writes (most samples, at high call rates).
            return;
        }
        else
        {
            var weight = Math.Exp(-elapsed / _decayTicks);
            cost = (cost * weight) + (latencyMs * (1 - weight));
        }
        Volatile.Write(ref _lastSample, now);
        Volatile.Write(ref _cost, cost);
    }
}

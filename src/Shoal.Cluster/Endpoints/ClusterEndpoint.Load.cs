namespace Shoal.Cluster.Endpoints;

/// <summary>Load feedback: the endpoint is its own <see cref="ICallTracker"/>, so a pick allocates nothing.</summary>
public sealed partial class ClusterEndpoint : ICallTracker
{
    private readonly TimeProvider _timeProvider;
    private readonly double _decayTicks;
    private readonly Lock _ewmaLock = new();
    private int _inFlight;
    private double _cost;
    private long _lastSample;
    private long _intervalSuccesses;
    private long _intervalFailures;
    private int _consecutiveFailures;
    private long _totalCalls;

    /// <summary>Raised (on the completing thread) each time a failure follows another, with the new count; outlier ejection listens.</summary>
    internal event Action<ClusterEndpoint, int>? Failed;

    /// <summary>Raised when the last call in flight completes; the directory disposes a removed endpoint's connection then.</summary>
    internal event Action<ClusterEndpoint>? Idle;

    /// <summary>Calls in flight now.</summary>
    public int InFlight => Volatile.Read(ref _inFlight);

    /// <summary>Failures since the last success.</summary>
    public int ConsecutiveFailures => Volatile.Read(ref _consecutiveFailures);

    /// <summary>Calls completed since the endpoint was created.</summary>
    public long TotalCalls => Interlocked.Read(ref _totalCalls);

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
        Interlocked.Increment(ref _totalCalls);
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

    internal void ResetConsecutiveFailures() => Volatile.Write(ref _consecutiveFailures, 0);

    /// <summary>Takes and resets the success and failure counts of the interval that just ended.</summary>
    internal (long Successes, long Failures) TakeIntervalCounts()
        => (Interlocked.Exchange(ref _intervalSuccesses, 0), Interlocked.Exchange(ref _intervalFailures, 0));

    private void Observe(double latencyMs)
    {
        latencyMs = Math.Max(latencyMs, 0.001);
        var now = _timeProvider.GetTimestamp();
        // Completions are off the pick path; a short lock keeps cost and its timestamp consistent.
        lock (_ewmaLock)
        {
            var elapsed = Math.Max(0, now - _lastSample);
            var cost = _cost;
            if (cost <= 0 || latencyMs > cost)
            {
                // Peak: a worse sample replaces the average at once.
                cost = latencyMs;
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
}

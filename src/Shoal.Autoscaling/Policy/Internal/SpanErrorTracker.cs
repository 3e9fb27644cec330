namespace Shoal.Autoscaling.Policy.Internal;

/// <summary>
/// Measures how far the load, when it arrived, exceeded the need the policy predicted for it: every
/// tick's prediction is for the tick(s) its new replicas will serve (one lead time later), and its
/// relative error lands in a bucket (by how many forecast windows ahead the prediction looked). The
/// headroom for a bucket is a high quantile of its recent errors.
/// </summary>
internal sealed class SpanErrorTracker
{
    private readonly int _delay;
    private readonly int _span;
    private readonly Queue<Pending> _pending = new();
    private readonly double[][] _errors;
    private readonly int[] _counts;
    private readonly double[] _cachedQuantile;
    private readonly int[] _sinceComputed;
    private readonly double[] _scratch;
    private readonly double _maxError;
    private long _tick;

    /// <param name="delay">Ticks from a decision to the first tick its replicas serve.</param>
    /// <param name="span">Ticks one decision's replicas are the newest (1 when the lead time is a whole number of ticks, else 2).</param>
    /// <param name="buckets">The number of buckets (1-based).</param>
    /// <param name="window">Errors kept per bucket.</param>
    /// <param name="maxError">Relative errors above this are not recorded (no headroom would cover them).</param>
    public SpanErrorTracker(int delay, int span, int buckets, int window, double maxError = double.PositiveInfinity)
    {
        _maxError = maxError;
        _delay = delay;
        _span = span;
        _errors = new double[buckets + 1][];
        for (var b = 0; b <= buckets; b++)
        {
            _errors[b] = new double[window];
        }

        _counts = new int[buckets + 1];
        _cachedQuantile = new double[buckets + 1];
        _sinceComputed = new int[buckets + 1];
        _scratch = new double[window];
    }

    public int Buckets => _errors.Length - 1;

    /// <summary>Feeds the load of the tick that just ended (call before <see cref="Predict"/> of the same tick).</summary>
    /// <param name="load">The load.</param>
    public void Observe(double load)
    {
        foreach (var pending in _pending)
        {
            if (_tick >= pending.FirstTick && _tick < pending.FirstTick + _span)
            {
                pending.Actual = Math.Max(pending.Actual, load);
            }
        }

        while (_pending.Count > 0 && _pending.Peek().FirstTick + _span - 1 <= _tick)
        {
            var done = _pending.Dequeue();
            var relative = Math.Clamp((done.Actual - done.Predicted) / Math.Max(done.Predicted, 1e-6), -1, 10);
            if (relative > _maxError)
            {
                continue;
            }

            var buffer = _errors[done.Bucket];
            buffer[_counts[done.Bucket] % buffer.Length] = relative;
            _counts[done.Bucket]++;
            _sinceComputed[done.Bucket]++;
        }

        _tick++;
    }

    /// <summary>Remembers the need predicted now for the ticks this decision's replicas will serve.</summary>
    /// <param name="need">The predicted need.</param>
    /// <param name="bucket">The bucket (how many forecast windows ahead the prediction looked).</param>
    public void Predict(double need, int bucket)
    {
        _pending.Enqueue(new Pending(_tick - 1 + _delay, need, Math.Clamp(bucket, 1, Buckets)));
    }

    public int Count(int bucket) => Math.Min(_counts[Math.Clamp(bucket, 1, Buckets)], _errors[0].Length);

    /// <summary>The <paramref name="quantile"/> of a bucket's recent errors (positive = the load came in above the prediction).</summary>
    public double Quantile(int bucket, double quantile)
    {
        bucket = Math.Clamp(bucket, 1, Buckets);
        // Sorting the window every tick would dominate a long simulation; a quantile over hundreds of
        // errors barely moves with one more, so it is recomputed after every few new errors.
        var n = Count(bucket);
        if (_sinceComputed[bucket] == 0 || (_sinceComputed[bucket] < 4 && n >= 100))
        {
            return _cachedQuantile[bucket];
        }

        var span = _scratch.AsSpan(0, n);
        _errors[bucket].AsSpan(0, n).CopyTo(span);
        span.Sort();
        var position = quantile * (n - 1);
        var lower = (int)Math.Floor(position);
        var upper = Math.Min(lower + 1, n - 1);
        _cachedQuantile[bucket] = n == 0 ? 0 : span[lower] + ((position - lower) * (span[upper] - span[lower]));
        _sinceComputed[bucket] = 0;
        return _cachedQuantile[bucket];
    }

    private sealed class Pending(long firstTick, double predicted, int bucket)
    {
        public long FirstTick { get; } = firstTick;

        public double Predicted { get; } = predicted;

        public int Bucket { get; } = bucket;

        public double Actual { get; set; }
    }
}

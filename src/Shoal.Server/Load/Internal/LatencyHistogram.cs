namespace Shoal.Server.Load.Internal;

/// <summary>
/// A fixed log-linear histogram of latencies in microseconds: values below 8 µs have a bucket each,
/// above that every power of two splits into 8 buckets, so a bucket is at most 1/8 of its lower
/// bound wide (the midpoint is within about 6% of any value in it). Recording is one
/// <see cref="Interlocked.Increment(ref long)"/> on a cumulative count: no lock, no allocation.
/// </summary>
internal sealed class LatencyHistogram
{
    private const int SubBuckets = 8;
    private const int SubBucketBits = 3;
    private const int MaxExponent = 40;

    /// <summary>The number of buckets: 8 exact ones, then 8 per power of two from 2^3 to 2^40 µs (about 12 days).</summary>
    public const int BucketCount = SubBuckets + (MaxExponent - SubBucketBits + 1) * SubBuckets;

    private readonly long[] _counts = new long[BucketCount];

    /// <summary>Counts one latency.</summary>
    /// <param name="microseconds">The latency in microseconds (negative counts as 0).</param>
    public void Record(long microseconds) => Interlocked.Increment(ref _counts[IndexOf(microseconds)]);

    /// <summary>Copies the cumulative counts into <paramref name="destination"/>.</summary>
    /// <returns>Their sum: every value recorded so far.</returns>
    public long CopyTo(long[] destination)
    {
        long total = 0;
        for (var i = 0; i < _counts.Length; i++)
        {
            destination[i] = Volatile.Read(ref _counts[i]);
            total += destination[i];
        }
        return total;
    }

    /// <summary>Every value recorded so far.</summary>
    public long Total()
    {
        long total = 0;
        for (var i = 0; i < _counts.Length; i++)
        {
            total += Volatile.Read(ref _counts[i]);
        }
        return total;
    }

    /// <summary>The bucket of <paramref name="microseconds"/>.</summary>
    public static int IndexOf(long microseconds)
    {
        if (microseconds < SubBuckets)
        {
            return microseconds < 0 ? 0 : (int)microseconds;
        }
        var value = Math.Min(microseconds, (1L << (MaxExponent + 1)) - 1);
        var exponent = 63 - (int)long.LeadingZeroCount(value);
        var sub = (int)(value >> (exponent - SubBucketBits)) & (SubBuckets - 1);
        return SubBuckets + (exponent - SubBucketBits) * SubBuckets + sub;
    }

    /// <summary>The value a bucket stands for: its midpoint in microseconds.</summary>
    public static double MidpointOf(int index)
    {
        if (index < SubBuckets)
        {
            return index;
        }
        var exponent = (index - SubBuckets) / SubBuckets + SubBucketBits;
        var sub = (index - SubBuckets) % SubBuckets;
        var width = 1L << (exponent - SubBucketBits);
        var lower = (SubBuckets + sub) * width;
        return lower + width / 2.0;
    }

    /// <summary>
    /// The <paramref name="quantile"/> of the counts <c>current - previous</c> (one window), in
    /// microseconds; 0 when the window has no values.
    /// </summary>
    public static double Quantile(long[] current, long[] previous, double quantile)
    {
        long total = 0;
        for (var i = 0; i < current.Length; i++)
        {
            total += current[i] - previous[i];
        }
        if (total <= 0)
        {
            return 0;
        }
        // The smallest value with at least quantile × total values at or below it (nearest rank).
        var rank = Math.Max(1, (long)Math.Ceiling(quantile * total));
        long seen = 0;
        for (var i = 0; i < current.Length; i++)
        {
            seen += current[i] - previous[i];
            if (seen >= rank)
            {
                return MidpointOf(i);
            }
        }
        return MidpointOf(current.Length - 1);
    }
}

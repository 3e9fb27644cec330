namespace Shoal.Cli.Commands.Bench;

/// <summary>
/// Latencies in log-linear buckets, as HdrHistogram keeps them: exact below 256 ns, then 128
/// buckets per power of two (under 0.8% error), up to about 18 minutes. Recording is an array
/// increment with no allocation and no lock; each caller owns one histogram and they are merged at the end.
/// </summary>
internal sealed class LatencyHistogram
{
    private const int SubBucketBits = 7;
    private const int SubBucketCount = 1 << SubBucketBits;
    private const int MaxExponent = 40 - SubBucketBits;
    private const long MaxValue = (1L << 40) - 1;

    private readonly long[] _counts = new long[(MaxExponent + 2) * SubBucketCount];

    /// <summary>The number of recorded values.</summary>
    public long Count { get; private set; }

    /// <summary>The largest recorded value, in nanoseconds.</summary>
    public long Max { get; private set; }

    /// <summary>The smallest recorded value, in nanoseconds (0 when empty).</summary>
    public long Min { get; private set; }

    /// <summary>The sum of recorded values, in nanoseconds.</summary>
    public double Sum { get; private set; }

    /// <summary>The mean, in nanoseconds (0 when empty).</summary>
    public double Mean => Count == 0 ? 0 : Sum / Count;

    /// <summary>Records one latency in nanoseconds (negative counts as 0; beyond about 18 minutes is clamped).</summary>
    public void Record(long nanoseconds)
    {
        var value = Math.Clamp(nanoseconds, 0, MaxValue);
        _counts[IndexOf(value)]++;
        if (Count == 0 || value < Min)
        {
            Min = value;
        }
        if (value > Max)
        {
            Max = value;
        }
        Count++;
        Sum += value;
    }

    /// <summary>Adds every value of <paramref name="other"/> to this histogram.</summary>
    public void Add(LatencyHistogram other)
    {
        if (other.Count == 0)
        {
            return;
        }
        for (var i = 0; i < _counts.Length; i++)
        {
            _counts[i] += other._counts[i];
        }
        Min = Count == 0 ? other.Min : Math.Min(Min, other.Min);
        Max = Math.Max(Max, other.Max);
        Count += other.Count;
        Sum += other.Sum;
    }

    /// <summary>
    /// The value at <paramref name="percentile"/> (0-100] in nanoseconds: the middle of the bucket that
    /// holds the value of that rank, clamped to the recorded minimum and maximum; 100 is the maximum; 0 when empty.
    /// </summary>
    public long ValueAt(double percentile)
    {
        if (Count == 0)
        {
            return 0;
        }
        if (percentile >= 100)
        {
            return Max;
        }
        var rank = Math.Max(1, (long)Math.Ceiling(Math.Clamp(percentile, 0, 100) / 100.0 * Count));
        long seen = 0;
        for (var i = 0; i < _counts.Length; i++)
        {
            seen += _counts[i];
            if (seen >= rank)
            {
                var (low, high) = BoundsOf(i);
                return Math.Clamp(low + ((high - low) / 2), Min, Max);
            }
        }
        return Max;
    }

    /// <summary>The bucket of <paramref name="value"/> (0 ≤ value ≤ 2^40 - 1).</summary>
    internal static int IndexOf(long value)
    {
        if (value < 2 * SubBucketCount)
        {
            return (int)value;
        }
        var exponent = (63 - long.LeadingZeroCount(value)) - SubBucketBits;
        var sub = (int)(value >> (int)exponent);
        return (int)((exponent + 1) * SubBucketCount) + (sub - SubBucketCount);
    }

    /// <summary>The lowest and highest value that fall in bucket <paramref name="index"/>.</summary>
    internal static (long Low, long High) BoundsOf(int index)
    {
        if (index < 2 * SubBucketCount)
        {
            return (index, index);
        }
        var exponent = (index / SubBucketCount) - 1;
        var sub = (long)((index % SubBucketCount) + SubBucketCount);
        return (sub << exponent, ((sub + 1) << exponent) - 1);
    }
}

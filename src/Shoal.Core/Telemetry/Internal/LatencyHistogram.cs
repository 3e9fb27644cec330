namespace Shoal.Telemetry.Internal;

/// <summary>
/// Latencies in log-linear buckets, as HdrHistogram keeps them: exact below 256, then 128 buckets
/// per power of two (a bucket is at most 1/128 of its values wide, so its middle is within 0.4% of
/// any of them), up to 2^40 - 1 (about 18 minutes in nanoseconds, 12 days in microseconds); the
/// unit is the caller's. Recording takes no lock and allocates nothing, in one of two ways:
/// <see cref="Record"/> by the histogram's only writer also keeps the count, minimum, maximum and
/// sum (a bench caller owns one; they are merged with <see cref="Add"/>), while
/// <see cref="RecordConcurrent"/> from any thread only counts the bucket, with one interlocked
/// increment (a server's load monitor copies the counts with <see cref="CopyTo"/> and takes a
/// window's quantiles from two copies with <see cref="Quantile"/>).
/// </summary>
internal sealed class LatencyHistogram
{
    private const int SubBucketBits = 7;
    private const int SubBucketCount = 1 << SubBucketBits;
    private const int MaxExponent = 40 - SubBucketBits;

    /// <summary>The largest value a bucket holds; larger ones are counted as it.</summary>
    public const long MaxValue = (1L << 40) - 1;

    /// <summary>The number of buckets (the length of the arrays <see cref="CopyTo"/> fills).</summary>
    public const int BucketCount = (MaxExponent + 1) * SubBucketCount;

    private readonly long[] _counts = new long[BucketCount];

    /// <summary>The number of values <see cref="Record"/> recorded.</summary>
    public long Count { get; private set; }

    /// <summary>The largest value <see cref="Record"/> recorded.</summary>
    public long Max { get; private set; }

    /// <summary>The smallest value <see cref="Record"/> recorded (0 when none).</summary>
    public long Min { get; private set; }

    /// <summary>The sum of the values <see cref="Record"/> recorded.</summary>
    public double Sum { get; private set; }

    /// <summary>The mean of the values <see cref="Record"/> recorded (0 when none).</summary>
    public double Mean => Count == 0 ? 0 : Sum / Count;

    /// <summary>Records one value, from the histogram's only writer (negative counts as 0; past <see cref="MaxValue"/> is clamped).</summary>
    public void Record(long value)
    {
        value = Math.Clamp(value, 0, MaxValue);
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

    /// <summary>Counts one value from any thread: its bucket only (read with <see cref="CopyTo"/> or <see cref="Total"/>).</summary>
    public void RecordConcurrent(long value) => Interlocked.Increment(ref _counts[IndexOf(Math.Clamp(value, 0, MaxValue))]);

    /// <summary>Adds every value of <paramref name="other"/> (recorded with <see cref="Record"/>) to this histogram.</summary>
    public void Add(LatencyHistogram other)
    {
        ArgumentNullException.ThrowIfNull(other);
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

    /// <summary>Copies the bucket counts into <paramref name="destination"/> (<see cref="BucketCount"/> long).</summary>
    /// <returns>Their sum: every value counted so far.</returns>
    public long CopyTo(long[] destination)
    {
        ArgumentNullException.ThrowIfNull(destination);
        long total = 0;
        for (var i = 0; i < _counts.Length; i++)
        {
            destination[i] = Volatile.Read(ref _counts[i]);
            total += destination[i];
        }
        return total;
    }

    /// <summary>Every value counted so far, by either way of recording.</summary>
    public long Total()
    {
        long total = 0;
        for (var i = 0; i < _counts.Length; i++)
        {
            total += Volatile.Read(ref _counts[i]);
        }
        return total;
    }

    /// <summary>
    /// The value at <paramref name="percentile"/> (0-100] of the values <see cref="Record"/> recorded:
    /// the middle of the bucket holding the value of that rank, clamped to the minimum and maximum;
    /// 100 is the maximum; 0 when empty.
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
        var index = IndexOfRank(_counts, null, Rank(percentile / 100, Count));
        return Math.Clamp(MiddleOf(index), Min, Max);
    }

    /// <summary>
    /// The <paramref name="quantile"/> (0-1] of one window's values, the counts
    /// <c>current - previous</c> (two copies from <see cref="CopyTo"/>): the middle of the bucket
    /// holding the value of that rank; 0 when the window has no values.
    /// </summary>
    public static long Quantile(long[] current, long[] previous, double quantile)
    {
        ArgumentNullException.ThrowIfNull(current);
        ArgumentNullException.ThrowIfNull(previous);
        long total = 0;
        for (var i = 0; i < current.Length; i++)
        {
            total += current[i] - previous[i];
        }
        return total <= 0 ? 0 : MiddleOf(IndexOfRank(current, previous, Rank(quantile, total)));
    }

    /// <summary>The bucket of <paramref name="value"/> (0 ≤ value ≤ <see cref="MaxValue"/>).</summary>
    public static int IndexOf(long value)
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
    public static (long Low, long High) BoundsOf(int index)
    {
        if (index < 2 * SubBucketCount)
        {
            return (index, index);
        }
        var exponent = (index / SubBucketCount) - 1;
        var sub = (long)((index % SubBucketCount) + SubBucketCount);
        return (sub << exponent, ((sub + 1) << exponent) - 1);
    }

    /// <summary>The value bucket <paramref name="index"/> stands for: its middle.</summary>
    public static long MiddleOf(int index)
    {
        var (low, high) = BoundsOf(index);
        return low + ((high - low) / 2);
    }

    // Nearest rank: the smallest value with at least quantile × total values at or below it.
    private static long Rank(double quantile, long total) => Math.Max(1, (long)Math.Ceiling(Math.Clamp(quantile, 0, 1) * total));

    private static int IndexOfRank(long[] counts, long[]? previous, long rank)
    {
        long seen = 0;
        for (var i = 0; i < counts.Length; i++)
        {
            seen += counts[i] - (previous is null ? 0 : previous[i]);
            if (seen >= rank)
            {
                return i;
            }
        }
        return counts.Length - 1;
    }
}

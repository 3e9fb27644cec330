namespace Shoal.Autoscaling.Simulation;

/// <summary>A request-count trace: how many requests arrived in each fixed interval.</summary>
public sealed class LoadTrace
{
    /// <summary>Creates a trace.</summary>
    /// <param name="name">A short name for reports.</param>
    /// <param name="interval">The length of one interval.</param>
    /// <param name="counts">Requests per interval (non-negative, at least one).</param>
    /// <param name="start">When the first interval began, if known.</param>
    /// <param name="filledIntervals">How many intervals were missing from the source and filled in.</param>
    public LoadTrace(string name, TimeSpan interval, IReadOnlyList<double> counts, DateTimeOffset? start = null, int filledIntervals = 0)
    {
        ArgumentNullException.ThrowIfNull(counts);
        if (interval <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(interval), "The interval must be positive.");
        }

        if (counts.Count == 0 || counts.Any(c => !double.IsFinite(c) || c < 0))
        {
            throw new ArgumentException("A trace needs at least one interval, and counts must be finite and non-negative.", nameof(counts));
        }

        Name = name;
        Interval = interval;
        Counts = counts;
        Start = start;
        FilledIntervals = filledIntervals;
    }

    /// <summary>Gets the trace's name.</summary>
    public string Name { get; }

    /// <summary>Gets the length of one interval.</summary>
    public TimeSpan Interval { get; }

    /// <summary>Gets the requests per interval.</summary>
    public IReadOnlyList<double> Counts { get; }

    /// <summary>Gets when the first interval began, if known.</summary>
    public DateTimeOffset? Start { get; }

    /// <summary>Gets how many intervals were missing in the source and filled by interpolation.</summary>
    public int FilledIntervals { get; }

    /// <summary>Gets how the values were read, such as "requests per interval, one value per 1m" (null when generated).</summary>
    public string? Source { get; init; }

    /// <summary>Gets the total duration.</summary>
    public TimeSpan Duration => Interval * Counts.Count;

    /// <summary>Gets the highest rate in the trace, requests per second.</summary>
    public double PeakRequestsPerSecond => Counts.Max() / Interval.TotalSeconds;

    /// <summary>Gets the rate during interval <paramref name="index"/>, requests per second.</summary>
    /// <param name="index">The interval.</param>
    /// <returns>Requests per second, spread evenly over the interval.</returns>
    public double RequestsPerSecond(int index) => Counts[index] / Interval.TotalSeconds;
}

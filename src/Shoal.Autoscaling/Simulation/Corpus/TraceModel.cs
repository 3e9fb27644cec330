namespace Shoal.Autoscaling.Simulation.Corpus;

/// <summary>
/// What the generator of a corpus trace knew: the deterministic shape (level, daily cycle, ramp, bursts,
/// batch schedule), the onsets of its random-timed events and the laws of its noise, but not one draw of
/// the noise.
/// </summary>
/// <remarks>
/// The trace's count of minute m is round(max(0, <see cref="Rate(int)"/> × factor × 60)), where the
/// factor is exp(drift + <see cref="MinuteSigma"/> × shock): the drift an AR(1) process in log space
/// (memory <see cref="DriftMemory"/>, innovations of <see cref="DriftSigma"/>), the shock Gaussian or,
/// when <see cref="TailDof"/> is set, Student-t with that many degrees of freedom.
/// </remarks>
public sealed class TraceModel
{
    private static readonly Func<TraceEvent, bool> Everything = static _ => true;
    private readonly Func<int, Func<TraceEvent, bool>, double> _rate;

    /// <summary>Creates a model.</summary>
    /// <param name="minutes">The trace's length in minutes.</param>
    /// <param name="origin">The time of the first minute.</param>
    /// <param name="rate">The shape at a minute, requests per second, counting only the events the filter accepts.</param>
    /// <param name="events">The random-timed events, in onset order.</param>
    /// <param name="driftSigma">The drift's innovation per minute (log space).</param>
    /// <param name="driftMemory">The drift's AR(1) coefficient per minute.</param>
    /// <param name="minuteSigma">The scale of the per-minute shock (log space).</param>
    /// <param name="tailDof">The shock's degrees of freedom when Student-t; null when Gaussian.</param>
    public TraceModel(
        int minutes,
        DateTimeOffset origin,
        Func<int, Func<TraceEvent, bool>, double> rate,
        IReadOnlyList<TraceEvent> events,
        double driftSigma,
        double driftMemory,
        double minuteSigma,
        double? tailDof)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(minutes, 1);
        Minutes = minutes;
        Origin = origin;
        _rate = rate ?? throw new ArgumentNullException(nameof(rate));
        Events = events ?? throw new ArgumentNullException(nameof(events));
        DriftSigma = driftSigma;
        DriftMemory = driftMemory;
        MinuteSigma = minuteSigma;
        TailDof = tailDof;
    }

    /// <summary>Gets the trace's length in minutes.</summary>
    public int Minutes { get; }

    /// <summary>Gets the time of the first minute.</summary>
    public DateTimeOffset Origin { get; }

    /// <summary>Gets the random-timed events, in onset order.</summary>
    public IReadOnlyList<TraceEvent> Events { get; }

    /// <summary>Gets the drift's innovation per minute (log space).</summary>
    public double DriftSigma { get; }

    /// <summary>Gets the drift's AR(1) coefficient per minute.</summary>
    public double DriftMemory { get; }

    /// <summary>Gets the scale of the per-minute shock (log space).</summary>
    public double MinuteSigma { get; }

    /// <summary>Gets the shock's degrees of freedom when it is Student-t; null when it is Gaussian.</summary>
    public double? TailDof { get; }

    /// <summary>The shape at a minute with every event: what the trace would be without noise, requests per second.</summary>
    /// <param name="minute">The minute (0 to <see cref="Minutes"/> − 1).</param>
    /// <returns>The rate.</returns>
    public double Rate(int minute) => _rate(minute, Everything);

    /// <summary>
    /// The shape at a minute as known at minute <paramref name="knownAt"/> by someone who knows every event
    /// from its onset on (its whole course) but not when the events still to begin will: a random-timed event
    /// (a crowd, a shift, a launch) is left out until then, a scheduled one (a batch) is counted over the whole
    /// window its schedule and jitter allow.
    /// </summary>
    /// <param name="minute">The minute.</param>
    /// <param name="knownAt">The last minute observed.</param>
    /// <returns>The rate.</returns>
    public double Rate(int minute, int knownAt) => _rate(minute, e => e.Onset <= knownAt);
}

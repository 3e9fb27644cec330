namespace Shoal.Client.Discovery.Internal;

/// <summary>
/// Decides how a repeated failure (a registry that stays unreachable) is logged: the first failure
/// in full, then one summary per <see cref="SummaryInterval"/> while it lasts, and one line when it
/// ends, instead of a warning with a stack trace per retry. Used by one loop at a time.
/// </summary>
internal sealed class OutageLog(TimeProvider time, TimeSpan summaryInterval)
{
    /// <summary>The summary interval of registry outages.</summary>
    public static readonly TimeSpan DefaultSummaryInterval = TimeSpan.FromSeconds(30);

    private DateTimeOffset _since;
    private DateTimeOffset _lastLogged;
    private int _failures;
    private int _unlogged;

    /// <summary>How often a summary is logged while the outage lasts.</summary>
    public TimeSpan SummaryInterval { get; } = summaryInterval;

    /// <summary>Whether a failure was seen since the last success.</summary>
    public bool InOutage => _failures > 0;

    /// <summary>Counts a failure; says what to log.</summary>
    /// <param name="failuresSinceLastLine">The failures since the last line logged (this one included).</param>
    /// <param name="outage">How long the outage has lasted.</param>
    /// <returns><see cref="OutageStep.First"/>, <see cref="OutageStep.Summary"/> or <see cref="OutageStep.None"/>.</returns>
    public OutageStep Fail(out int failuresSinceLastLine, out TimeSpan outage)
    {
        var now = time.GetUtcNow();
        _unlogged++;
        failuresSinceLastLine = _unlogged;
        if (_failures++ == 0)
        {
            _since = now;
            _lastLogged = now;
            _unlogged = 0;
            outage = TimeSpan.Zero;
            return OutageStep.First;
        }
        outage = now - _since;
        if (now - _lastLogged < SummaryInterval)
        {
            return OutageStep.None;
        }
        _lastLogged = now;
        _unlogged = 0;
        return OutageStep.Summary;
    }

    /// <summary>Counts a success; true (with the outage's failures and length) when it ends an outage.</summary>
    /// <param name="failures">The failures of the outage.</param>
    /// <param name="outage">How long it lasted.</param>
    /// <returns>True when an outage ended.</returns>
    public bool Recover(out int failures, out TimeSpan outage)
    {
        failures = _failures;
        outage = failures > 0 ? time.GetUtcNow() - _since : TimeSpan.Zero;
        _failures = 0;
        _unlogged = 0;
        return failures > 0;
    }
}

namespace Shoal.Server.Native.Internal;

/// <summary>
/// Counts calls a peer abandons (cancels, or lets expire on the server) per second. Past the limit,
/// when they are also more than half of the calls it started in that second, the peer is flooding
/// (HTTP/2's rapid reset, CVE-2023-44487) and should get GoAway EnhanceYourCalm. The ratio keeps
/// clients that cancel a minority of their calls, such as hedging ones, out of it. Thread-safe: resets
/// come from the read loop (Cancel frames) and from deadline timers.
/// </summary>
internal sealed class CallResetMonitor(int maxPerSecond, TimeProvider time)
{
    private static readonly TimeSpan Window = TimeSpan.FromSeconds(1);

    private readonly Lock _lock = new();
    private long _windowStart = time.GetTimestamp();
    private long _startsAtWindow;
    private int _resets;

    /// <summary>One abandoned call; <paramref name="callsStarted"/> is the connection's running count of started calls. Returns true when the peer went past the limit.</summary>
    public bool OnReset(long callsStarted)
    {
        if (maxPerSecond <= 0)
        {
            return false;
        }
        lock (_lock)
        {
            var now = time.GetTimestamp();
            if (time.GetElapsedTime(_windowStart, now) >= Window)
            {
                _windowStart = now;
                _startsAtWindow = callsStarted;
                _resets = 0;
            }
            _resets++;
            var started = callsStarted - _startsAtWindow;
            return _resets > maxPerSecond && _resets * 2L > started;
        }
    }
}

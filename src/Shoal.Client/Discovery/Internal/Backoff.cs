namespace Shoal.Client.Discovery.Internal;

/// <summary>Exponential backoff with ±20% jitter from an injected random source; reset after a success.</summary>
internal sealed class Backoff(TimeSpan initial, TimeSpan max, Random random)
{
    private TimeSpan _next;
    private bool _started;

    /// <summary>The delay before the next attempt; each call doubles the following one up to the maximum.</summary>
    public TimeSpan Next()
    {
        var current = _started ? _next : initial;
        _started = true;
        var doubled = current.Ticks * 2;
        _next = TimeSpan.FromTicks(Math.Min(doubled, max.Ticks));
        double sample;
        lock (random)
        {
            // A Random is not thread-safe and one injected source may serve several loops.
            sample = random.NextDouble();
        }
        var jitter = 0.8 + (sample * 0.4);
        return TimeSpan.FromTicks((long)(current.Ticks * jitter));
    }

    /// <summary>Starts again from the initial delay.</summary>
    public void Reset() => _started = false;
}

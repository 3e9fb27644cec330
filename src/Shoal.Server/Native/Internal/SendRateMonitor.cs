using Shoal.Client.Native.Internal;

namespace Shoal.Server.Native.Internal;

/// <summary>
/// The minimum send data rate, as Kestrel's MinResponseDataRate: each write handed to the transport
/// (at most <see cref="FrameWriter.MaxChunk"/> bytes) may take its size at the rate, or the grace
/// period if that is longer; a write still pending after that means the peer does not read. Fed from
/// the connection's timer tick with the writer's write counter, so the write path reads no clock; a
/// write is timed from the first tick that sees it (at most one tick late). Not thread-safe.
/// </summary>
internal sealed class SendRateMonitor(double bytesPerSecond, TimeSpan grace, TimeProvider time)
{
    private long _sequence = -1;
    private long _since;

    /// <summary>Whether the write numbered <paramref name="flushSequence"/>, of <paramref name="pendingBytes"/> (0: none pending), has taken too long.</summary>
    public bool IsTooSlow(long now, long flushSequence, int pendingBytes)
    {
        if (bytesPerSecond <= 0 || pendingBytes == 0)
        {
            _sequence = -1;
            return false;
        }
        if (flushSequence != _sequence)
        {
            _sequence = flushSequence;
            _since = now;
            return false;
        }
        var allowed = Math.Max(grace.TotalSeconds, pendingBytes / bytesPerSecond);
        return time.GetElapsedTime(_since, now).TotalSeconds > allowed;
    }
}

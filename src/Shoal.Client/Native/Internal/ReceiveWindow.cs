using Shoal.Client.Native.Protocol;

namespace Shoal.Client.Native.Internal;

/// <summary>
/// The receive side of flow control, for one call or (call id 0) a whole connection: counts message
/// bytes that arrived and were not yet consumed (a peer past window + one message broke the rules)
/// and gives credit back in WindowUpdate frames once half the window has been consumed.
/// </summary>
/// <remarks>
/// A connection window for a peer that does not speak connection-level flow control (it sent no
/// <see cref="SettingId.InitialConnectionWindow"/>) is made with <c>grantsCredit: false</c>: it still
/// bounds what is held (<see cref="TryReceive"/>), but sends no WindowUpdate such a peer would not understand.
/// <para>
/// Both counters are atomic, without a lock: the read loop counts each message in and the reader
/// counts it out, once per message each, often on two threads. A grant is taken whole by one
/// compare-and-swap, so two consumers passing half the window together grant each byte once.
/// </para>
/// </remarks>
internal sealed class ReceiveWindow(int window, int maxMessage, bool grantsCredit = true)
{
    private long _unconsumed;
    private long _toReturn;

    /// <summary>Bytes received and not yet consumed.</summary>
    public long Unconsumed => Interlocked.Read(ref _unconsumed);

    /// <summary>A message arrived (read loop). Throws when the peer ignored the window.</summary>
    public void OnReceived(int bytes)
    {
        if (!TryReceive(bytes))
        {
            throw new ProtocolException(GoAwayCode.ProtocolError, "The peer sent past its flow-control window.");
        }
    }

    /// <summary>Counts a message that arrived; false (counting nothing) when it would take the window past window + one message.</summary>
    public bool TryReceive(int bytes)
    {
        var count = Math.Max(bytes, 1);
        var unconsumed = Interlocked.Read(ref _unconsumed);
        while (true)
        {
            var next = unconsumed + count;
            if (next > (long)window + maxMessage)
            {
                return false;
            }
            var seen = Interlocked.CompareExchange(ref _unconsumed, next, unconsumed);
            if (seen == unconsumed)
            {
                return true;
            }
            unconsumed = seen;
        }
    }

    /// <summary>The application consumed a message; writes a WindowUpdate when enough credit piled up.</summary>
    public void OnConsumed(int bytes, FrameWriter writer, uint callId)
    {
        bytes = Math.Max(bytes, 1);
        Interlocked.Add(ref _unconsumed, -bytes);
        if (TakeGrant(bytes, out var grant))
        {
            WriteGrant(grant, writer, callId);
        }
    }

    /// <summary>A message the peer spent no credit on (carried in its CallStart) was consumed or dropped: it stops counting, and no credit goes back.</summary>
    public void Release(int bytes) => Interlocked.Add(ref _unconsumed, -Math.Max(bytes, 1));

    /// <summary>
    /// Gives the peer back credit for a message that was never counted (one skipped for being over the
    /// size limit), so the sender's view of the window stays right.
    /// </summary>
    public void Grant(int bytes, FrameWriter writer, uint callId)
    {
        if (TakeGrant(Math.Max(bytes, 1), out var grant))
        {
            WriteGrant(grant, writer, callId);
        }
    }

    /// <summary>Counts credit to give back; true, with the grant, once half the window piled up.</summary>
    private bool TakeGrant(int bytes, out uint grant)
    {
        grant = 0;
        if (!grantsCredit)
        {
            return false;
        }
        var pending = Interlocked.Add(ref _toReturn, bytes);
        while (pending > 0 && pending >= window / 2)
        {
            var take = Math.Min(pending, uint.MaxValue);
            var seen = Interlocked.CompareExchange(ref _toReturn, pending - take, pending);
            if (seen == pending)
            {
                grant = (uint)take;
                return true;
            }
            // Another consumer added or took meanwhile: look again at what is left.
            pending = seen;
        }
        return false;
    }

    private static void WriteGrant(uint grant, FrameWriter writer, uint callId)
    {
        lock (writer.SyncRoot)
        {
            if (!writer.IsClosed)
            {
                var output = writer.Buffer;
                var start = output.BeginFrame(FrameType.WindowUpdate, FrameFlags.None, callId);
                output.WriteUInt32(grant);
                output.EndFrame(start);
            }
        }
        writer.RequestFlush();
    }
}

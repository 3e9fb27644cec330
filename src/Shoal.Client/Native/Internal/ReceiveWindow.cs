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
/// </remarks>
internal sealed class ReceiveWindow(int window, int maxMessage, bool grantsCredit = true)
{
    private readonly Lock _lock = new();
    private long _unconsumed;
    private long _toReturn;

    /// <summary>Bytes received and not yet consumed.</summary>
    public long Unconsumed
    {
        get
        {
            lock (_lock)
            {
                return _unconsumed;
            }
        }
    }

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
        lock (_lock)
        {
            var next = _unconsumed + Math.Max(bytes, 1);
            if (next > (long)window + maxMessage)
            {
                return false;
            }
            _unconsumed = next;
            return true;
        }
    }

    /// <summary>The application consumed a message; writes a WindowUpdate when enough credit piled up.</summary>
    public void OnConsumed(int bytes, FrameWriter writer, uint callId)
    {
        uint grant;
        lock (_lock)
        {
            bytes = Math.Max(bytes, 1);
            _unconsumed -= bytes;
            if (!TakeGrant(bytes, out grant))
            {
                return;
            }
        }
        WriteGrant(grant, writer, callId);
    }

    /// <summary>A message the peer spent no credit on (carried in its CallStart) was consumed or dropped: it stops counting, and no credit goes back.</summary>
    public void Release(int bytes)
    {
        lock (_lock)
        {
            _unconsumed -= Math.Max(bytes, 1);
        }
    }

    /// <summary>
    /// Gives the peer back credit for a message that was never counted (one skipped for being over the
    /// size limit), so the sender's view of the window stays right.
    /// </summary>
    public void Grant(int bytes, FrameWriter writer, uint callId)
    {
        uint grant;
        lock (_lock)
        {
            if (!TakeGrant(Math.Max(bytes, 1), out grant))
            {
                return;
            }
        }
        WriteGrant(grant, writer, callId);
    }

    /// <summary>Under the lock: counts credit to give back; true, with the grant, once half the window piled up.</summary>
    private bool TakeGrant(int bytes, out uint grant)
    {
        grant = 0;
        if (!grantsCredit)
        {
            return false;
        }
        _toReturn += bytes;
        if (_toReturn < window / 2)
        {
            return false;
        }
        grant = (uint)Math.Min(_toReturn, uint.MaxValue);
        _toReturn -= grant;
        return true;
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

using Shoal.Transport.Native.Protocol;

namespace Shoal.Transport.Native.Internal;

/// <summary>
/// One call's receive side of flow control: counts bytes that arrived and were not yet consumed
/// (a peer past window + one message breaks the protocol) and gives credit back in WindowUpdate
/// frames once half the window has been consumed.
/// </summary>
internal sealed class ReceiveWindow(int window, int maxMessage)
{
    private readonly Lock _lock = new();
    private long _unconsumed;
    private long _toReturn;

    /// <summary>A message arrived (read loop). Throws when the peer ignored the window.</summary>
    public void OnReceived(int bytes)
    {
        lock (_lock)
        {
            _unconsumed += Math.Max(bytes, 1);
            if (_unconsumed > (long)window + maxMessage)
            {
                throw new ProtocolException(GoAwayCode.ProtocolError, "The peer sent past its flow-control window.");
            }
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
            _toReturn += bytes;
            if (_toReturn < window / 2)
            {
                return;
            }
            grant = (uint)_toReturn;
            _toReturn = 0;
        }
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

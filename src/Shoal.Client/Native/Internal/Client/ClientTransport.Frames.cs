using System.Buffers;
using Grpc.Core;
using Shoal.Client.Native.Protocol;

namespace Shoal.Client.Native.Internal.Client;

/// <summary>What the client's read loop does with each frame the server sends.</summary>
internal sealed partial class ClientTransport : IFrameSink
{
    public void OnFrame(in FrameHeader header, in ReadOnlySequence<byte> payload)
    {
        switch (header.Type)
        {
            case FrameType.Trailers:
                CheckCallId(header);
                if (Calls.Remove(header.CallId) is { } ended)
                {
                    try
                    {
                        ended.OnTrailers(header, payload);
                    }
                    catch (ProtocolException e)
                    {
                        FailMalformed(ended, e);
                        throw;
                    }
                }
                break;
            case FrameType.Message:
                CheckCallId(header);
                DeliverMessage(header.CallId, payload);
                break;
            case FrameType.ResponseHeaders:
                CheckCallId(header);
                Calls.Find(header.CallId)?.OnResponseHeaders(payload);
                break;
            case FrameType.Cancel:
                CheckCallId(header);
                if (Calls.Remove(header.CallId) is { } cancelled)
                {
                    Status status;
                    try
                    {
                        var reader = new PayloadReader(payload);
                        var code = (StatusCode)reader.ReadVarint();
                        status = new Status(code, reader.ReadString(ProtocolConstants.MaxMetadataSize));
                    }
                    catch (ProtocolException e)
                    {
                        FailMalformed(cancelled, e);
                        throw;
                    }
                    cancelled.Fail(status);
                }
                break;
            case FrameType.WindowUpdate:
                var window = new PayloadReader(payload);
                var credit = window.ReadUInt32();
                if (header.CallId == 0)
                {
                    ConnectionSendWindow?.Add(credit);
                    break;
                }
                CheckCallId(header);
                Calls.Find(header.CallId)?.OnWindowUpdate(credit);
                break;
            case FrameType.Ping:
                OnPing(header, payload);
                break;
            case FrameType.GoAway:
                OnGoAway(payload);
                break;
            case FrameType.Settings:
                break;
            default:
                throw new ProtocolException(GoAwayCode.ProtocolError, $"A server may not send {header.Type} frames.");
        }
    }

    /// <summary>
    /// A response message: it counts against the connection's receive window while the application
    /// has not read it; one not queued gives its bytes straight back. A server that speaks connection
    /// flow control and overruns the window broke the protocol; an older one only fails the call.
    /// </summary>
    private void DeliverMessage(uint id, in ReadOnlySequence<byte> payload)
    {
        var size = (int)payload.Length;
        var window = ConnectionReceiveWindow;
        if (!window.TryReceive(size))
        {
            if (ConnectionSendWindow is not null)
            {
                throw new ProtocolException(GoAwayCode.ProtocolError, "The server sent past the connection's flow-control window.");
            }
            if (Calls.Remove(id) is { } overrun)
            {
                const string Full = "The connection's receive window is full: its calls hold too many unread response messages.";
                SendCancel(id, StatusCode.ResourceExhausted, Full);
                overrun.Fail(new Status(StatusCode.ResourceExhausted, Full));
            }
            return;
        }
        if (Calls.Find(id) is not { } call || !call.OnMessage(payload))
        {
            window.OnConsumed(size, Writer, 0);
        }
    }

    /// <summary>
    /// Fails a call whose last frame was malformed. It has left the table already, so the protocol
    /// error that now closes the connection would not fail it, and it would wait for ever.
    /// </summary>
    private static void FailMalformed(IClientCall call, ProtocolException error)
        => call.Fail(new Status(StatusCode.Internal, "The server sent a malformed frame for this call: " + error.Message));

    private void CheckCallId(in FrameHeader header)
    {
        if (header.CallId == 0 || header.CallId > Volatile.Read(ref _nextId))
        {
            throw new ProtocolException(GoAwayCode.ProtocolError, $"{header.Type} frame for call {header.CallId}, which was never started.");
        }
    }

    public void OnOversized(in FrameHeader header)
    {
        if (header.Type is FrameType.Message or FrameType.Trailers)
        {
            CheckCallId(header);
            var call = header.Type == FrameType.Trailers ? Calls.Remove(header.CallId) : Calls.Find(header.CallId);
            if (header.Type == FrameType.Message)
            {
                // Skipped, never held: the server's connection credit for it comes straight back.
                ConnectionReceiveWindow.Grant(header.Length, Writer, 0);
            }
            call?.OnOversizedMessage();
            return;
        }
        throw new ProtocolException(GoAwayCode.FrameTooLarge, $"{header.Type} frame of {header.Length} bytes is over the limit.");
    }

    private void OnPing(in FrameHeader header, in ReadOnlySequence<byte> payload)
    {
        if (payload.Length != 8)
        {
            throw ProtocolException.Malformed("Ping payload must be 8 bytes");
        }
        if (header.Has(FrameFlags.Ack))
        {
            return;
        }
        var reader = new PayloadReader(payload);
        var data = reader.ReadUInt64();
        lock (Writer.SyncRoot)
        {
            // Past the output limit the answer is dropped: a server that pings and does not read cannot grow it.
            if (!Writer.IsClosed && Writer.HasRoom)
            {
                var start = Writer.Buffer.BeginFrame(FrameType.Ping, FrameFlags.Ack, 0);
                Writer.Buffer.WriteUInt64(data);
                Writer.Buffer.EndFrame(start);
            }
        }
        Writer.RequestFlush();
    }

    private void OnGoAway(in ReadOnlySequence<byte> payload)
    {
        var reader = new PayloadReader(payload);
        var lastId = reader.ReadUInt32();
        var code = (GoAwayCode)reader.ReadUInt32();
        var detail = reader.Remaining > 0 ? reader.ReadString(4096) : "";
        _logger.ClientGoAway(_address, code, detail);
        if (code != GoAwayCode.NoError)
        {
            throw new IOException($"The server sent go-away {code}: {detail}");
        }
        bool first;
        lock (Writer.SyncRoot)
        {
            first = !IsDraining;
            IsDraining = true;
            _goAwayLastId = lastId;
            _goAwayReceived = true;
        }
        var status = Shoal.Errors.CallNotStarted.Status("The server is shutting down and did not start this call: " + detail);
        foreach (var call in Calls.RemoveWhere(id => id > lastId))
        {
            call.Fail(status);
        }
        if (first)
        {
            _owner.OnTransportDraining(this);
        }
    }
}

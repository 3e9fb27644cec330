using System.Buffers;
using Grpc.Core;
using Shoal.Transport.Native.Protocol;

namespace Shoal.Transport.Native.Internal.Server;

internal sealed partial class ServerConnection
{
    private const string ShuttingDown = "The server is shutting down; retry the call on another instance.";

    private void OnCallStart(in FrameHeader header, in ReadOnlySequence<byte> payload)
    {
        var id = header.CallId;
        if (id == 0 || id <= _highestId)
        {
            throw new ProtocolException(GoAwayCode.ProtocolError, $"Call id {id} does not increase (last was {_highestId}).");
        }
        if (_drainRequested && !_draining)
        {
            // Every call read so far is at or below the go-away's last id; this one and every later one is above it.
            SendDrainGoAway();
        }
        _highestId = id;
        var reader = new PayloadReader(payload);
        var name = reader.ReadBytes(ProtocolConstants.MaxMethodLength, _scratch);
        var host = reader.ReadString(ProtocolConstants.MaxMethodLength);
        var timeout = reader.ReadVarint();
        var headers = MetadataCodec.Read(ref reader);
        var hasMessage = header.Has(FrameFlags.HasMessage);
        var message = hasMessage ? reader.Rest : default;
        if (!hasMessage && reader.Remaining != 0)
        {
            throw ProtocolException.Malformed("bytes after the CallStart fields");
        }

        var method = _lookup.Find(name);
        if (method is null)
        {
            RefuseCall(id, new Grpc.Core.Status(StatusCode.Unimplemented, _lookup.HasServiceOf(name) ? "Method is unimplemented." : "Service is unimplemented."));
            return;
        }
        if (_draining)
        {
            RefuseCall(id, new Grpc.Core.Status(StatusCode.Unavailable, ShuttingDown));
            return;
        }
        if (Volatile.Read(ref _callCount) >= Options.MaxConcurrentCallsPerConnection)
        {
            RefuseCall(id, new Grpc.Core.Status(StatusCode.ResourceExhausted, $"The connection already has {Options.MaxConcurrentCallsPerConnection} calls in flight."));
            return;
        }
        if (message.Length > Options.MaxReceiveMessageSize)
        {
            RefuseCall(id, new Grpc.Core.Status(StatusCode.ResourceExhausted, NativeDeserializationContext.ReceiveTooLarge));
            return;
        }
        var endStream = header.Has(FrameFlags.EndStream);
        if (method.RequestInline && !(hasMessage && endStream))
        {
            RefuseCall(id, new Grpc.Core.Status(StatusCode.Internal, "A call of this kind must carry its one request in the CallStart frame."));
            return;
        }
        var deadline = DateTime.MaxValue;
        if (timeout != 0)
        {
            // Relative timeout in microseconds (like grpc-timeout), turned into an absolute deadline here.
            deadline = DateTime.UtcNow.AddTicks((long)Math.Min(timeout, (ulong)TimeSpan.FromDays(3650).TotalMicroseconds) * 10);
        }
        method.Start(this, new CallStartInfo(id, host, deadline, headers, hasMessage, endStream), message);
    }

    /// <summary>Ends a call before any handler ran: one Trailers frame with headers, status and no message.</summary>
    public void RefuseCall(uint id, Grpc.Core.Status status)
    {
        lock (Writer.SyncRoot)
        {
            if (!Writer.IsClosed)
            {
                var output = Writer.Buffer;
                var start = output.BeginFrame(FrameType.Trailers, FrameFlags.HasHeaders, id);
                output.WriteByte(0);
                output.WriteVarint((uint)status.StatusCode);
                output.WriteString(status.Detail);
                output.WriteByte(0);
                output.EndFrame(start);
            }
        }
        Writer.RequestFlush();
    }

    public void Register(ServerCall call)
    {
        lock (_callsLock)
        {
            if (call.IsCompleted)
            {
                return;
            }
            _calls[call.Id] = call;
            call.Registered = true;
            _callCount = _calls.Count;
        }
    }

    public void Unregister(ServerCall call)
    {
        bool drained;
        lock (_callsLock)
        {
            if (!call.Registered)
            {
                return;
            }
            call.Registered = false;
            _calls.Remove(call.Id);
            _callCount = _calls.Count;
            drained = _draining && _calls.Count == 0;
        }
        if (drained)
        {
            _input.CancelPendingRead();
        }
    }

    /// <summary>
    /// Kestrel asked the connection to close: the read loop sends the go-away (<see cref="SendDrainGoAway"/>),
    /// refuses new calls and lets the ones in flight finish. Only the read loop reads call starts, so
    /// only it can tell which it accepted; this wakes it.
    /// </summary>
    private void BeginDrain()
    {
        _drainRequested = true;
        _input.CancelPendingRead();
    }

    /// <summary>
    /// On the read loop: the go-away whose last id is the highest call read so far. Every call at or
    /// below it was accepted (or refused for a reason of its own); every call above it is refused
    /// after the go-away is written, so the client, which reads the go-away first, knows for each of
    /// its calls whether the server started it.
    /// </summary>
    private void SendDrainGoAway()
    {
        int calls;
        lock (_callsLock)
        {
            _draining = true;
            calls = _calls.Count;
        }
        Log.Draining(_context.ConnectionId, Peer, calls);
        WriteGoAway(GoAwayCode.NoError, ShuttingDown);
    }

    private void WriteGoAway(GoAwayCode code, string detail)
    {
        lock (Writer.SyncRoot)
        {
            if (!Writer.IsClosed)
            {
                var output = Writer.Buffer;
                var start = output.BeginFrame(FrameType.GoAway, FrameFlags.None, 0);
                output.WriteUInt32(_highestId);
                output.WriteUInt32((uint)code);
                output.WriteString(detail);
                output.EndFrame(start);
            }
        }
        Writer.RequestFlush();
    }

    private void StartKeepAlive()
    {
        if (!_keepAliveMonitor.Enabled)
        {
            return;
        }
        var tick = _keepAliveMonitor.TickPeriod;
        _keepAlive = TimeProvider.System.CreateTimer(static s => ((ServerConnection)s!).OnKeepAliveTick(), this, tick, tick);
    }

    private void OnKeepAliveTick()
    {
        switch (_keepAliveMonitor.Tick(out var now))
        {
            case KeepAliveAction.TimedOut when !_stopping:
                Log.KeepAliveTimeout(_context.ConnectionId, Peer);
                WriteGoAway(GoAwayCode.Timeout, "Keepalive ping was not answered in time.");
                _stopping = true;
                _keepAlive?.Dispose();
                // The read loop ends, and closing drains the go-away (bounded) before the socket closes.
                _input.CancelPendingRead();
                break;
            case KeepAliveAction.SendPing:
                Writer.WritePing(now);
                break;
        }
    }
}

using System.Buffers;
using Grpc.Core;
using Shoal.Client.Native;
using Shoal.Client.Native.Internal;
using Shoal.Client.Native.Protocol;

namespace Shoal.Server.Native.Internal;

internal sealed partial class ServerConnection
{
    private const string ShuttingDown = "The server is shutting down; retry the call on another instance.";
    private const string ConnectionWindowFull = "The connection's receive window is full: its calls hold too many unread request messages.";

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
        _callsStarted++;
        var reader = new PayloadReader(payload);
        var name = reader.ReadBytes(ProtocolConstants.MaxMethodLength, _scratch);
        var host = reader.ReadString(ProtocolConstants.MaxMethodLength);
        var timeout = reader.ReadVarint();
        Metadata? headers;
        try
        {
            headers = MetadataCodec.Read(ref reader);
        }
        catch (MetadataTooLargeException)
        {
            // One bad call fails one call: the rest of the frame is not needed to refuse it.
            RefuseCall(id, new Status(StatusCode.ResourceExhausted, MetadataTooLargeException.RequestDetail));
            return;
        }
        var hasMessage = header.Has(FrameFlags.HasMessage);
        var message = hasMessage ? reader.Rest : default;
        if (!hasMessage && reader.Remaining != 0)
        {
            throw ProtocolException.Malformed("bytes after the CallStart fields");
        }

        var method = _lookup.Find(name);
        if (method is null)
        {
            RefuseCall(id, new Status(StatusCode.Unimplemented, _lookup.HasServiceOf(name) ? "Method is unimplemented." : "Service is unimplemented."));
            return;
        }
        if (_draining)
        {
            RefuseCall(id, new Status(StatusCode.Unavailable, ShuttingDown));
            return;
        }
        if (Volatile.Read(ref _liveCalls) >= Options.MaxConcurrentCallsPerConnection)
        {
            RefuseCall(id, new Status(StatusCode.ResourceExhausted, $"The connection already has {Options.MaxConcurrentCallsPerConnection} calls in flight."));
            // A client that keeps starting calls past the limit is flooding as surely as one that cancels them.
            CountReset("started calls past the concurrent-call limit");
            return;
        }
        if (message.Length > Options.MaxReceiveMessageSize)
        {
            RefuseCall(id, new Status(StatusCode.ResourceExhausted, NativeDeserializationContext.ReceiveTooLarge));
            return;
        }
        var endStream = header.Has(FrameFlags.EndStream);
        if (method.RequestInline && !(hasMessage && endStream))
        {
            RefuseCall(id, new Status(StatusCode.Internal, "A call of this kind must carry its one request in the CallStart frame."));
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

    /// <summary>
    /// A request message for <paramref name="call"/> (null: a call that already ended). It counts
    /// against the connection's receive window while a handler has not read it; a message that is
    /// not queued gives its bytes straight back. A client that speaks connection flow control and
    /// overruns the window broke the protocol; an older one only fails the call.
    /// </summary>
    public void DeliverMessage(ServerCall? call, in ReadOnlySequence<byte> payload, bool inline)
    {
        var size = (int)payload.Length;
        var window = ConnectionReceiveWindow;
        if (!window.TryReceive(size))
        {
            if (PeerSpeaksConnectionWindow && !inline)
            {
                throw new ProtocolException(GoAwayCode.ProtocolError, "The client sent past the connection's flow-control window.");
            }
            call?.Complete(new Status(StatusCode.ResourceExhausted, ConnectionWindowFull));
            return;
        }
        if (call is null || !call.OnMessage(payload, inline))
        {
            if (inline)
            {
                window.Release(size);
            }
            else
            {
                window.OnConsumed(size, Writer, 0);
            }
        }
    }

    private void OnCancel(in FrameHeader header)
    {
        FindCall(header)?.Abort();
        // Every cancel counts, even for a call that just ended: a flood of start-and-cancel is what it is.
        CountReset("cancelled");
    }

    /// <summary>One call the client abandoned or had refused (read loop); past the rate the connection ends with EnhanceYourCalm.</summary>
    private void CountReset(string what)
    {
        if (_resets.OnReset(_callsStarted))
        {
            throw new ProtocolException(GoAwayCode.EnhanceYourCalm, $"The client {what} more than {Options.MaxCallResetsPerSecond} calls in a second, most of the calls it started.");
        }
    }

    /// <summary>A call's deadline passed on the server (a timer thread); calls that keep expiring at once count as resets.</summary>
    public void OnCallExpired()
    {
        if (_resets.OnReset(Volatile.Read(ref _callsStarted)))
        {
            Stop(new ProtocolException(GoAwayCode.EnhanceYourCalm, $"More than {Options.MaxCallResetsPerSecond} calls a second expired, most of the calls the client started."));
        }
    }

    /// <summary>Ends a call before any handler ran: one Trailers frame with headers, status and no message.</summary>
    public void RefuseCall(uint id, Status status)
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

    /// <summary>Puts a call that outlives its start in the table (frames can reach it) and gives it a call slot.</summary>
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
        call.TakeSlot();
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

    /// <summary>Hands the budget reservation of the frame being handled to a call whose handler keeps its request (see <see cref="ServerCall.HoldRequestReservation"/>).</summary>
    public int TakeFrameReservation(out NativeFrameBudget? budget) => _decoder.TakeReservation(out budget);

    /// <summary>A call took one of the connection's slots (see <see cref="ServerCall.TakeSlot"/>).</summary>
    public void AcquireSlot() => Interlocked.Increment(ref _liveCalls);

    /// <summary>A call gave its slot back: its outcome is decided and its handler returned.</summary>
    public void ReleaseSlot() => Interlocked.Decrement(ref _liveCalls);

    /// <summary>
    /// Kestrel asked the connection to close, or it was idle: the read loop sends the go-away
    /// (<see cref="SendDrainGoAway"/>, with the first <paramref name="detail"/> asked for), refuses
    /// new calls and lets the ones in flight finish. Only the read loop reads call starts, so only it
    /// can tell which it accepted; this wakes it.
    /// </summary>
    private void BeginDrain(string detail)
    {
        Interlocked.CompareExchange(ref _drainDetail, detail, null);
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
        WriteGoAway(GoAwayCode.NoError, _drainDetail ?? ShuttingDown);
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
}

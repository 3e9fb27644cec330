using System.Buffers;
using Grpc.Core;
using Shoal.Transport.Native.Protocol;

namespace Shoal.Transport.Native.Internal.Client;

internal sealed partial class ClientTransport : IFrameSink
{
    /// <summary>Used only on the read loop, by calls deserializing responses.</summary>
    public NativeDeserializationContext Deserializer => _deserializer;

    private async Task HandshakeAsync(CancellationToken cancellationToken)
    {
        lock (Writer.SyncRoot)
        {
            var output = Writer.Buffer;
            var start = output.BeginFrame(FrameType.Preface, FrameFlags.None, 0);
            output.WriteRaw(ProtocolConstants.Magic);
            output.WriteByte(ProtocolConstants.Version);
            output.WriteUInt16((ushort)SettingId.MaxReceiveMessageSize);
            output.WriteUInt32((uint)Options.MaxReceiveMessageSize);
            output.WriteUInt16((ushort)SettingId.InitialWindow);
            output.WriteUInt32(ProtocolDefaults.Window);
            output.EndFrame(start);
        }
        Writer.RequestFlush();
        while (true)
        {
            var result = await _input.ReadAsync(cancellationToken).ConfigureAwait(false);
            var buffer = result.Buffer;
            var decoded = _decoder.TryDecode(ref buffer, out var header, out var payload);
            if (decoded == DecodeResult.Frame)
            {
                try
                {
                    if (header.Type == FrameType.GoAway)
                    {
                        var reader = new PayloadReader(payload);
                        reader.ReadUInt32();
                        var code = (GoAwayCode)reader.ReadUInt32();
                        throw new IOException($"The server refused the connection ({code}): {reader.ReadString(4096)}");
                    }
                    if (header.Type != FrameType.Settings)
                    {
                        throw new IOException($"Expected the server's settings, got {header.Type}.");
                    }
                    ReadSettings(payload);
                }
                finally
                {
                    _decoder.FrameDone();
                }
                _input.AdvanceTo(buffer.Start);
                return;
            }
            _input.AdvanceTo(buffer.Start, buffer.End);
            if (result.IsCompleted || decoded == DecodeResult.Oversized)
            {
                throw new IOException("The server closed the connection during the handshake.");
            }
        }
    }

    private void ReadSettings(in ReadOnlySequence<byte> payload)
    {
        var reader = new PayloadReader(payload);
        while (reader.Remaining >= 6)
        {
            var id = (SettingId)reader.ReadUInt16();
            var value = reader.ReadUInt32();
            if (id == SettingId.InitialWindow)
            {
                PeerInitialWindow = (int)Math.Clamp(value, 1, int.MaxValue);
            }
        }
    }

    private void Start()
    {
        if (_dedicatedReceive)
        {
            // Every read completes synchronously on this thread (see LowLatencySocketStream).
            var thread = new Thread(static s => ((ClientTransport)s!).RunReceiveThread())
            {
                IsBackground = true,
                Name = "shoal-native-receive",
            };
            thread.UnsafeStart(this);
        }
        else
        {
            _ = ReadLoopAsync();
        }
        if (_keepAliveMonitor.Enabled)
        {
            var tick = _keepAliveMonitor.TickPeriod;
            _keepAlive = TimeProvider.System.CreateTimer(static s => ((ClientTransport)s!).OnKeepAliveTick(), this, tick, tick);
        }
    }

    private void RunReceiveThread()
    {
        try
        {
            ReadLoopAsync().GetAwaiter().GetResult();
        }
        catch (Exception e)
        {
            Abort(e.Message);
        }
    }

    private async Task ReadLoopAsync()
    {
        var reason = "the server closed the connection";
        try
        {
            while (true)
            {
                var result = await _input.ReadAsync().ConfigureAwait(false);
                var buffer = result.Buffer;
                if (!buffer.IsEmpty)
                {
                    _keepAliveMonitor.OnReceived();
                }
                _decoder.DecodeBatch(ref buffer, Writer, this);
                _input.AdvanceTo(buffer.Start, buffer.End);
                if (result.IsCompleted || result.IsCanceled)
                {
                    break;
                }
                if (IsDraining && Calls.Count == 0)
                {
                    // Nothing more will come: close our side, which also lets a draining server close
                    // without resetting the connection (see the server's read loop).
                    reason = RetiredReason;
                    break;
                }
            }
        }
        catch (ProtocolException e)
        {
            reason = "protocol error: " + e.Message;
            WriteGoAway(e.Code, e.Message);
            await Writer.DrainAsync().WaitAsync(TimeSpan.FromSeconds(1)).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
        catch (Exception e)
        {
            reason = e.Message;
        }
        await _input.CompleteAsync().ConfigureAwait(false);
        if (IsDraining)
        {
            Close(reason);
        }
        else
        {
            Abort(reason);
        }
    }

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
                Calls.Find(header.CallId)?.OnMessage(payload);
                break;
            case FrameType.ResponseHeaders:
                CheckCallId(header);
                Calls.Find(header.CallId)?.OnResponseHeaders(payload);
                break;
            case FrameType.Cancel:
                CheckCallId(header);
                if (Calls.Remove(header.CallId) is { } cancelled)
                {
                    Grpc.Core.Status status;
                    try
                    {
                        var reader = new PayloadReader(payload);
                        var code = (StatusCode)reader.ReadVarint();
                        status = new Grpc.Core.Status(code, reader.ReadString(ProtocolConstants.MaxMetadataSize));
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
                CheckCallId(header);
                var window = new PayloadReader(payload);
                Calls.Find(header.CallId)?.OnWindowUpdate(window.ReadUInt32());
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
    /// Fails a call whose last frame was malformed. It has left the table already, so the protocol
    /// error that now closes the connection would not fail it, and it would wait for ever.
    /// </summary>
    private static void FailMalformed(IClientCall call, ProtocolException error)
        => call.Fail(new Grpc.Core.Status(StatusCode.Internal, "The server sent a malformed frame for this call: " + error.Message));

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
            if (!Writer.IsClosed && !Writer.IsOverloaded)
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
        }
        var status = Shoal.Status.CallNotStarted.Status("The server is shutting down and did not start this call: " + detail);
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

using System.Buffers;
using Grpc.Core;
using Shoal.Client.Native.Internal;
using Shoal.Client.Native.Protocol;

namespace Shoal.Server.Native.Internal;

internal sealed partial class ServerConnection : IFrameSink
{
    private volatile bool _handshakeDone;
    private long _bytesReceived;
    private volatile bool _frameInProgress;

    private async Task HandshakeAsync()
    {
        while (true)
        {
            var result = await _input.ReadAsync().ConfigureAwait(false);
            ThrowIfStopped();
            var buffer = result.Buffer;
            Volatile.Write(ref _bytesReceived, buffer.Length);
            var decoded = _decoder.TryDecode(ref buffer, out var header, out var payload);
            if (decoded == DecodeResult.Frame)
            {
                try
                {
                    if (header.Type != FrameType.Preface || header.CallId != 0)
                    {
                        throw new ProtocolException(GoAwayCode.ProtocolError, $"Expected a preface, got {header.Type}.");
                    }
                    ReadPreface(payload);
                }
                finally
                {
                    _decoder.FrameDone();
                }
                _input.AdvanceTo(buffer.Start);
                _unconsumed = buffer.Length;
                WriteSettings();
                _handshakeDone = true;
                return;
            }
            if (decoded is DecodeResult.Oversized or DecodeResult.OverBudget)
            {
                throw new ProtocolException(GoAwayCode.FrameTooLarge, "The preface is too large.");
            }
            _input.AdvanceTo(buffer.Start, buffer.End);
            if (result.IsCompleted)
            {
                throw new IOException("The connection closed before its preface.");
            }
        }
    }

    private void ThrowIfStopped()
    {
        if (_stopReason is { } reason)
        {
            throw reason;
        }
    }

    private void ReadPreface(in ReadOnlySequence<byte> payload)
    {
        var reader = new PayloadReader(payload);
        Span<byte> magic = stackalloc byte[4];
        for (var i = 0; i < 4; i++)
        {
            magic[i] = reader.ReadByte();
        }
        if (!magic.SequenceEqual(ProtocolConstants.Magic))
        {
            throw new ProtocolException(GoAwayCode.ProtocolError, "Wrong magic in the preface.");
        }
        var version = reader.ReadByte();
        if (version != ProtocolConstants.Version)
        {
            throw new ProtocolException(GoAwayCode.UnsupportedVersion, $"Protocol version {version} is not supported; this server speaks {ProtocolConstants.Version}.");
        }
        while (reader.Remaining > 0)
        {
            var id = (SettingId)reader.ReadUInt16();
            var value = reader.ReadUInt32();
            if (id == SettingId.InitialWindow)
            {
                // A 2 GiB window buys nothing past the output limit; it is clamped like any other.
                PeerInitialWindow = (int)Math.Clamp(value, 1, ProtocolConstants.MaxHonouredWindow);
            }
            else if (id == SettingId.InitialConnectionWindow)
            {
                ConnectionSendWindow = new SendWindow((int)Math.Clamp(value, 1, ProtocolConstants.MaxHonouredWindow));
            }
        }
        if (PeerSpeaksConnectionWindow)
        {
            ConnectionReceiveWindow = new ReceiveWindow(Options.ConnectionWindowSize, Options.MaxReceiveMessageSize);
        }
    }

    private void WriteSettings()
    {
        lock (Writer.SyncRoot)
        {
            var output = Writer.Buffer;
            var start = output.BeginFrame(FrameType.Settings, FrameFlags.None, 0);
            output.WriteUInt16((ushort)SettingId.MaxReceiveMessageSize);
            output.WriteUInt32((uint)Options.MaxReceiveMessageSize);
            output.WriteUInt16((ushort)SettingId.MaxConcurrentCalls);
            output.WriteUInt32((uint)Options.MaxConcurrentCallsPerConnection);
            output.WriteUInt16((ushort)SettingId.InitialWindow);
            output.WriteUInt32((uint)Options.StreamWindowSize);
            output.WriteUInt16((ushort)SettingId.InitialConnectionWindow);
            output.WriteUInt32((uint)Options.ConnectionWindowSize);
            output.EndFrame(start);
        }
        Writer.RequestFlush();
    }

    public void OnFrame(in FrameHeader header, in ReadOnlySequence<byte> payload)
    {
        switch (header.Type)
        {
            case FrameType.CallStart:
                OnCallStart(header, payload);
                break;
            case FrameType.Message:
                DeliverMessage(FindCall(header), payload, inline: false);
                break;
            case FrameType.HalfClose:
                FindCall(header)?.OnHalfClose();
                break;
            case FrameType.Cancel:
                OnCancel(header);
                break;
            case FrameType.WindowUpdate:
                if (payload.Length != 4)
                {
                    throw ProtocolException.Malformed("WindowUpdate payload must be 4 bytes");
                }
                var reader = new PayloadReader(payload);
                var credit = reader.ReadUInt32();
                if (header.CallId == 0)
                {
                    ConnectionSendWindow?.Add(credit);
                }
                else
                {
                    FindCall(header)?.OnWindowUpdate(credit);
                }
                break;
            case FrameType.Ping:
                OnPing(header, payload);
                break;
            case FrameType.Settings:
                break;
            case FrameType.GoAway:
                OnGoAway(payload);
                break;
            default:
                throw new ProtocolException(GoAwayCode.ProtocolError, $"A client may not send {header.Type} frames.");
        }
    }

    /// <summary>The call a frame is for; null for a call that already ended. A call never opened is a protocol error.</summary>
    private ServerCall? FindCall(in FrameHeader header)
    {
        if (header.CallId == 0 || header.CallId > _highestId)
        {
            throw new ProtocolException(GoAwayCode.ProtocolError, $"{header.Type} frame for call {header.CallId}, which was never started.");
        }
        lock (_callsLock)
        {
            return _calls.GetValueOrDefault(header.CallId);
        }
    }

    public void OnOversized(in FrameHeader header)
    {
        if (header.Type == FrameType.CallStart && header.CallId > _highestId)
        {
            _highestId = header.CallId;
            _callsStarted++;
            RefuseCall(header.CallId, new Status(StatusCode.ResourceExhausted, NativeDeserializationContext.ReceiveTooLarge));
            return;
        }
        if (header.Type == FrameType.Message)
        {
            // Skipped, never held: the sender's connection credit for it comes straight back.
            var call = FindCall(header);
            ConnectionReceiveWindow.Grant(header.Length, Writer, 0);
            call?.OnOversizedMessage();
            return;
        }
        throw new ProtocolException(GoAwayCode.FrameTooLarge, $"{header.Type} frame of {header.Length} bytes is over the limit of {_decoder.MaxPayloadLength}.");
    }

    public void OnOverBudget(in FrameHeader header)
    {
        Log.FrameOverBudget(_context.ConnectionId, Peer, header.Type, header.Length);
        if (header.Type == FrameType.CallStart && header.CallId > _highestId)
        {
            _highestId = header.CallId;
            _callsStarted++;
            RefuseCall(header.CallId, new Status(StatusCode.ResourceExhausted, ServerCall.OverBudget));
            return;
        }
        if (header.Type == FrameType.Message)
        {
            var call = FindCall(header);
            ConnectionReceiveWindow.Grant(header.Length, Writer, 0);
            call?.OnOverBudgetMessage();
            return;
        }
        // No other frame a client sends is legitimately this large; treat it like one over the limit.
        throw new ProtocolException(GoAwayCode.FrameTooLarge, $"{header.Type} frame of {header.Length} bytes is too large.");
    }

    private void OnPing(in FrameHeader header, in ReadOnlySequence<byte> payload)
    {
        if (payload.Length != 8 || header.CallId != 0)
        {
            throw ProtocolException.Malformed("Ping payload must be 8 bytes on call 0");
        }
        if (header.Has(FrameFlags.Ack))
        {
            return;
        }
        var reader = new PayloadReader(payload);
        var data = reader.ReadUInt64();
        lock (Writer.SyncRoot)
        {
            // A read loop stops reading while the output is over its limit, so answers stay bounded.
            if (!Writer.IsClosed)
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
        reader.ReadUInt32();
        var code = (GoAwayCode)reader.ReadUInt32();
        if (code != GoAwayCode.NoError)
        {
            var detail = reader.Remaining > 0 ? reader.ReadString(4096) : "";
            throw new IOException($"The client sent go-away {code}: {detail}");
        }
    }
}

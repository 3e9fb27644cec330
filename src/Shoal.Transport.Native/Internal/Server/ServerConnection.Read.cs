using System.Buffers;
using Shoal.Transport.Native.Protocol;

namespace Shoal.Transport.Native.Internal.Server;

internal sealed partial class ServerConnection : IFrameSink
{
    private const int OutputBackpressureThreshold = 4 * 1024 * 1024;

    private async Task HandshakeAsync()
    {
        using var timeout = new CancellationTokenSource(Options.HandshakeTimeout);
        while (true)
        {
            System.IO.Pipelines.ReadResult result;
            try
            {
                result = await _input.ReadAsync(timeout.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (timeout.IsCancellationRequested)
            {
                throw new ProtocolException(GoAwayCode.Timeout, $"No preface within {Options.HandshakeTimeout.TotalSeconds:0.###} s.");
            }
            var buffer = result.Buffer;
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
                WriteSettings();
                return;
            }
            if (decoded == DecodeResult.Oversized)
            {
                throw new ProtocolException(GoAwayCode.FrameTooLarge, "The preface is too large.");
            }
            _input.AdvanceTo(buffer.Start, buffer.End);
            if (result.IsCompleted || result.IsCanceled)
            {
                throw new IOException("The connection closed before its preface.");
            }
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
                PeerInitialWindow = (int)Math.Clamp(value, 1, int.MaxValue);
            }
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
            output.WriteUInt32(ProtocolDefaults.Window);
            output.EndFrame(start);
        }
        Writer.RequestFlush();
    }

    /// <summary>How long a drained connection waits for the client to close its side.</summary>
    private static readonly TimeSpan DrainLinger = TimeSpan.FromSeconds(1);

    private async Task ReadLoopAsync()
    {
        while (!_stopping)
        {
            var result = await _input.ReadAsync().ConfigureAwait(false);
            if (_drainRequested && !_draining)
            {
                SendDrainGoAway();
            }
            var buffer = result.Buffer;
            if (!buffer.IsEmpty)
            {
                _keepAliveMonitor.OnReceived();
            }
            _decoder.DecodeBatch(ref buffer, Writer, this);
            _input.AdvanceTo(buffer.Start, buffer.End);
            if (Writer.BufferedLength > OutputBackpressureThreshold)
            {
                // A client that sends calls but does not read their answers: stop reading until
                // the output drains, and give up on a peer that never reads.
                try
                {
                    await Writer.DrainAsync().WaitAsync(Options.KeepAliveTimeout + TimeSpan.FromSeconds(10)).ConfigureAwait(false);
                }
                catch (TimeoutException)
                {
                    throw new ProtocolException(GoAwayCode.Timeout, "The client does not read its responses.");
                }
            }
            if (result.IsCompleted)
            {
                if (!buffer.IsEmpty || _decoder.HasPartialFrame)
                {
                    throw new ProtocolException(GoAwayCode.ProtocolError, "The connection ended inside a frame (truncated frame).");
                }
                return;
            }
            if (_draining && Volatile.Read(ref _callCount) == 0)
            {
                await LingerAsync().ConfigureAwait(false);
                return;
            }
        }
    }

    /// <summary>
    /// A drained connection waits (at most <see cref="DrainLinger"/>) for the client to close first: closing
    /// with calls the client sent before it read the go-away still unread would reset the connection, and a
    /// reset can destroy the go-away and the last responses before the client reads them. Everything read
    /// now is above the go-away's last id, which the client has failed itself, so it is dropped.
    /// </summary>
    private async Task LingerAsync()
    {
        using var linger = new CancellationTokenSource(DrainLinger);
        try
        {
            while (true)
            {
                var result = await _input.ReadAsync(linger.Token).ConfigureAwait(false);
                _input.AdvanceTo(result.Buffer.End);
                if (result.IsCompleted)
                {
                    return;
                }
            }
        }
        catch (OperationCanceledException)
        {
            // The client did not close in time; the connection closes anyway.
        }
    }

    public void OnFrame(in FrameHeader header, in ReadOnlySequence<byte> payload)
    {
        switch (header.Type)
        {
            case FrameType.CallStart:
                OnCallStart(header, payload);
                break;
            case FrameType.Message:
                FindCall(header)?.OnMessage(payload);
                break;
            case FrameType.HalfClose:
                FindCall(header)?.OnHalfClose();
                break;
            case FrameType.Cancel:
                FindCall(header)?.Abort();
                break;
            case FrameType.WindowUpdate:
                if (payload.Length != 4)
                {
                    throw ProtocolException.Malformed("WindowUpdate payload must be 4 bytes");
                }
                var reader = new PayloadReader(payload);
                var credit = reader.ReadUInt32();
                if (header.CallId != 0)
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
            RefuseCall(header.CallId, new Grpc.Core.Status(Grpc.Core.StatusCode.ResourceExhausted, NativeDeserializationContext.ReceiveTooLarge));
            return;
        }
        if (header.Type == FrameType.Message)
        {
            FindCall(header)?.OnOversizedMessage();
            return;
        }
        throw new ProtocolException(GoAwayCode.FrameTooLarge, $"{header.Type} frame of {header.Length} bytes is over the limit of {_decoder.MaxPayloadLength}.");
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
        reader.ReadUInt32();
        var code = (GoAwayCode)reader.ReadUInt32();
        if (code != GoAwayCode.NoError)
        {
            var detail = reader.Remaining > 0 ? reader.ReadString(4096) : "";
            throw new IOException($"The client sent go-away {code}: {detail}");
        }
    }
}

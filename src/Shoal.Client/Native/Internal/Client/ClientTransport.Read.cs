using System.Buffers;
using Shoal.Client.Native.Protocol;

namespace Shoal.Client.Native.Internal.Client;

internal sealed partial class ClientTransport
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
            output.WriteUInt32((uint)Options.StreamWindowSize);
            output.WriteUInt16((ushort)SettingId.InitialConnectionWindow);
            output.WriteUInt32((uint)Options.ConnectionWindowSize);
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
                _unconsumed = buffer.Length;
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
                PeerInitialWindow = (int)Math.Clamp(value, 1, ProtocolConstants.MaxHonouredWindow);
            }
            else if (id == SettingId.MaxConcurrentCalls)
            {
                Calls.Limit = (int)Math.Min(value, int.MaxValue);
            }
            else if (id == SettingId.InitialConnectionWindow)
            {
                ConnectionSendWindow = new SendWindow((int)Math.Clamp(value, 1, ProtocolConstants.MaxHonouredWindow));
                ConnectionReceiveWindow = new ReceiveWindow(Options.ConnectionWindowSize, Options.MaxReceiveMessageSize);
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
            _inlineCompletions = !Options.RunContinuationsAsynchronously;
            if (_inlineCompletions)
            {
                InlineHandlerWatchdog.Shared.Add(this);
            }
            _ = RunReadLoopAsync(generation: 0);
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
            RunReadLoopAsync(generation: 0).GetAwaiter().GetResult();
        }
        catch (Exception e)
        {
            Abort(e.Message);
        }
    }

    /// <summary>
    /// The rest of a frame at least this large is read from the stream straight into the frame's own
    /// segments; a shorter rest goes through the read buffer, with whatever follows it in the same read.
    /// </summary>
    private const int ReadIntoFrameMinimum = 16 * 1024;

    /// <summary>
    /// Reads the frame being assembled from the stream into its own memory (no copy out of the read
    /// buffer, and reads as large as the frame's segments) until less than <see cref="ReadIntoFrameMinimum"/>
    /// is missing, never past the frame's end; a frame that is whole is handled as a batch of its own.
    /// Called only when the read buffer holds nothing, so no byte overtakes another. False at the end of the stream.
    /// </summary>
    private async ValueTask<bool> ReadIntoFrameAsync()
    {
        while (_decoder.AssemblyRemaining >= ReadIntoFrameMinimum)
        {
            var read = await _stream.ReadAsync(_decoder.GetAssemblyMemory()).ConfigureAwait(false);
            if (read == 0)
            {
                return false;
            }
            _decoder.AdvanceAssembly(read);
            Volatile.Write(ref _bytesReceived, _bytesReceived + read);
        }
        if (_decoder.AssemblyRemaining == 0)
        {
            var empty = ReadOnlySequence<byte>.Empty;
            DecodeBatch(ref empty);
        }
        return true;
    }

    /// <summary>The read loop of <paramref name="generation"/> (a successor starts with the completions its blocked predecessor left, see <see cref="CheckInlineHandler"/>).</summary>
    private async Task RunReadLoopAsync(int generation)
    {
        var reason = "the server closed the connection";
        try
        {
            if (!RunDeferred(generation))
            {
                return;
            }
            while (true)
            {
                var result = await _input.ReadAsync().ConfigureAwait(false);
                var buffer = result.Buffer;
                Volatile.Write(ref _bytesReceived, _bytesReceived + buffer.Length - _unconsumed);
                DecodeBatch(ref buffer);
                _unconsumed = buffer.Length;
                _input.AdvanceTo(buffer.Start, buffer.End);
                if (!RunDeferred(generation))
                {
                    return;
                }
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
                if (_unconsumed == 0 && _decoder.AssemblyRemaining >= ReadIntoFrameMinimum)
                {
                    if (!await ReadIntoFrameAsync().ConfigureAwait(false))
                    {
                        break;
                    }
                    if (!RunDeferred(generation))
                    {
                        return;
                    }
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
        if (!RunDeferred(generation))
        {
            return;
        }
        await _input.CompleteAsync().ConfigureAwait(false);
        _decoder.Release();
        if (IsDraining)
        {
            ClosedGracefully = _goAwayReceived;
            Close(reason);
        }
        else
        {
            Abort(reason);
        }
    }
}

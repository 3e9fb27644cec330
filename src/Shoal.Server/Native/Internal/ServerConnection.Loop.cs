using System.Buffers;
using System.IO.Pipelines;
using Shoal.Client.Native.Internal;
using Shoal.Client.Native.Protocol;

namespace Shoal.Server.Native.Internal;

/// <summary>
/// The read loop, which runs handlers inline and hands itself over to another thread when one of
/// them blocks (see <see cref="InlineHandlerWatchdog"/>).
/// </summary>
/// <remarks>
/// Ownership of the loop is a generation number in <see cref="_loopState"/> (with the phase in its
/// two low bits). A handler runs between <see cref="EnterHandler"/> and <see cref="ExitHandler"/>;
/// the request it needs is already parsed and the frame released, so the rest of the read buffer
/// (<see cref="_pending"/>) is all a successor needs. When the watchdog finds the same handler inline
/// on two checks, it moves the state to the next generation and queues
/// <see cref="RunReadLoopAsync"/> with it: the successor continues from <see cref="_pending"/>, and
/// the blocked thread, once its handler returns, finishes that one call and leaves the loop alone
/// (it sees a newer generation). Only the owner touches the decoder, the pipe and the call table's
/// id bookkeeping.
/// </remarks>
internal sealed partial class ServerConnection : IInlineHandlerHost
{
    private const int Reading = 0;
    private const int InHandler = 1;

    /// <summary>
    /// The most of a large frame one read waits for: well under the 1 MiB at which Kestrel's socket
    /// transport stops reading a connection, so waiting never holds up the bytes it waits for.
    /// </summary>
    private const int ReadAhead = 64 * 1024;

    /// <summary>How long a drained connection waits for the client to close its side.</summary>
    private static readonly TimeSpan DrainLinger = TimeSpan.FromSeconds(1);

    private readonly TaskCompletionSource _readLoopDone = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _loopState;
    private int _handlerEpoch;
    private ServerCall? _inlineCall;
    private ReadOnlySequence<byte> _pending;
    private bool _pendingCompleted;
    private long _unconsumed;
    private int _sampledState = -1;
    private int _sampledEpoch;
    private volatile bool _readingAhead;

    private enum BatchEnd
    {
        NeedMore,
        OutputFull,
        HandedOver,
    }

    private Task ReadLoopAsync()
    {
        _ = RunReadLoopAsync(generation: 0, resume: false);
        return _readLoopDone.Task;
    }

    private async Task RunReadLoopAsync(int generation, bool resume)
    {
        try
        {
            while (true)
            {
                ReadOnlySequence<byte> buffer;
                bool completed;
                if (resume)
                {
                    resume = false;
                    buffer = _pending;
                    completed = _pendingCompleted;
                }
                else
                {
                    if (_stopping)
                    {
                        ThrowIfStopped();
                        break;
                    }
                    var result = await ReadAsync().ConfigureAwait(false);
                    ThrowIfStopped();
                    buffer = result.Buffer;
                    completed = result.IsCompleted;
                    Volatile.Write(ref _bytesReceived, _bytesReceived + buffer.Length - _unconsumed);
                }
                if (_drainRequested && !_draining)
                {
                    SendDrainGoAway();
                }
                var end = ProcessBatch(ref buffer, completed, generation);
                if (end == BatchEnd.HandedOver)
                {
                    return;
                }
                _unconsumed = buffer.Length;
                if (_stopping)
                {
                    // A frame of the batch, or a timer, ended the connection: what is left is not read.
                    ThrowIfStopped();
                    break;
                }
                if (end == BatchEnd.OutputFull)
                {
                    // Whole frames may remain: mark nothing examined so the next read returns them at once.
                    _input.AdvanceTo(buffer.Start);
                    await WaitForOutputRoomAsync().ConfigureAwait(false);
                    continue;
                }
                _frameInProgress = !buffer.IsEmpty || _decoder.HasPartialFrame;
                _input.AdvanceTo(buffer.Start, buffer.End);
                if (completed)
                {
                    if (!buffer.IsEmpty || _decoder.HasPartialFrame)
                    {
                        throw new ProtocolException(GoAwayCode.ProtocolError, "The connection ended inside a frame (truncated frame).");
                    }
                    break;
                }
                if (_draining && Volatile.Read(ref _callCount) == 0)
                {
                    await LingerAsync().ConfigureAwait(false);
                    break;
                }
            }
            _readLoopDone.TrySetResult();
        }
        catch (Exception e)
        {
            if (Volatile.Read(ref _loopState) >> 2 == generation)
            {
                _readLoopDone.TrySetException(e);
            }
        }
    }

    /// <summary>
    /// The next read. While a large frame is being assembled, it waits for up to <see cref="ReadAhead"/>
    /// of it at once instead of waking for every few kilobytes the transport receives (Kestrel's socket
    /// transport hands over about 4 KiB per receive): the wake-ups and decode passes per megabyte drop about sixteenfold.
    /// The connection's tick cuts such a read short (<see cref="CountReadAhead"/>), so a slow peer's bytes
    /// are still counted against the minimum receive rate at each tick.
    /// </summary>
    private ValueTask<ReadResult> ReadAsync()
    {
        var wanted = Math.Min(_decoder.AssemblyRemaining, ReadAhead);
        if (wanted <= 0)
        {
            return _input.ReadAsync();
        }
        _readingAhead = true;
        return ReadAheadAsync(wanted);
    }

    private async ValueTask<ReadResult> ReadAheadAsync(int wanted)
    {
        try
        {
            return await _input.ReadAtLeastAsync(wanted).ConfigureAwait(false);
        }
        finally
        {
            _readingAhead = false;
        }
    }

    /// <summary>From the tick: a read waiting for more of a large frame returns what has arrived, so it is counted.</summary>
    private void CountReadAhead()
    {
        if (_readingAhead)
        {
            _input.CancelPendingRead();
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
            while (!_stopping)
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

    /// <summary>
    /// Stops reading while the output is over its limit (a client that sends calls but does not read
    /// the answers); the minimum send rate drops a client that never reads. Receive-rate checks pause meanwhile.
    /// </summary>
    private async Task WaitForOutputRoomAsync()
    {
        _frameInProgress = false;
        while (!_stopping)
        {
            await Writer.WaitForRoomAsync(CancellationToken.None).ConfigureAwait(false);
            lock (Writer.SyncRoot)
            {
                if (Writer.HasRoom || Writer.IsClosed)
                {
                    return;
                }
            }
        }
    }

    /// <summary>
    /// Hands the whole frames of <paramref name="buffer"/> to <see cref="OnFrame"/> as one write batch,
    /// stopping early when the output is over its limit or when a blocked handler lost this thread the loop.
    /// </summary>
    private BatchEnd ProcessBatch(ref ReadOnlySequence<byte> buffer, bool completed, int generation)
    {
        Writer.BeginBatch();
        try
        {
            while (true)
            {
                if (_stopping)
                {
                    // A frame of this batch (or a timer) ended the connection: the rest is not worth handling.
                    return BatchEnd.NeedMore;
                }
                if (Writer.BufferedLength > Writer.Limit)
                {
                    return BatchEnd.OutputFull;
                }
                var decoded = _decoder.TryDecode(ref buffer, out var header, out var payload);
                switch (decoded)
                {
                    case DecodeResult.NeedMore:
                        return BatchEnd.NeedMore;
                    case DecodeResult.Oversized:
                        OnOversized(header);
                        continue;
                    case DecodeResult.OverBudget:
                        OnOverBudget(header);
                        continue;
                }
                _pending = buffer;
                _pendingCompleted = completed;
                OnFrame(header, payload);
                if (Volatile.Read(ref _loopState) >> 2 != generation)
                {
                    return BatchEnd.HandedOver;
                }
                _decoder.FrameDone();
            }
        }
        finally
        {
            Writer.EndBatch();
        }
    }

    /// <summary>
    /// A handler of <paramref name="call"/> is about to run inline. The frame it came in is released
    /// first (its request is parsed), so a successor can take the decoder. Returns the token for <see cref="ExitHandler"/>.
    /// </summary>
    public int EnterHandler(ServerCall call)
    {
        // The handler's awaits carry the call with them, for the client calls it makes (deadline and cancellation propagation).
        Shoal.Context.ShoalCallContext.Enter(call);
        return EnterInline(call);
    }

    /// <summary>
    /// A request message for a handler waiting on its request stream (read loop): the handler's
    /// continuation runs now, inline and watched as a handler is. Its call holds its slot already, and
    /// its awaits restore their own context.
    /// </summary>
    public bool TryCompleteInline(IDeferredCompletion completion, object? state)
    {
        if ((Volatile.Read(ref _loopState) & 3) != Reading)
        {
            return false;
        }
        var token = EnterInline(call: null);
        try
        {
            completion.CompleteDeferred(state);
        }
        finally
        {
            ExitHandler(token);
        }
        return true;
    }

    private int EnterInline(ServerCall? call)
    {
        _decoder.FrameDone();
        _inlineCall = call;
        _handlerEpoch++;
        var state = (Volatile.Read(ref _loopState) & ~3) | InHandler;
        Volatile.Write(ref _loopState, state);
        return state;
    }

    /// <summary>The inline handler returned; if the loop was handed over meanwhile, this thread no longer owns it.</summary>
    public void ExitHandler(int token)
    {
        // Read loops never run inside a handler, so there is no outer call (or span, started with the call) to restore.
        Shoal.Context.ShoalCallContext.Exit(null);
        if (System.Diagnostics.Activity.Current is not null)
        {
            System.Diagnostics.Activity.Current = null;
        }
        if (Interlocked.CompareExchange(ref _loopState, token & ~3, token) == token)
        {
            _inlineCall = null;
        }
    }

    /// <inheritdoc/>
    public bool CheckInlineHandler()
    {
        var state = Volatile.Read(ref _loopState);
        var epoch = Volatile.Read(ref _handlerEpoch);
        if ((state & 3) != InHandler || state != _sampledState || epoch != _sampledEpoch)
        {
            _sampledState = state;
            _sampledEpoch = epoch;
            return (state & 3) == InHandler;
        }
        // The same handler has been inline for a whole period: give the loop to a new generation.
        var next = ((state >> 2) + 1) << 2;
        if (Interlocked.CompareExchange(ref _loopState, next, state) != state)
        {
            return false;
        }
        _inlineCall?.TakeSlot();
        _inlineCall = null;
        _sampledState = -1;
        ThreadPool.UnsafeQueueUserWorkItem(static s => _ = s.connection.RunReadLoopAsync(s.generation, resume: true), (connection: this, generation: next >> 2), preferLocal: false);
        return false;
    }
}

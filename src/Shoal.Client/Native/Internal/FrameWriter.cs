using System.Buffers;
using System.IO.Pipelines;
using Shoal.Client.Native.Protocol;

namespace Shoal.Client.Native.Internal;

/// <summary>
/// Coalesces the frames of many concurrent calls into few transport writes.
/// </summary>
/// <remarks>
/// Writers encode whole frames into <see cref="Buffer"/> under <see cref="SyncRoot"/> (a short lock,
/// never held across an await), then call <see cref="RequestFlush"/>. At most one flush loop runs at a
/// time: it swaps the filled buffer with an empty one under the lock and writes the filled one to the
/// transport outside it, so writers never wait for the socket and the transport (a
/// <see cref="PipeWriter"/> or a <see cref="Stream"/>) is only ever touched by one thread.
/// A read loop brackets each batch of parsed frames with <see cref="BeginBatch"/>/<see cref="EndBatch"/>:
/// frames written on that thread meanwhile are flushed once, at the end of the batch. Stream messages
/// written outside a batch ask for <see cref="RequestStreamFlush"/>, which runs the flush loop on the
/// thread pool so that the messages written before it starts share its write.
/// <para>
/// Backpressure: while more than the output limit is buffered (<see cref="HasRoom"/> is false), writers
/// of messages wait in <see cref="WaitForRoomAsync"/>, whatever flow-control window the peer granted;
/// they check and encode under the lock, so the buffer passes the limit by at most one message. The
/// flush loop hands the transport at most <see cref="MaxChunk"/> bytes per write, so how long each
/// write takes can be judged against a minimum data rate (<see cref="FlushSequence"/>).
/// </para>
/// </remarks>
internal sealed class FrameWriter
{
    [ThreadStatic]
    private static FrameWriter? t_batching;

    [ThreadStatic]
    private static int t_batchGeneration;

    /// <summary>The most bytes handed to the transport in one write.</summary>
    public const int MaxChunk = 64 * 1024;

    private readonly Lock _lock = new();
    private readonly PipeWriter? _pipe;
    private readonly Stream? _stream;
    private readonly Action<Exception> _onError;
    private readonly int _limit;
    private OutputBuffer _current = new();
    private OutputBuffer _spare = new();
    private bool _flushing;
    private volatile int _batchGeneration;
    private bool _closed;
    private TaskCompletionSource? _drainWaiter;
    private TaskCompletionSource? _roomWaiter;
    private long _flushSequence;
    private int _chunkInFlight;
    private TaskCompletionSource? _stopped;

    public FrameWriter(PipeWriter pipe, int limit, Action<Exception> onError)
    {
        _pipe = pipe;
        _limit = limit;
        _onError = onError;
    }

    public FrameWriter(Stream stream, int limit, Action<Exception> onError)
    {
        _stream = stream;
        _limit = limit;
        _onError = onError;
    }

    /// <summary>The output limit: past it, writers of messages wait.</summary>
    public int Limit => _limit;

    /// <summary>Whether a message may be encoded now; read under <see cref="SyncRoot"/>.</summary>
    public bool HasRoom => _current.Length <= _limit;

    /// <summary>Counts the writes handed to the transport; with <see cref="ChunkInFlight"/>, lets a timer tell how long the current one has taken.</summary>
    public long FlushSequence => Volatile.Read(ref _flushSequence);

    /// <summary>The size of the write the transport has not finished yet, or 0 when none is pending.</summary>
    public int ChunkInFlight => Volatile.Read(ref _chunkInFlight);

    /// <summary>The lock under which <see cref="Buffer"/> may be written.</summary>
    public Lock SyncRoot => _lock;

    /// <summary>The buffer frames are encoded into; only under <see cref="SyncRoot"/>.</summary>
    public OutputBuffer Buffer => _current;

    /// <summary>Serializer bound to this writer; only under <see cref="SyncRoot"/>.</summary>
    public NativeSerializationContext Serializer { get; } = new();

    /// <summary>Whether the transport is gone; frames written now are dropped. Read under <see cref="SyncRoot"/>.</summary>
    public bool IsClosed => _closed;

    public void BeginBatch()
    {
        t_batching = this;
        t_batchGeneration = _batchGeneration;
    }

    /// <summary>
    /// The thread in a batch is blocked (its read loop was handed over): what it writes from now on
    /// is flushed at once, and what it wrote so far is flushed now.
    /// </summary>
    public void AbandonBatches()
    {
        _batchGeneration++;
        StartFlush();
    }

    public void EndBatch()
    {
        t_batching = null;
        StartFlush();
    }

    /// <summary>Makes sure what was written reaches the transport soon; at most one flush runs at a time.</summary>
    public void RequestFlush()
    {
        if (t_batching == this && t_batchGeneration == _batchGeneration)
        {
            return;
        }
        StartFlush();
    }

    /// <summary>
    /// Like <see cref="RequestFlush"/>, for a stream message written outside a read batch (a handler
    /// looping over its writes): the first such write schedules a flush on the thread pool, and the
    /// writes that come before it runs only append to the buffer, so a burst of messages shares one
    /// transport write instead of paying one each. Costs one thread-pool hop when a message comes alone.
    /// </summary>
    public void RequestStreamFlush()
    {
        if (t_batching == this && t_batchGeneration == _batchGeneration)
        {
            return;
        }
        if (Volatile.Read(ref _flushing))
        {
            return;
        }
        lock (_lock)
        {
            if (_flushing || _closed || _current.Length == 0)
            {
                return;
            }
            // Set before the loop runs: other writers leave the frames they add to it, as to a running loop.
            _flushing = true;
        }
        ThreadPool.UnsafeQueueUserWorkItem(static writer => _ = writer.FlushLoopAsync(), this, preferLocal: false);
    }

    /// <summary>Writes a keepalive ping carrying <paramref name="payload"/> (the send time) and asks for a flush.</summary>
    public void WritePing(long payload)
    {
        lock (_lock)
        {
            if (!_closed)
            {
                var start = _current.BeginFrame(FrameType.Ping, FrameFlags.None, 0);
                _current.WriteUInt64((ulong)payload);
                _current.EndFrame(start);
            }
        }
        RequestFlush();
    }

    /// <summary>
    /// Completes when the buffer has room again or the writer is closed. Call it after seeing
    /// <see cref="HasRoom"/> false under the lock, then check again under the lock.
    /// </summary>
    public Task WaitForRoomAsync(CancellationToken cancellationToken)
    {
        Task wait;
        lock (_lock)
        {
            if (_closed || _current.Length <= _limit)
            {
                return Task.CompletedTask;
            }
            _roomWaiter ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            wait = _roomWaiter.Task;
        }
        // The output is over the limit, so a flush is due; a batching read loop may not have started it yet.
        StartFlush();
        return wait.WaitAsync(cancellationToken);
    }

    /// <summary>Wakes whoever waits for room, to look at why they wait again (the connection is stopping).</summary>
    public void WakeRoomWaiters()
    {
        TaskCompletionSource? room;
        lock (_lock)
        {
            room = _roomWaiter;
            _roomWaiter = null;
        }
        room?.TrySetResult();
    }

    /// <summary>Drops further frames; the transport is gone or closing.</summary>
    public void Close()
    {
        TaskCompletionSource? room;
        lock (_lock)
        {
            _closed = true;
            room = _roomWaiter;
            _roomWaiter = null;
        }
        room?.TrySetResult();
    }

    /// <summary>Writes out everything buffered so far (used before a graceful close).</summary>
    public async Task DrainAsync()
    {
        for (var i = 0; i < 1000; i++)
        {
            StartFlush();
            Task wait;
            lock (_lock)
            {
                if (!_flushing)
                {
                    if (_current.Length == 0 || _closed)
                    {
                        return;
                    }
                    continue;
                }
                _drainWaiter ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                wait = _drainWaiter.Task;
            }
            await wait.ConfigureAwait(false);
        }
    }

    private void StartFlush()
    {
        if (Volatile.Read(ref _flushing))
        {
            // The running loop stops only under the lock with nothing buffered, so it sends what the
            // caller wrote (under the lock, before this read): no lock per message while it runs.
            return;
        }
        lock (_lock)
        {
            if (_flushing || _closed || _current.Length == 0)
            {
                return;
            }
            _flushing = true;
        }
        // Runs synchronously up to its first incomplete write, outside the lock; a second caller sees
        // _flushing and leaves the work to this loop, which keeps going while writers add frames.
        _ = FlushLoopAsync();
    }

    private async Task FlushLoopAsync()
    {
        try
        {
            while (true)
            {
                OutputBuffer sending;
                TaskCompletionSource? room;
                lock (_lock)
                {
                    if (_current.Length == 0 || _closed)
                    {
                        _flushing = false;
                        _drainWaiter?.TrySetResult();
                        _drainWaiter = null;
                        ReleaseIfStopped();
                        return;
                    }
                    sending = _current;
                    _current = _spare;
                    _spare = sending;
                    room = _roomWaiter;
                    _roomWaiter = null;
                }
                room?.TrySetResult();
                if (_pipe is not null)
                {
                    var rest = sending.WrittenMemory;
                    while (!rest.IsEmpty)
                    {
                        var chunk = rest[..Math.Min(MaxChunk, rest.Length)];
                        _pipe.Write(chunk.Span);
                        Volatile.Write(ref _chunkInFlight, chunk.Length);
                        Interlocked.Increment(ref _flushSequence);
                        var result = await _pipe.FlushAsync().ConfigureAwait(false);
                        Volatile.Write(ref _chunkInFlight, 0);
                        if (result.IsCompleted || result.IsCanceled)
                        {
                            throw new IOException("The transport's output closed.");
                        }
                        rest = rest[chunk.Length..];
                    }
                }
                else
                {
                    await _stream!.WriteAsync(sending.WrittenMemory).ConfigureAwait(false);
                }
                sending.Reset();
            }
        }
        catch (Exception e)
        {
            TaskCompletionSource? room;
            lock (_lock)
            {
                _closed = true;
                _flushing = false;
                _drainWaiter?.TrySetResult();
                _drainWaiter = null;
                ReleaseIfStopped();
                room = _roomWaiter;
                _roomWaiter = null;
            }
            room?.TrySetResult();
            _onError(e);
        }
    }

    /// <summary>Bytes encoded and not yet handed to the transport (a racy read, for backpressure decisions).</summary>
    public int BufferedLength => Volatile.Read(ref _current).Length;

    /// <summary>
    /// Closes the writer for good and gives its buffers back once no flush uses the transport: a
    /// flush in flight (a peer that does not read) is cancelled and awaited, so that the caller may
    /// complete the transport's <see cref="PipeWriter"/> (not thread-safe) when this completes.
    /// </summary>
    public Task ReleaseAsync()
    {
        Close();
        TaskCompletionSource stopped;
        lock (_lock)
        {
            if (!_flushing)
            {
                _current.Release();
                _spare.Release();
                return Task.CompletedTask;
            }
            stopped = _stopped ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }
        // A flush waiting for a peer that does not read would otherwise hold the close.
        _pipe?.CancelPendingFlush();
        return stopped.Task;
    }

    /// <summary>The flush loop ends after <see cref="ReleaseAsync"/> was asked for: the buffers go back now. Under the lock.</summary>
    private void ReleaseIfStopped()
    {
        if (_stopped is { } stopped)
        {
            _current.Release();
            _spare.Release();
            stopped.TrySetResult();
        }
    }
}

using System.Buffers;
using System.IO.Pipelines;
using Shoal.Transport.Native.Protocol;

namespace Shoal.Transport.Native.Internal;

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
/// frames written on that thread meanwhile are flushed once, at the end of the batch.
/// </remarks>
internal sealed class FrameWriter
{
    [ThreadStatic]
    private static FrameWriter? t_batching;

    private readonly Lock _lock = new();
    private readonly PipeWriter? _pipe;
    private readonly Stream? _stream;
    private readonly Action<Exception> _onError;
    private readonly long _maxBuffered;
    private OutputBuffer _current = new();
    private OutputBuffer _spare = new();
    private bool _flushing;
    private bool _closed;
    private TaskCompletionSource? _drainWaiter;
    private TaskCompletionSource? _stopped;

    public FrameWriter(PipeWriter pipe, long maxBuffered, Action<Exception> onError)
    {
        _pipe = pipe;
        _maxBuffered = maxBuffered;
        _onError = onError;
    }

    public FrameWriter(Stream stream, long maxBuffered, Action<Exception> onError)
    {
        _stream = stream;
        _maxBuffered = maxBuffered;
        _onError = onError;
    }

    /// <summary>The lock under which <see cref="Buffer"/> may be written.</summary>
    public Lock SyncRoot => _lock;

    /// <summary>The buffer frames are encoded into; only under <see cref="SyncRoot"/>.</summary>
    public OutputBuffer Buffer => _current;

    /// <summary>Serializer bound to this writer; only under <see cref="SyncRoot"/>.</summary>
    public NativeSerializationContext Serializer { get; } = new();

    /// <summary>Whether the transport is gone; frames written now are dropped. Read under <see cref="SyncRoot"/>.</summary>
    public bool IsClosed => _closed;

    public void BeginBatch() => t_batching = this;

    public void EndBatch()
    {
        t_batching = null;
        StartFlush();
    }

    /// <summary>Makes sure what was written reaches the transport soon; at most one flush runs at a time.</summary>
    public void RequestFlush()
    {
        if (t_batching == this)
        {
            return;
        }
        StartFlush();
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

    /// <summary>Drops further frames; the transport is gone or closing.</summary>
    public void Close()
    {
        lock (_lock)
        {
            _closed = true;
        }
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
                }
                if (_pipe is not null)
                {
                    _pipe.Write(sending.WrittenMemory.Span);
                    var result = await _pipe.FlushAsync().ConfigureAwait(false);
                    if (result.IsCompleted || result.IsCanceled)
                    {
                        throw new IOException("The transport's output closed.");
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
            lock (_lock)
            {
                _closed = true;
                _flushing = false;
                _drainWaiter?.TrySetResult();
                _drainWaiter = null;
                ReleaseIfStopped();
            }
            _onError(e);
        }
    }

    /// <summary>Bytes encoded and not yet handed to the transport (a racy read, for backpressure decisions).</summary>
    public int BufferedLength => Volatile.Read(ref _current).Length;

    /// <summary>Whether output piles up because the peer does not read; checked by writers under the lock.</summary>
    public bool IsOverloaded => _current.Length > _maxBuffered;

    /// <summary>
    /// Closes the writer for good and gives its buffers back once no flush uses the transport: a
    /// flush in flight is cancelled and awaited, so that the caller may complete the transport's
    /// <see cref="PipeWriter"/> (not thread-safe) when this completes.
    /// </summary>
    public Task ReleaseAsync()
    {
        TaskCompletionSource stopped;
        lock (_lock)
        {
            _closed = true;
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

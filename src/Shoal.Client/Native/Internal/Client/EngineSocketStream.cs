using System.Net.Sockets;
using System.Threading.Tasks.Sources;

namespace Shoal.Client.Native.Internal.Client;

/// <summary>
/// The socket stream of a connection on the engine receive path (Linux; under TLS the <c>SslStream</c> reads from it): a read takes
/// what the socket holds at once; when it holds nothing, the read loop's zero-byte read polls briefly while the connection
/// expects replies (<see cref="ReceivePoll"/>), then a read arms the socket in its <see cref="ReceiveEngine"/>
/// and completes on the engine's thread when bytes come, running its continuation there. Writes send
/// what fits without blocking and hand the rest to a blocking send on the thread pool. No asynchronous
/// socket call is made, so the socket never joins the runtime's socket engine (which would wake a
/// thread of its own for every reply).
/// </summary>
internal sealed class EngineSocketStream : SocketCallStream, IValueTaskSource<int>, IEngineWaiter
{
    private const int Idle = 0;
    private const int Pending = 1;
    private const int Receiving = 2;
    private const int FailRequested = 3;
    private readonly ReceiveEngine _engine;
    private readonly long _id;
    private readonly long _pollTicks;
    private readonly ReceivePoll _budget;
    private ManualResetValueTaskSourceCore<int> _read;
    private Memory<byte> _buffer;
    private CancellationTokenRegistration _cancellation;
    private int _state;
    private Exception? _failure;
    private bool _armed;
    private int _disposed;

    public EngineSocketStream(Socket socket, ReceiveEngine engine, TimeSpan pollTime, ReceivePoll budget)
        : base(socket)
    {
        _engine = engine;
        _pollTicks = ReceivePoll.TicksOf(pollTime);
        _budget = budget;
        _read.RunContinuationsAsynchronously = false;
        _id = engine.Add(this);
    }

    /// <summary>Whether the connection expects bytes now (calls wait for replies); set by the transport once it exists.</summary>
    public Func<bool>? ExpectsBytes { get; set; }

    public override int Read(byte[] buffer, int offset, int count) => ReadAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    /// <summary>
    /// Reads what is there; a zero-byte read completes once bytes (or the end) are there without taking
    /// any. One read at a time, as on any stream.
    /// </summary>
    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (cancellationToken.IsCancellationRequested)
        {
            return ValueTask.FromCanceled<int>(cancellationToken);
        }
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        var n = SocketCalls.ReceiveNow(Socket, buffer.Span);
        if (n >= 0)
        {
            return new ValueTask<int>(n);
        }
        // Only the read loop's wait for the next bytes polls (a zero-byte read), as on the asynchronous path: a read
        // into a large frame that finds the socket drained would spin while the peer, which may share the cores, writes the rest.
        // Nor does a read on a busy engine: its thread has other connections' replies to read.
        if (buffer.IsEmpty && _pollTicks > 0 && _engine.IsQuiet && ExpectsBytes is { } expects && expects() && _budget.WaitBriefly(Socket, _pollTicks))
        {
            n = SocketCalls.ReceiveNow(Socket, buffer.Span);
            if (n >= 0)
            {
                return new ValueTask<int>(n);
            }
        }
        _read.Reset();
        _buffer = buffer;
        _failure = null;
        Volatile.Write(ref _state, Pending);
        if (cancellationToken.CanBeCanceled)
        {
            _cancellation = cancellationToken.UnsafeRegister(static (s, token) => ((EngineSocketStream)s!).Cancel(token), this);
        }
        try
        {
            _engine.Arm(Socket.SafeHandle, _id, ref _armed);
        }
        catch (Exception e)
        {
            Fail(e);
        }
        if (Volatile.Read(ref _disposed) != 0)
        {
            // Disposed while arming: its registration may be gone, so nothing else would end the read.
            Fail(new ObjectDisposedException(nameof(EngineSocketStream)));
        }
        return new ValueTask<int>(this, _read.Version);
    }

    /// <summary>On the engine's thread: the socket is readable (or at its end, or failed).</summary>
    public void OnReady()
    {
        if (Interlocked.CompareExchange(ref _state, Receiving, Pending) != Pending)
        {
            return;
        }
        int n;
        try
        {
            n = SocketCalls.ReceiveNow(Socket, _buffer.Span);
        }
        catch (Exception e)
        {
            Complete(-1, e);
            return;
        }
        if (n >= 0)
        {
            // Bytes taken are delivered even when a cancellation came meanwhile.
            Complete(n, null);
            return;
        }
        // Woken for nothing: wait again, unless the read was cancelled or the stream disposed meanwhile.
        if (Interlocked.CompareExchange(ref _state, Pending, Receiving) != Receiving)
        {
            Complete(-1, _failure);
            return;
        }
        try
        {
            _engine.Arm(Socket.SafeHandle, _id, ref _armed);
        }
        catch (Exception e)
        {
            Fail(e);
        }
    }

    private void Cancel(CancellationToken token) => Fail(new OperationCanceledException(token));

    /// <summary>Ends the pending read with <paramref name="e"/>; a read the engine is receiving for ends when the receive does.</summary>
    private void Fail(Exception e)
    {
        while (true)
        {
            var state = Volatile.Read(ref _state);
            if (state == Pending)
            {
                if (Interlocked.CompareExchange(ref _state, Idle, Pending) == Pending)
                {
                    Finish(-1, e);
                    return;
                }
            }
            else if (state == Receiving)
            {
                _failure = e;
                if (Interlocked.CompareExchange(ref _state, FailRequested, Receiving) == Receiving)
                {
                    return;
                }
            }
            else
            {
                return;
            }
        }
    }

    private void Complete(int n, Exception? e)
    {
        Volatile.Write(ref _state, Idle);
        Finish(n, e);
    }

    private void Finish(int n, Exception? e)
    {
        _buffer = default;
        _cancellation.Dispose();
        if (e is null)
        {
            _read.SetResult(n);
        }
        else
        {
            _read.SetException(e);
        }
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing && Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            _engine.Remove(Socket.SafeHandle, _id, _armed);
            Fail(new ObjectDisposedException(nameof(EngineSocketStream)));
            Socket.Dispose();
        }
        base.Dispose(disposing);
    }

    int IValueTaskSource<int>.GetResult(short token) => _read.GetResult(token);

    ValueTaskSourceStatus IValueTaskSource<int>.GetStatus(short token) => _read.GetStatus(token);

    void IValueTaskSource<int>.OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags) =>
        _read.OnCompleted(continuation, state, token, flags);
}

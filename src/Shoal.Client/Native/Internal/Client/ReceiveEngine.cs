using System.Collections.Concurrent;
using System.Runtime.InteropServices;

namespace Shoal.Client.Native.Internal.Client;

/// <summary>
/// The client's own readiness engine for its native connections (Linux): an epoll instance and a
/// thread that waits on it and completes a connection's pending read <em>on that thread</em>, so the
/// read loop, and the callers' continuations it runs inline, follow the reply without a hand-off to
/// the thread pool. The runtime's socket engine, by contrast, wakes its own thread for each reply and
/// queues a work item that a thread-pool worker then runs; a socket read here is never registered with
/// it (the streams make only synchronous, non-blocking system calls).
/// </summary>
/// <remarks>
/// <para>
/// Registrations are one-shot: a read that finds nothing arms its socket, one readiness event
/// completes it, the next read arms again. So one socket's event is handled by one thread at a time.
/// </para>
/// <para>
/// A continuation that blocks would hold the engine's thread and with it every connection on the
/// engine. The engine is watched like a read loop (<see cref="InlineHandlerWatchdog"/>): when the same
/// dispatch is seen on two checks, a new thread takes over the engine, including the events the blocked
/// thread had not handled yet, and the blocked thread ends once its dispatch returns. A stall lasts at
/// most about one watchdog period.
/// </para>
/// <para>
/// Memory: one event buffer of <see cref="MaxEvents"/> entries per thread and one dictionary entry per
/// connection; one thread per engine (<see cref="Next"/> spreads connections over as many engines as the process has cores), waiting in
/// the kernel while there is nothing to read.
/// </para>
/// </remarks>
internal sealed partial class ReceiveEngine : IInlineHandlerHost
{
    private const uint EventIn = 0x001;
    private const uint EventOut = 0x004;
    private const uint EventReadHangUp = 0x2000;
    private const uint EventOneShot = 1u << 30;
    private const int ControlAdd = 1;
    private const int ControlDelete = 2;
    private const int ControlModify = 3;
    private const int ErrorInterrupted = 4;
    private const int ErrorExists = 17;
    private const int ErrorNotFound = 2;

    /// <summary>The longest wait in the kernel: a stopped engine's thread ends within it.</summary>
    private const int WaitMilliseconds = 1000;

    /// <summary>Events one <c>epoll_wait</c> returns at most.</summary>
    public const int MaxEvents = 64;

    // struct epoll_event is packed on x64 (12 bytes), naturally aligned elsewhere (16).
    private static readonly int EventSize = RuntimeInformation.ProcessArchitecture == Architecture.X64 ? 12 : 16;
    private static readonly int DataOffset = RuntimeInformation.ProcessArchitecture == Architecture.X64 ? 4 : 8;

    private static readonly Lazy<ReceiveEngine[]?> Engines = new(CreateShared);
    private static int _nextEngine;

    private readonly int _epoll;
    private readonly ConcurrentDictionary<long, IEngineWaiter> _waiters = new();
    private readonly Lock _registrationLock = new();
    private volatile bool _stopped;
    private volatile int _lastWait;
    private long _nextId;
    private Dispatcher? _active;
    private long _sampledDispatch = -1;
    private Dispatcher? _sampledDispatcher;
    private int _takeOvers;

    private ReceiveEngine(int epoll, int index)
    {
        _epoll = epoll;
        Index = index;
    }

    /// <summary>Whether this platform has the engine (Linux on x64 or Arm64, whose errno values and flags are used here).</summary>
    public static bool IsSupported => SocketCalls.IsSupported;

    /// <summary>The engine for a new connection, round robin over the process's engines; null where there is none.</summary>
    public static ReceiveEngine? Next()
    {
        var engines = Engines.Value;
        if (engines is null)
        {
            return null;
        }
        var i = (uint)Interlocked.Increment(ref _nextEngine) % (uint)engines.Length;
        return engines[i];
    }

    /// <summary>Which engine of the process this is.</summary>
    public int Index { get; }

    /// <summary>
    /// Whether the engine's last wait returned at most one event: a connection's read may then poll before it
    /// waits (<see cref="ReceivePoll"/>). An engine serving many busy connections has others' replies to read
    /// instead, and a poll on its thread would hold them up.
    /// </summary>
    public bool IsQuiet => _lastWait <= 1;

    /// <summary>Connections registered now.</summary>
    public int Connections => _waiters.Count;

    /// <summary>Times a new thread took the engine over from a blocked one.</summary>
    public int TakeOvers => Volatile.Read(ref _takeOvers);

    /// <summary>Creates an engine of its own with its thread (tests); null where the platform has none.</summary>
    internal static ReceiveEngine? CreateForTests() => IsSupported ? Create(0) : null;

    private static ReceiveEngine[]? CreateShared()
    {
        if (!IsSupported)
        {
            return null;
        }
        var count = Environment.ProcessorCount;
        var engines = new ReceiveEngine[count];
        for (var i = 0; i < count; i++)
        {
            var engine = Create(i);
            if (engine is null)
            {
                return null;
            }
            engines[i] = engine;
        }
        return engines;
    }

    private static ReceiveEngine? Create(int index)
    {
        var epoll = EpollCreate(0x80000); // EPOLL_CLOEXEC
        if (epoll < 0)
        {
            return null;
        }
        var engine = new ReceiveEngine(epoll, index);
        engine.StartDispatcher(inherited: null);
        return engine;
    }

    /// <summary>Stops an engine made for a test (within a second, its thread's longest wait). The process's engines live as long as it.</summary>
    internal void Dispose()
    {
        _stopped = true;
        InlineHandlerWatchdog.Shared.Remove(this);
    }

    /// <summary>Adds <paramref name="waiter"/> (a connection's reads, or a connect in progress; not yet armed); returns its key for <see cref="Arm"/>, <see cref="ArmWritable"/> and <see cref="Remove"/>.</summary>
    public long Add(IEngineWaiter waiter)
    {
        var id = Interlocked.Increment(ref _nextId);
        lock (_registrationLock)
        {
            _waiters[id] = waiter;
            if (_waiters.Count == 1)
            {
                // Watched only while it has connections, so an idle process's watchdog can park.
                InlineHandlerWatchdog.Shared.Add(this);
            }
        }
        return id;
    }

    /// <summary>
    /// Arms the socket for one readiness event (bytes, the peer's end, an error): the engine then calls
    /// <see cref="IEngineWaiter.OnReady"/> once on its thread. Data already there raises the event at once.
    /// </summary>
    public void Arm(SafeHandle socket, long id, ref bool added) => ArmFor(socket, id, ref added, EventIn | EventReadHangUp | EventOneShot);

    /// <summary>
    /// Arms the socket for one writability event (a connect in progress ended, connected or failed): the engine then calls
    /// <see cref="IEngineWaiter.OnReady"/> once on its thread.
    /// </summary>
    public void ArmWritable(SafeHandle socket, long id, ref bool added) => ArmFor(socket, id, ref added, EventOut | EventOneShot);

    private unsafe void ArmFor(SafeHandle socket, long id, ref bool added, uint events)
    {
        var ev = stackalloc byte[16];
        *(uint*)ev = events;
        *(long*)(ev + DataOffset) = id;
        var addedRef = false;
        socket.DangerousAddRef(ref addedRef);
        try
        {
            var fd = (int)socket.DangerousGetHandle();
            var result = EpollControl(_epoll, added ? ControlModify : ControlAdd, fd, ev);
            if (result < 0)
            {
                var error = Marshal.GetLastPInvokeError();
                // A registration the other way round than expected (cannot happen in order, but costs nothing to mend).
                result = error switch
                {
                    ErrorExists => EpollControl(_epoll, ControlModify, fd, ev),
                    ErrorNotFound => EpollControl(_epoll, ControlAdd, fd, ev),
                    _ => result,
                };
                if (result < 0)
                {
                    throw new IOException($"Waiting for the socket failed (epoll_ctl errno {Marshal.GetLastPInvokeError()}).");
                }
            }
            added = true;
        }
        finally
        {
            if (addedRef)
            {
                socket.DangerousRelease();
            }
        }
    }

    /// <summary>Takes the socket out of the engine (before it is closed); no event for <paramref name="id"/> is delivered after it.</summary>
    public unsafe void Remove(SafeHandle socket, long id, bool added)
    {
        lock (_registrationLock)
        {
            if (_waiters.TryRemove(id, out _) && _waiters.IsEmpty)
            {
                InlineHandlerWatchdog.Shared.Remove(this);
            }
        }
        if (!added)
        {
            return;
        }
        var addedRef = false;
        try
        {
            socket.DangerousAddRef(ref addedRef);
            var ev = stackalloc byte[16];
            _ = EpollControl(_epoll, ControlDelete, (int)socket.DangerousGetHandle(), ev);
        }
        catch (ObjectDisposedException)
        {
            // Closed already: the kernel dropped the registration with it.
        }
        finally
        {
            if (addedRef)
            {
                socket.DangerousRelease();
            }
        }
    }

    /// <inheritdoc/>
    public bool CheckInlineHandler()
    {
        // Only the watchdog's one thread calls this (and the engine is watched only after its first dispatcher started), so the sampling needs no lock.
        var active = _active;
        if (active is null)
        {
            return false;
        }
        var dispatch = Volatile.Read(ref active.Dispatching);
        if (dispatch < 0)
        {
            _sampledDispatcher = null;
            return false;
        }
        if (active != _sampledDispatcher || dispatch != _sampledDispatch)
        {
            _sampledDispatcher = active;
            _sampledDispatch = dispatch;
            return true;
        }
        // The same dispatch since the last check: a continuation blocks this thread. A new one takes over.
        active.Retired = true;
        _sampledDispatcher = null;
        Interlocked.Increment(ref _takeOvers);
        StartDispatcher(active.Current);
        return true;
    }

    /// <inheritdoc/>
    public bool TryCompleteInline(IDeferredCompletion completion, object? state) => false;

    private void StartDispatcher(Batch? inherited)
    {
        var dispatcher = new Dispatcher(this, inherited);
        _active = dispatcher;
        var thread = new Thread(static s => ((Dispatcher)s!).Run())
        {
            IsBackground = true,
            Name = "shoal-native-engine",
        };
        thread.UnsafeStart(dispatcher);
    }

    private void Dispatch(long id)
    {
        if (_waiters.TryGetValue(id, out var waiter))
        {
            waiter.OnReady();
        }
    }

    /// <summary>A batch of events one wait returned; whoever runs the engine claims them one at a time.</summary>
    private sealed class Batch
    {
        public readonly byte[] Events = GC.AllocateArray<byte>(MaxEvents * 16, pinned: true);
        public int Count;
        public int Next;

        public bool TryClaim(out int index)
        {
            index = Interlocked.Increment(ref Next) - 1;
            return index < Volatile.Read(ref Count);
        }
    }

    /// <summary>One thread running the engine; retired when a continuation blocked it and another took over.</summary>
    private sealed class Dispatcher(ReceiveEngine engine, Batch? inherited)
    {
        public readonly Batch Batch = new();
        public long Dispatching = -1;

        /// <summary>The batch being run (its own, or one inherited from a blocked predecessor): a successor takes over its rest.</summary>
        public volatile Batch? Current;
        public volatile bool Retired;
        private long _dispatches;

        public unsafe void Run()
        {
            if (inherited is not null)
            {
                RunBatch(inherited);
            }
            fixed (byte* events = Batch.Events)
            {
                while (!Retired && !engine._stopped)
                {
                    // Claims past the count fail until the next batch is published.
                    Volatile.Write(ref Batch.Count, 0);
                    Volatile.Write(ref Batch.Next, 0);
                    var n = EpollWait(engine._epoll, events, MaxEvents, WaitMilliseconds);
                    if (n < 0)
                    {
                        if (Marshal.GetLastPInvokeError() == ErrorInterrupted)
                        {
                            continue;
                        }
                        return;
                    }
                    engine._lastWait = n;
                    Volatile.Write(ref Batch.Count, n);
                    RunBatch(Batch);
                }
            }
            if (engine._stopped && !Retired)
            {
                _ = CloseDescriptor(engine._epoll);
            }
        }

        private unsafe void RunBatch(Batch batch)
        {
            Current = batch;
            while (!Retired && batch.TryClaim(out var i))
            {
                long id;
                fixed (byte* events = batch.Events)
                {
                    // What the event says (bytes, end, error, a connect ended) the waiter finds out itself.
                    id = *(long*)(events + (i * EventSize) + DataOffset);
                }
                Volatile.Write(ref Dispatching, ++_dispatches);
                try
                {
                    engine.Dispatch(id);
                }
                catch
                {
                    // A waiter's completion does not throw; the engine must outlive any that would.
                }
                finally
                {
                    Volatile.Write(ref Dispatching, -1);
                }
            }
        }
    }

    [LibraryImport("libc", EntryPoint = "close", SetLastError = true)]
    private static partial int CloseDescriptor(int fd);

    [LibraryImport("libc", EntryPoint = "epoll_create1", SetLastError = true)]
    private static partial int EpollCreate(int flags);

    [LibraryImport("libc", EntryPoint = "epoll_ctl", SetLastError = true)]
    private static unsafe partial int EpollControl(int epoll, int operation, int fd, byte* ev);

    [LibraryImport("libc", EntryPoint = "epoll_wait", SetLastError = true)]
    private static unsafe partial int EpollWait(int epoll, byte* events, int maxEvents, int timeout);
}

using System.Collections.Concurrent;

namespace Shoal.Client.Native.Internal.Client;

/// <summary>
/// The calls in flight on one client transport, keyed by call id. The read loop looks a call up for
/// every frame it receives without taking a lock (<see cref="ConcurrentDictionary{TKey, TValue}"/>
/// reads are lock-free); callers starting calls and the frames or cancellations ending them add and
/// remove under its own striped locks. Holds the server's concurrent-call limit (its setting 2): a
/// call that finds the table full waits in <see cref="WaitForSlotAsync"/> for one to end, as an HTTP/2
/// client waits for a stream.
/// </summary>
internal sealed class CallTable
{
    private readonly ConcurrentDictionary<uint, IClientCall> _calls = new();
    private readonly Lock _slotLock = new();
    private int _count;
    private int _limit = int.MaxValue;
    private TaskCompletionSource? _slotWaiter;

    public int Count => Volatile.Read(ref _count);

    /// <summary>The most calls the server accepts at once on this connection (unlimited until it says); a raised limit wakes the starters that wait.</summary>
    public int Limit
    {
        get => Volatile.Read(ref _limit);
        set
        {
            Interlocked.Exchange(ref _limit, Math.Max(1, value));
            WakeSlotWaiters();
        }
    }

    /// <summary>Whether a new call must wait for one to end; checked by starters under the writer's lock, where calls are added.</summary>
    public bool IsFull => Count >= Limit;

    /// <summary>Completes when a call ends and the table may have room (the starter checks again; others may have taken it).</summary>
    public Task WaitForSlotAsync(CancellationToken cancellationToken)
    {
        Task wait;
        lock (_slotLock)
        {
            // Published before the check, so a call that ends after the check finds the waiter. The
            // barrier keeps the check from being read before the waiter is visible (a store may pass a
            // later load otherwise): the remover decrements (a full fence) and then looks for a waiter.
            _slotWaiter ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var waiter = _slotWaiter;
            Interlocked.MemoryBarrier();
            if (!IsFull)
            {
                // There is room, and the call that made it may have looked for a waiter before this one
                // was published: whoever else waits on it looks again too, or nobody would wake them.
                _slotWaiter = null;
                waiter.TrySetResult();
                return Task.CompletedTask;
            }
            wait = waiter.Task;
        }
        return wait.WaitAsync(cancellationToken);
    }

    public void Add(uint id, IClientCall call)
    {
        if (!_calls.TryAdd(id, call))
        {
            throw new InvalidOperationException($"Call {id} is already in the table.");
        }
        Interlocked.Increment(ref _count);
    }

    public IClientCall? Find(uint id) => _calls.GetValueOrDefault(id);

    public IClientCall? Remove(uint id)
    {
        if (!_calls.TryRemove(id, out var call))
        {
            return null;
        }
        Interlocked.Decrement(ref _count);
        WakeSlotWaiters();
        return call;
    }

    /// <summary>Removes and returns every call whose id passes <paramref name="filter"/>.</summary>
    public List<IClientCall> RemoveWhere(Func<uint, bool> filter)
    {
        var removed = new List<IClientCall>();
        foreach (var (id, _) in _calls)
        {
            // Another thread may have removed it since the enumeration saw it: only what this one takes counts.
            if (filter(id) && _calls.TryRemove(id, out var call))
            {
                removed.Add(call);
                Interlocked.Decrement(ref _count);
            }
        }
        if (removed.Count > 0)
        {
            WakeSlotWaiters();
        }
        return removed;
    }

    private void WakeSlotWaiters()
    {
        if (Volatile.Read(ref _slotWaiter) is null)
        {
            return;
        }
        TaskCompletionSource? waiter;
        lock (_slotLock)
        {
            waiter = _slotWaiter;
            _slotWaiter = null;
        }
        waiter?.TrySetResult();
    }
}

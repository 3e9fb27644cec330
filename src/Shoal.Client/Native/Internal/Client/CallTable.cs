namespace Shoal.Client.Native.Internal.Client;

/// <summary>
/// The calls in flight on one client transport, keyed by call id. Striped by the id's low bits so
/// callers starting calls and the read loop completing them rarely touch the same lock. Holds the
/// server's concurrent-call limit (its setting 2): a call that finds the table full waits in
/// <see cref="WaitForSlotAsync"/> for one to end, as an HTTP/2 client waits for a stream.
/// </summary>
/// <remarks>
/// The call <see cref="Find"/> found last is kept, until it leaves the table, and found again without a
/// lock: a stream's messages come one after another for the same call, and the lock and the lookup were
/// a tenth of the client's work per message of a server stream. It is set and cleared under its
/// stripe's lock, so a call that has left the table is never set again; a lookup that read it just
/// before its removal returns it, as a locked lookup just before the removal would have.
/// </remarks>
internal sealed class CallTable
{
    private const int StripeCount = 16;
    private readonly Stripe[] _stripes;
    private readonly Lock _slotLock = new();
    private int _count;
    private int _limit = int.MaxValue;
    private TaskCompletionSource? _slotWaiter;
    private IClientCall? _recent;

    public CallTable()
    {
        _stripes = new Stripe[StripeCount];
        for (var i = 0; i < StripeCount; i++)
        {
            _stripes[i] = new Stripe();
        }
    }

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
        var stripe = _stripes[id & (StripeCount - 1)];
        lock (stripe.Lock)
        {
            stripe.Calls.Add(id, call);
        }
        Interlocked.Increment(ref _count);
    }

    public IClientCall? Find(uint id)
    {
        if (Volatile.Read(ref _recent) is { } recent && recent.Id == id)
        {
            return recent;
        }
        var stripe = _stripes[id & (StripeCount - 1)];
        lock (stripe.Lock)
        {
            if (stripe.Calls.TryGetValue(id, out var call))
            {
                Volatile.Write(ref _recent, call);
            }
            return call;
        }
    }

    public IClientCall? Remove(uint id)
    {
        var stripe = _stripes[id & (StripeCount - 1)];
        IClientCall? call;
        lock (stripe.Lock)
        {
            if (!stripe.Calls.Remove(id, out call))
            {
                return null;
            }
            Forget(call);
        }
        Interlocked.Decrement(ref _count);
        WakeSlotWaiters();
        return call;
    }

    /// <summary>Removes and returns every call whose id passes <paramref name="filter"/>.</summary>
    public List<IClientCall> RemoveWhere(Func<uint, bool> filter)
    {
        var removed = new List<IClientCall>();
        foreach (var stripe in _stripes)
        {
            lock (stripe.Lock)
            {
                foreach (var (id, call) in stripe.Calls)
                {
                    if (filter(id))
                    {
                        removed.Add(call);
                        stripe.Calls.Remove(id);
                        Forget(call);
                        Interlocked.Decrement(ref _count);
                    }
                }
            }
        }
        if (removed.Count > 0)
        {
            WakeSlotWaiters();
        }
        return removed;
    }

    /// <summary>
    /// Under the stripe's lock: a call leaving the table is no longer the one found last. Another stripe's
    /// lookup may set another call between the read and the write; that one is then forgotten, which costs
    /// its next lookup the lock and no more.
    /// </summary>
    private void Forget(IClientCall call)
    {
        if (ReferenceEquals(Volatile.Read(ref _recent), call))
        {
            Volatile.Write(ref _recent, null);
        }
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

    private sealed class Stripe
    {
        public Lock Lock { get; } = new();

        public Dictionary<uint, IClientCall> Calls { get; } = [];
    }
}

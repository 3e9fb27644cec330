namespace Shoal.Transport.Native.Internal.Client;

/// <summary>
/// The calls in flight on one client transport, keyed by call id. Striped by the id's low bits so
/// callers starting calls and the read loop completing them rarely touch the same lock.
/// </summary>
internal sealed class CallTable
{
    private const int StripeCount = 16;
    private readonly Stripe[] _stripes;
    private int _count;

    public CallTable()
    {
        _stripes = new Stripe[StripeCount];
        for (var i = 0; i < StripeCount; i++)
        {
            _stripes[i] = new Stripe();
        }
    }

    public int Count => Volatile.Read(ref _count);

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
        var stripe = _stripes[id & (StripeCount - 1)];
        lock (stripe.Lock)
        {
            return stripe.Calls.GetValueOrDefault(id);
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
        }
        Interlocked.Decrement(ref _count);
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
                        Interlocked.Decrement(ref _count);
                    }
                }
            }
        }
        return removed;
    }

    private sealed class Stripe
    {
        public Lock Lock { get; } = new();

        public Dictionary<uint, IClientCall> Calls { get; } = [];
    }
}

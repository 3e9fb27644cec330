using Shoal.Client.Discovery.InMemory;
using Shoal.Discovery;
using Shoal.Instances;

namespace Shoal.Client.Discovery.Internal;

/// <summary>A lease in a <see cref="RegistryStore"/>, renewed by a timer every third of its TTL.</summary>
internal sealed class InMemoryRegistration : IRegistration
{
    private readonly RegistryStore _store;
    private readonly TimeSpan _ttl;
    private readonly ITimer _timer;
    private readonly object _lock = new();
    private long _leaseId;
    private bool _stopped;

    public InMemoryRegistration(RegistryStore store, ServiceInstance instance, long leaseId, TimeSpan ttl)
    {
        _store = store;
        Instance = instance;
        _leaseId = leaseId;
        _ttl = ttl;
        var period = ttl / 3;
        _timer = store.TimeProvider.CreateTimer(static s => ((InMemoryRegistration)s!).Renew(), this, period, period);
    }

    public ServiceInstance Instance { get; }

    public bool IsLeaseHeld { get; private set; } = true;

    /// <summary>Stops renewing without deregistering, as a process that died would.</summary>
    internal void StopKeepAlive()
    {
        lock (_lock)
        {
            _stopped = true;
        }
        _timer.Dispose();
    }

    public ValueTask DisposeAsync()
    {
        StopKeepAlive();
        lock (_lock)
        {
            _store.Deregister(_leaseId);
            IsLeaseHeld = false;
        }
        return ValueTask.CompletedTask;
    }

    private void Renew()
    {
        lock (_lock)
        {
            if (_stopped)
            {
                return;
            }
            if (_store.KeepAlive(_leaseId) is null)
            {
                // The sweep got there first (the timer ran late); take a new lease.
                RegistryMetrics.Reregistrations.Add(1, RegistryMetrics.Kind("memory"));
                _leaseId = _store.Register(Instance, _ttl).LeaseId;
            }
            IsLeaseHeld = true;
        }
    }
}

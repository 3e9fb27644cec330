using Shoal.Instances;

namespace Shoal.Discovery;

/// <summary>A live registration; dispose it to deregister.</summary>
public interface IRegistration : IAsyncDisposable
{
    /// <summary>The instance as registered.</summary>
    ServiceInstance Instance { get; }

    /// <summary>False once the lease was lost and could not be renewed (it is re-registered when the registry returns).</summary>
    bool IsLeaseHeld { get; }
}

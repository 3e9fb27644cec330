namespace Shoal.Discovery;

/// <summary>
/// The client side of discovery: watches the instances of a service. Kept apart from
/// registration (<see cref="IServiceRegistry"/>), as kitex keeps discovery apart from registry.
/// </summary>
public interface IServiceResolver : IAsyncDisposable
{
    /// <summary>
    /// Yields the current set at once, then a new full set on every change, until cancelled.
    /// While the source is unreachable it keeps the last set (yielded again with
    /// <see cref="InstanceSet.IsStale"/> set) and retries in the background; it never ends the
    /// sequence on a transient failure.
    /// </summary>
    IAsyncEnumerable<InstanceSet> WatchAsync(string service, CancellationToken cancellationToken = default);
}

using Shoal.Autoscaling.Signals;

namespace Shoal.Cli.Commands.Demo.Shop;

/// <summary>
/// The autoscaler's signal for Inventory: the Inventory calls per second the offered orders make
/// over the last control interval, and the Inventory instances Orders' cluster clients see.
/// </summary>
internal sealed class ShopLoadSignal : ILoadSignalSource
{
    private ClusterLoad _load = ClusterLoad.Empty(DateTimeOffset.UnixEpoch);

    /// <summary>Sets what the next <see cref="Read"/> returns.</summary>
    public void Set(double callsPerSecond, int readyInstances, TimeSpan p99, long errors) =>
        Volatile.Write(ref _load, new ClusterLoad(DateTimeOffset.UtcNow, readyInstances, callsPerSecond, 0, TimeSpan.Zero, p99, errors, 0));

    /// <inheritdoc/>
    public ClusterLoad Read() => Volatile.Read(ref _load);
}

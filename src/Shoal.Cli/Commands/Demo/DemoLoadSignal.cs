using Shoal.Autoscaling.Signals;

namespace Shoal.Cli.Commands.Demo;

/// <summary>
/// The demo's load signal: the offered calls per second the client measured over the last control
/// interval, and the instances the cluster client sees registered (the ready replicas).
/// </summary>
internal sealed class DemoLoadSignal : ILoadSignalSource
{
    private ClusterLoad _load = ClusterLoad.Empty(DateTimeOffset.UnixEpoch);

    /// <summary>Sets what the next <see cref="Read"/> returns.</summary>
    public void Set(double requestsPerSecond, int readyInstances, TimeSpan p99, long errors) =>
        Volatile.Write(ref _load, new ClusterLoad(DateTimeOffset.UtcNow, readyInstances, requestsPerSecond, 0, TimeSpan.Zero, p99, errors, 0));

    /// <inheritdoc/>
    public ClusterLoad Read() => Volatile.Read(ref _load);
}

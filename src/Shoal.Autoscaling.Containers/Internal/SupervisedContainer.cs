namespace Shoal.Autoscaling.Containers.Internal;

/// <summary>A running instance container and what the actuator knows about it.</summary>
internal sealed class SupervisedContainer(string id, string containerId, int restarts, IReadOnlyDictionary<int, int> ports)
{
    private int _stopping;

    public string Id { get; } = id;

    public string ContainerId { get; } = containerId;

    public int Restarts { get; } = restarts;

    public IReadOnlyDictionary<int, int> Ports { get; } = ports;

    /// <summary>Gets whether the actuator itself is stopping it (its exit is then expected).</summary>
    public bool Stopping => Volatile.Read(ref _stopping) != 0;

    /// <summary>Marks the container as being stopped; returns false if it already was.</summary>
    public bool MarkStopping() => Interlocked.Exchange(ref _stopping, 1) == 0;

    public ContainerInstance Describe() => new(Id, ContainerId, Restarts, Ports);

    /// <summary>Gets the container id shortened as the engines print it.</summary>
    public string ShortId => ContainerId.Length > 12 ? ContainerId[..12] : ContainerId;
}

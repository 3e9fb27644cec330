namespace Shoal.Autoscaling.Containers;

/// <summary>One instance run by <see cref="ContainerScaleActuator"/>.</summary>
/// <param name="Id">The instance id, also the container's name (kept across restarts).</param>
/// <param name="ContainerId">The current container's id.</param>
/// <param name="Restarts">How many times it was replaced after a crash.</param>
/// <param name="Ports">Each published container port and the host port it got.</param>
public sealed record ContainerInstance(string Id, string ContainerId, int Restarts, IReadOnlyDictionary<int, int> Ports);

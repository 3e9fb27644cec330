using Shoal.Autoscaling.Actuators;

namespace Shoal.Cli.Commands.Demo.Shop;

/// <summary>
/// How one shop service's instances start and stop: as processes (<see cref="ShopProcessInstances"/>)
/// or as containers of the shop image (<see cref="ShopContainerInstances"/>). The demo's steps, load
/// and report are the same for both; only this differs.
/// </summary>
internal interface IShopInstances : IAsyncDisposable
{
    /// <summary>Gets the actuator that scales the service and restarts what crashed (the autoscaler drives Inventory's).</summary>
    IScaleActuator Actuator { get; }

    /// <summary>Gets the running instances, oldest first.</summary>
    IReadOnlyList<ShopInstance> Running { get; }

    /// <summary>Kills the oldest instance at once (SIGKILL); returns it, or null when none runs or it could not be signalled.</summary>
    Task<ShopInstance?> KillOldestAsync(CancellationToken cancellationToken);

    /// <summary>Stops the oldest instance gracefully (SIGTERM: it deregisters, drains and exits); returns it, or null as above.</summary>
    Task<ShopInstance?> StopOldestAsync(CancellationToken cancellationToken);

    /// <summary>Waits until every instance being stopped or replaced has finished doing so.</summary>
    Task WhenIdleAsync();
}

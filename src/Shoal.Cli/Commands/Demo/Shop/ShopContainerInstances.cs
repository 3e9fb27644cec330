using Docker.DotNet;
using Docker.DotNet.Models;
using Microsoft.Extensions.DependencyInjection;
using Shoal.Autoscaling.Actuators;
using Shoal.Autoscaling.Containers;

namespace Shoal.Cli.Commands.Demo.Shop;

/// <summary>
/// A shop service's instances as containers of the shop image, started, drained and restarted by the
/// container actuator, created through its provider (<c>AddShoalContainerActuator</c>, as
/// <c>shoal autoscale run</c> does). The kill is the Engine API's SIGKILL of the container; the
/// graceful stop is its stop (SIGTERM, SIGKILL after the grace period).
/// </summary>
internal sealed class ShopContainerInstances : IShopInstances
{
    private static readonly TimeSpan StopGrace = TimeSpan.FromSeconds(10);

    private readonly string _service;
    private readonly ContainerScaleActuator _actuator;
    private readonly DockerClient _docker;
    private readonly List<Task> _stops = [];

    public ShopContainerInstances(string service, ContainerActuatorOptions options)
    {
        _service = service.ToLowerInvariant();
        using var provider = new ServiceCollection().AddShoalContainerActuator(options).BuildServiceProvider();
        var containers = provider.GetServices<IScaleActuatorProvider>().Single(p => p.Name == ContainerActuatorProvider.ProviderName);
        _actuator = (ContainerScaleActuator)containers.Create(new ScaleActuatorContext());
        _docker = new DockerClientConfiguration(options.Endpoint, defaultTimeout: options.RequestTimeout).CreateClient();
    }

    /// <inheritdoc/>
    public IScaleActuator Actuator => _actuator;

    /// <inheritdoc/>
    public IReadOnlyList<ShopInstance> Running => [.. _actuator.Instances.Select(Describe)];

    /// <inheritdoc/>
    public async Task<ShopInstance?> KillOldestAsync(CancellationToken cancellationToken)
    {
        if (_actuator.Instances.FirstOrDefault() is not { } oldest)
        {
            return null;
        }
        try
        {
            await _docker.Containers.KillContainerAsync(oldest.ContainerId, new ContainerKillParameters { Signal = "KILL" }, cancellationToken).ConfigureAwait(false);
            return Describe(oldest);
        }
        catch (Exception e) when (e is DockerApiException or HttpRequestException or IOException or TimeoutException)
        {
            return null;
        }
    }

    /// <inheritdoc/>
    /// <remarks>The stop runs on while the demo goes on (it returns when the container has exited); <see cref="WhenIdleAsync"/> waits for it.</remarks>
    public Task<ShopInstance?> StopOldestAsync(CancellationToken cancellationToken)
    {
        if (_actuator.Instances.FirstOrDefault() is not { } oldest)
        {
            return Task.FromResult<ShopInstance?>(null);
        }
        var stop = _docker.Containers.StopContainerAsync(oldest.ContainerId, new ContainerStopParameters { WaitBeforeKillSeconds = (uint)StopGrace.TotalSeconds }, CancellationToken.None);
        lock (_stops)
        {
            _stops.Add(stop.ContinueWith(static _ => { }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default));
        }
        return Task.FromResult<ShopInstance?>(Describe(oldest));
    }

    /// <inheritdoc/>
    public async Task WhenIdleAsync()
    {
        Task[] stops;
        lock (_stops)
        {
            stops = [.. _stops];
        }
        await Task.WhenAll(stops).ConfigureAwait(false);
        await _actuator.WhenIdleAsync().ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        await WhenIdleAsync().ConfigureAwait(false);
        await _actuator.DisposeAsync().ConfigureAwait(false);
        _docker.Dispose();
    }

    private ShopInstance Describe(ContainerInstance instance) => new()
    {
        Service = _service,
        Id = instance.Id,
        Where = "container " + (instance.ContainerId.Length > 12 ? instance.ContainerId[..12] : instance.ContainerId),
    };
}

using System.Globalization;
using System.Net;
using Docker.DotNet;
using Docker.DotNet.Models;
using Shoal.Autoscaling.Actuators;
using Shoal.Autoscaling.Containers.Internal;

namespace Shoal.Autoscaling.Containers;

/// <summary>Creating, watching, stopping and replacing the instance containers.</summary>
public sealed partial class ContainerScaleActuator
{
    private static readonly TimeSpan RecheckPause = TimeSpan.FromSeconds(1);

    /// <summary>Creates and starts one instance's container, named after the instance.</summary>
    private async Task<SupervisedContainer> StartAsync(string id, int restarts, CancellationToken cancellationToken)
    {
        var created = await CreateAsync(id, cancellationToken).ConfigureAwait(false);
        try
        {
            await _docker.Containers.StartContainerAsync(created, new ContainerStartParameters(), cancellationToken).ConfigureAwait(false);
            var ports = await ReadPortsAsync(created, cancellationToken).ConfigureAwait(false);
            var container = new SupervisedContainer(id, created, restarts, ports);
            ContainerActuatorLog.InstanceStarted(_logger, id, container.ShortId, _options.Image);
            return container;
        }
        catch
        {
            await RemoveQuietlyAsync(id, created).ConfigureAwait(false);
            throw;
        }
    }

    private async Task<string> CreateAsync(string id, CancellationToken cancellationToken)
    {
        var parameters = Describe(id);
        try
        {
            return (await _docker.Containers.CreateContainerAsync(parameters, cancellationToken).ConfigureAwait(false)).ID;
        }
        catch (DockerApiException e) when (e.StatusCode == HttpStatusCode.Conflict
            || (e.StatusCode == HttpStatusCode.InternalServerError && e.ResponseBody.Contains("already in use", StringComparison.Ordinal)))
        {
            // Docker answers 409; podman's compatible service 500 with "that name is already in use".
            // The name is taken. Only a container of the same owner left by an earlier actuator may go.
            var existing = await _docker.Containers.InspectContainerAsync(id, cancellationToken).ConfigureAwait(false);
            var labels = existing.Config?.Labels ?? new Dictionary<string, string>();
            if (!labels.TryGetValue(OwnerLabel, out var owner) || owner != _options.Owner || (labels.TryGetValue(RunLabel, out var run) && run == RunId))
            {
                throw new InvalidOperationException($"A container named '{id}' exists and is not a leftover of owner '{_options.Owner}'; choose another InstancePrefix.", e);
            }

            await _docker.Containers.RemoveContainerAsync(existing.ID, new ContainerRemoveParameters { Force = true }, cancellationToken).ConfigureAwait(false);
            ContainerActuatorLog.LeftoverRemoved(_logger, existing.ID[..12], owner, id);
            return (await _docker.Containers.CreateContainerAsync(parameters, cancellationToken).ConfigureAwait(false)).ID;
        }
    }

    private CreateContainerParameters Describe(string id)
    {
        var labels = new Dictionary<string, string>(_options.Labels, StringComparer.Ordinal)
        {
            [OwnerLabel] = _options.Owner,
            [RunLabel] = RunId,
            [InstanceLabel] = id,
        };
        var published = _options.PublishedPorts.Select(p => p.ToString(CultureInfo.InvariantCulture) + "/tcp").ToArray();
        return new CreateContainerParameters
        {
            Name = id,
            Image = _options.Image,
            Cmd = _options.Arguments.Select(a => Substitute(a, id)).ToList(),
            Env = _options.Environment.Select(pair => $"{pair.Key}={Substitute(pair.Value, id)}").ToList(),
            Labels = labels,
            StopSignal = "SIGTERM",
            ExposedPorts = published.ToDictionary(p => p, _ => default(EmptyStruct), StringComparer.Ordinal),
            HostConfig = new HostConfig
            {
                NetworkMode = _options.Network,
                Binds = _options.Volumes.Count == 0 ? null : [.. _options.Volumes],
                // An empty host port asks the engine for a free one.
                PortBindings = published.ToDictionary(
                    p => p,
                    IList<PortBinding> (_) => [new PortBinding { HostIP = _options.PublishAddress, HostPort = "" }],
                    StringComparer.Ordinal),
            },
        };
    }

    private async Task<IReadOnlyDictionary<int, int>> ReadPortsAsync(string container, CancellationToken cancellationToken)
    {
        var ports = new Dictionary<int, int>();
        if (_options.PublishedPorts.Count == 0)
        {
            return ports;
        }

        var inspected = await _docker.Containers.InspectContainerAsync(container, cancellationToken).ConfigureAwait(false);
        foreach (var (key, bindings) in inspected.NetworkSettings?.Ports ?? new Dictionary<string, IList<PortBinding>>())
        {
            var containerPort = int.Parse(key.Split('/')[0], NumberStyles.Integer, CultureInfo.InvariantCulture);
            if (bindings?.FirstOrDefault() is { HostPort: { Length: > 0 } hostPort })
            {
                ports[containerPort] = int.Parse(hostPort, NumberStyles.Integer, CultureInfo.InvariantCulture);
            }
        }

        return ports;
    }

    private static string Substitute(string text, string id) => text.Replace("{instance}", id, StringComparison.Ordinal);

    /// <summary>Watches a container until it exits; an exit nobody asked for is a crash.</summary>
    private void Watch(SupervisedContainer container) =>
        _ = WaitForExitAsync(container.ContainerId, _disposing.Token).ContinueWith(
            exit => OnExited(container, exit), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);

    /// <summary>The container's exit code once it has exited; a broken wait request is asked again.</summary>
    private async Task<long> WaitForExitAsync(string container, CancellationToken cancellationToken)
    {
        while (true)
        {
            try
            {
                return (await _docker.Containers.WaitContainerAsync(container, cancellationToken).ConfigureAwait(false)).StatusCode;
            }
            catch (DockerContainerNotFoundException)
            {
                return -1;
            }
            catch (Exception e) when (!cancellationToken.IsCancellationRequested && e is DockerApiException or HttpRequestException or IOException or TimeoutException or OperationCanceledException)
            {
                var state = await TryInspectStateAsync(container, cancellationToken).ConfigureAwait(false);
                if (state is { Running: false })
                {
                    return state.ExitCode;
                }

                await Task.Delay(RecheckPause, _time, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private async Task<ContainerState?> TryInspectStateAsync(string container, CancellationToken cancellationToken)
    {
        try
        {
            return (await _docker.Containers.InspectContainerAsync(container, cancellationToken).ConfigureAwait(false)).State;
        }
        catch (DockerContainerNotFoundException)
        {
            return new ContainerState { Running = false, ExitCode = -1 };
        }
        catch (Exception e) when (e is DockerApiException or HttpRequestException or IOException or TimeoutException)
        {
            return null;
        }
    }

    private void OnExited(SupervisedContainer container, Task<long> exit)
    {
        if (container.Stopping || !exit.IsCompletedSuccessfully)
        {
            return;
        }

        ScaleEvent crashed;
        lock (_gate)
        {
            if (_disposed || !_running.Contains(container))
            {
                return;
            }

            crashed = Event(ScaleEventKind.InstanceCrashed, container.Id);
            Track(RestartAsync(container));
        }

        ContainerActuatorLog.InstanceCrashed(_logger, container.Id, container.ShortId, exit.Result);
        Raise(crashed);
    }

    private async Task RestartAsync(SupervisedContainer crashed)
    {
        // Back off on an instance that keeps crashing: the delay doubles per restart, up to 32 times.
        for (var restarts = crashed.Restarts; ; restarts++)
        {
            try
            {
                await Task.Delay(_options.RestartDelay * Math.Pow(2, Math.Min(restarts, 5)), _time, _disposing.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            lock (_gate)
            {
                if (_disposed || !_running.Contains(crashed))
                {
                    return;
                }
            }

            SupervisedContainer replacement;
            try
            {
                await RemoveAsync(crashed.ContainerId, _disposing.Token).ConfigureAwait(false);
                replacement = await StartAsync(crashed.Id, restarts + 1, _disposing.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is not OperationCanceledException || !_disposing.IsCancellationRequested)
            {
                ContainerActuatorLog.RestartFailed(_logger, crashed.Id, e);
                continue;
            }
            catch (OperationCanceledException)
            {
                return;
            }

            if (Adopt(replacement, replacing: crashed))
            {
                Raise(Event(ScaleEventKind.InstanceRestarted, crashed.Id));
            }

            return;
        }
    }

    /// <summary>SIGTERM, up to the grace period for the drain, then SIGKILL; the container is removed in the end.</summary>
    private async Task StopAsync(SupervisedContainer container)
    {
        if (!container.MarkStopping())
        {
            return;
        }

        try
        {
            await SignalAsync(container.ContainerId, "SIGTERM").ConfigureAwait(false);
            long exitCode;
            using (var grace = new CancellationTokenSource(_options.GracePeriod, _time))
            {
                try
                {
                    exitCode = await WaitForExitAsync(container.ContainerId, grace.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    ContainerActuatorLog.InstanceKilled(_logger, container.Id, container.ShortId, _options.GracePeriod);
                    await SignalAsync(container.ContainerId, "SIGKILL").ConfigureAwait(false);
                    exitCode = await WaitForExitAsync(container.ContainerId, CancellationToken.None).WaitAsync(_options.RequestTimeout).ConfigureAwait(false);
                    Raise(new ScaleEvent(_time.GetUtcNow(), Name, ScaleEventKind.InstanceKilled, 0, 0, container.Id));
                }
            }

            ContainerActuatorLog.InstanceStopped(_logger, container.Id, container.ShortId, exitCode);
            Raise(new ScaleEvent(_time.GetUtcNow(), Name, ScaleEventKind.InstanceStopped, 0, 0, container.Id));
        }
        catch (Exception e) when (e is DockerApiException or HttpRequestException or IOException or TimeoutException)
        {
            ContainerActuatorLog.StopFailed(_logger, container.Id, container.ShortId, e);
        }
        finally
        {
            await RemoveQuietlyAsync(container.Id, container.ContainerId).ConfigureAwait(false);
        }
    }

    private async Task SignalAsync(string container, string signal)
    {
        try
        {
            await _docker.Containers.KillContainerAsync(container, new ContainerKillParameters { Signal = signal }, CancellationToken.None).ConfigureAwait(false);
        }
        catch (DockerContainerNotFoundException)
        {
            // Already gone: nothing to signal.
        }
        catch (DockerApiException e) when (e.StatusCode is HttpStatusCode.Conflict or HttpStatusCode.InternalServerError)
        {
            // Not running any more (engines answer 409, podman's compatible service sometimes 500): the wait sees its exit.
        }
    }

    private async Task RemoveAsync(string container, CancellationToken cancellationToken)
    {
        try
        {
            await _docker.Containers.RemoveContainerAsync(container, new ContainerRemoveParameters { Force = true }, cancellationToken).ConfigureAwait(false);
        }
        catch (DockerContainerNotFoundException)
        {
            // Already removed.
        }
    }

    private async Task RemoveQuietlyAsync(string instance, string container)
    {
        try
        {
            await RemoveAsync(container, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception e) when (e is DockerApiException or HttpRequestException or IOException or TimeoutException)
        {
            ContainerActuatorLog.StopFailed(_logger, instance, container, e);
        }
    }

    /// <summary>Removes every container that carries this actuator's run label (after a failed stop, say).</summary>
    private async Task RemoveLeftoversAsync()
    {
        IList<ContainerListResponse> leftovers;
        try
        {
            leftovers = await _docker.Containers.ListContainersAsync(new ContainersListParameters
            {
                All = true,
                Filters = new Dictionary<string, IDictionary<string, bool>>
                {
                    ["label"] = new Dictionary<string, bool> { [$"{RunLabel}={RunId}"] = true },
                },
            }).ConfigureAwait(false);
        }
        catch (Exception e) when (e is DockerApiException or HttpRequestException or IOException or TimeoutException)
        {
            ContainerActuatorLog.StopFailed(_logger, "*", RunId, e);
            return;
        }

        foreach (var leftover in leftovers)
        {
            var instance = leftover.Labels is { } labels && labels.TryGetValue(InstanceLabel, out var id) ? id : "?";
            await RemoveQuietlyAsync(instance, leftover.ID).ConfigureAwait(false);
        }
    }
}

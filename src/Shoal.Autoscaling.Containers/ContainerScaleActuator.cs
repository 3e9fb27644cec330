using Docker.DotNet;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Shoal.Autoscaling.Actuators;
using Shoal.Autoscaling.Containers.Internal;

namespace Shoal.Autoscaling.Containers;

/// <summary>
/// Scales a service as containers through the Docker Engine API (Docker, or podman's compatible
/// <c>podman system service</c>): starts each instance as a container of one image, stops removed
/// instances gracefully (SIGTERM, then SIGKILL after the grace period), and replaces a container that
/// exits without being asked to. It behaves as <see cref="LocalProcessActuator"/> does with processes.
/// </summary>
/// <remarks>
/// Every container it starts carries its owner label (<see cref="OwnerLabel"/>), a label unique to
/// this actuator (<see cref="RunLabel"/>) and its instance id (<see cref="InstanceLabel"/>); it only
/// ever stops or removes containers it started, and on dispose it drains them and removes every
/// container with its run label. The newest instances are removed first. A replaced instance keeps
/// its id (and container name) and gets a new container.
/// </remarks>
public sealed partial class ContainerScaleActuator : IScaleActuator, IAsyncDisposable
{
    /// <summary>The prefix of the labels the actuator sets; settings may not use it.</summary>
    public const string LabelPrefix = "io.shoal.autoscaler.";

    /// <summary>The label naming the actuator's owner (<see cref="ContainerActuatorOptions.Owner"/>).</summary>
    public const string OwnerLabel = LabelPrefix + "owner";

    /// <summary>The label unique to one actuator (<see cref="RunId"/>).</summary>
    public const string RunLabel = LabelPrefix + "run";

    /// <summary>The label holding the instance id.</summary>
    public const string InstanceLabel = LabelPrefix + "instance";

    private readonly ContainerActuatorOptions _options;
    private readonly IDockerClient _docker;
    private readonly bool _ownsClient;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly object _gate = new();
    private readonly SemaphoreSlim _scaling = new(1, 1);
    private readonly List<SupervisedContainer> _running = [];
    private readonly List<Task> _background = [];
    private readonly CancellationTokenSource _disposing = new();
    private int _nextId;
    private bool _disposed;

    /// <summary>Creates the actuator with its own client for <see cref="ContainerActuatorOptions.Endpoint"/>; nothing starts until <see cref="ScaleAsync"/>.</summary>
    /// <param name="options">What to run and where.</param>
    /// <param name="time">The clock for the grace period and restart delay.</param>
    /// <param name="logger">Where starts, stops and crashes are logged.</param>
    /// <exception cref="ArgumentException">The options are invalid.</exception>
    public ContainerScaleActuator(ContainerActuatorOptions options, TimeProvider? time = null, ILogger? logger = null)
        : this(CreateClient(options), ownsClient: true, options, time, logger)
    {
    }

    /// <summary>Creates the actuator over an existing client, which it does not dispose.</summary>
    /// <param name="docker">The Engine API client.</param>
    /// <param name="options">What to run (the endpoint is the client's).</param>
    /// <param name="time">The clock for the grace period and restart delay.</param>
    /// <param name="logger">Where starts, stops and crashes are logged.</param>
    public ContainerScaleActuator(IDockerClient docker, ContainerActuatorOptions options, TimeProvider? time = null, ILogger? logger = null)
        : this(docker, ownsClient: false, options, time, logger)
    {
    }

    private ContainerScaleActuator(IDockerClient docker, bool ownsClient, ContainerActuatorOptions options, TimeProvider? time, ILogger? logger)
    {
        ArgumentNullException.ThrowIfNull(docker);
        ContainerActuatorOptionsValidator.ThrowIfInvalid(options);
        _docker = docker;
        _ownsClient = ownsClient;
        _options = options;
        _time = time ?? TimeProvider.System;
        _logger = logger ?? NullLogger.Instance;
    }

    /// <inheritdoc/>
    public string Name => "containers";

    /// <inheritdoc/>
    public event EventHandler<ScaleEvent>? Changed;

    /// <summary>Gets the value of <see cref="RunLabel"/> on this actuator's containers.</summary>
    public string RunId { get; } = Guid.NewGuid().ToString("N")[..12];

    /// <summary>Gets the running instances, oldest first.</summary>
    public IReadOnlyList<ContainerInstance> Instances
    {
        get
        {
            lock (_gate)
            {
                return _running.Select(c => c.Describe()).ToArray();
            }
        }
    }

    /// <inheritdoc/>
    public Task<int> GetReplicasAsync(CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            return Task.FromResult(_running.Count);
        }
    }

    /// <inheritdoc/>
    /// <remarks>Completes when the added containers run (and the removed ones were told to drain).</remarks>
    public async Task ScaleAsync(int replicas, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(replicas);
        await _scaling.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            int from;
            lock (_gate)
            {
                ObjectDisposedException.ThrowIf(_disposed, this);
                from = _running.Count;
                if (from == replicas)
                {
                    return;
                }

                while (_running.Count > replicas)
                {
                    var victim = _running[^1];
                    _running.RemoveAt(_running.Count - 1);
                    Track(StopAsync(victim));
                }
            }

            Raise(new ScaleEvent(_time.GetUtcNow(), Name, ScaleEventKind.Scaled, from, replicas));
            for (var count = from; count < replicas; count++)
            {
                var id = $"{_options.InstancePrefix}-{Interlocked.Increment(ref _nextId)}";
                var started = await StartAsync(id, restarts: 0, cancellationToken).ConfigureAwait(false);
                if (!Adopt(started, replacing: null))
                {
                    return;
                }

                Raise(Event(ScaleEventKind.InstanceStarted, id));
            }
        }
        finally
        {
            _scaling.Release();
        }
    }

    /// <summary>Waits until every instance being stopped or replaced has finished doing so.</summary>
    /// <returns>A task that completes when nothing is pending.</returns>
    public async Task WhenIdleAsync()
    {
        for (var round = 0; ; round++)
        {
            Task[] pending;
            lock (_gate)
            {
                _background.RemoveAll(t => t.IsCompleted);
                pending = _background.ToArray();
            }

            if (pending.Length == 0)
            {
                return;
            }

            // A failed stop or restart was logged where it happened; waiting goes on for the rest.
            await Task.WhenAll(pending).ContinueWith(static _ => { }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default).ConfigureAwait(false);
        }
    }

    /// <summary>Drains every container (SIGTERM, then SIGKILL after the grace period), removes every container with this actuator's run label, and releases the client.</summary>
    /// <returns>A task that completes when the containers are gone.</returns>
    public async ValueTask DisposeAsync()
    {
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            foreach (var container in _running)
            {
                Track(StopAsync(container));
            }

            _running.Clear();
        }

        // Pending restarts stop waiting; the drains above run to their end.
        await _disposing.CancelAsync().ConfigureAwait(false);
        await WhenIdleAsync().ConfigureAwait(false);
        await RemoveLeftoversAsync().ConfigureAwait(false);
        if (_ownsClient)
        {
            _docker.Dispose();
        }

        _disposing.Dispose();
        _scaling.Dispose();
    }

    private static DockerClient CreateClient(ContainerActuatorOptions options)
    {
        ContainerActuatorOptionsValidator.ThrowIfInvalid(options);
        return new DockerClientConfiguration(options.Endpoint, defaultTimeout: options.RequestTimeout).CreateClient();
    }

    /// <summary>Puts a started container in the running list, or stops it if the actuator was disposed meanwhile.</summary>
    private bool Adopt(SupervisedContainer started, SupervisedContainer? replacing)
    {
        lock (_gate)
        {
            var index = replacing is null ? _running.Count : _running.IndexOf(replacing);
            if (!_disposed && index >= 0)
            {
                if (replacing is null)
                {
                    _running.Add(started);
                }
                else
                {
                    _running[index] = started;
                }

                Watch(started);
                return true;
            }

            Track(StopAsync(started));
            return false;
        }
    }

    private void Track(Task task)
    {
        lock (_gate)
        {
            _background.Add(task);
        }
    }

    private ScaleEvent Event(ScaleEventKind kind, string? instance)
    {
        int count;
        lock (_gate)
        {
            count = _running.Count;
        }

        return new ScaleEvent(_time.GetUtcNow(), Name, kind, count, count, instance);
    }

    private void Raise(ScaleEvent e) => Changed?.Invoke(this, e);
}

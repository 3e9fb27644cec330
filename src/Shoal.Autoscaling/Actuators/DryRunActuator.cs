namespace Shoal.Autoscaling.Actuators;

/// <summary>Records decisions and changes nothing: the replica count is only remembered.</summary>
public sealed class DryRunActuator : IScaleActuator
{
    private readonly TimeProvider _time;
    private readonly List<ScaleEvent> _history = [];
    private readonly object _gate = new();
    private int _replicas;

    /// <summary>Creates the actuator.</summary>
    /// <param name="initialReplicas">The count it reports before any decision.</param>
    /// <param name="time">The clock for event times.</param>
    public DryRunActuator(int initialReplicas = 1, TimeProvider? time = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(initialReplicas);
        _replicas = initialReplicas;
        _time = time ?? TimeProvider.System;
    }

    /// <inheritdoc/>
    public string Name => "dry-run";

    /// <inheritdoc/>
    public event EventHandler<ScaleEvent>? Changed;

    /// <summary>Gets every change asked for so far.</summary>
    public IReadOnlyList<ScaleEvent> History
    {
        get
        {
            lock (_gate)
            {
                return _history.ToArray();
            }
        }
    }

    /// <inheritdoc/>
    public Task<int> GetReplicasAsync(CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            return Task.FromResult(_replicas);
        }
    }

    /// <inheritdoc/>
    public Task ScaleAsync(int replicas, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(replicas);
        ScaleEvent change;
        lock (_gate)
        {
            if (replicas == _replicas)
            {
                return Task.CompletedTask;
            }

            change = new ScaleEvent(_time.GetUtcNow(), Name, ScaleEventKind.Scaled, _replicas, replicas);
            _replicas = replicas;
            _history.Add(change);
        }

        Changed?.Invoke(this, change);
        return Task.CompletedTask;
    }
}

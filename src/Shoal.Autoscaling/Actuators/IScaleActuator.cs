namespace Shoal.Autoscaling.Actuators;

/// <summary>
/// Carries out scaling decisions: reads the current replica count and sets a new one. Replicas are
/// always removed by graceful drain (stop taking calls, finish the ones in flight, then exit).
/// </summary>
public interface IScaleActuator
{
    /// <summary>Gets a short name ("dry-run", "local", "kubernetes").</summary>
    string Name { get; }

    /// <summary>Raised for everything the actuator does (scale, start, stop, crash, restart).</summary>
    event EventHandler<ScaleEvent>? Changed;

    /// <summary>Reads the replica count asked for so far.</summary>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The replica count.</returns>
    Task<int> GetReplicasAsync(CancellationToken cancellationToken = default);

    /// <summary>Scales to <paramref name="replicas"/>, draining the replicas it removes.</summary>
    /// <param name="replicas">The new count (non-negative).</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>A task that completes when the change has been made (for removals: when the drain was started).</returns>
    Task ScaleAsync(int replicas, CancellationToken cancellationToken = default);
}

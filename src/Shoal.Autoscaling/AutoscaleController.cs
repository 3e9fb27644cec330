using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Shoal.Autoscaling.Actuators;
using Shoal.Autoscaling.Internal;
using Shoal.Autoscaling.Policy;
using Shoal.Autoscaling.Signals;

namespace Shoal.Autoscaling;

/// <summary>
/// The control loop: every control interval it reads the load, asks the policy for a replica count
/// and has the actuator carry it out.
/// </summary>
/// <remarks>
/// The policy is given the offered load (<see cref="ClusterLoad.OfferedRequestsPerSecond"/>: arrivals, not only
/// completions, so a saturated cluster is not mistaken for a quiet one). Ready replicas are the instances that
/// report load (a starting instance does not report yet); the current replica count is what the actuator says.
/// While replicas run but none reports (the load signal is not there yet, or is lost), the tick holds the
/// count within <see cref="MinReplicas"/> and <see cref="MaxReplicas"/>: a missing signal is not a load of zero. A failing actuator is logged and retried at the next tick;
/// the loop never stops on it.
/// </remarks>
public sealed class AutoscaleController
{
    private readonly ILoadSignalSource _signals;
    private readonly IScalingPolicy _policy;
    private readonly IScaleActuator _actuator;
    private readonly TimeProvider _time;
    private readonly TimeSpan _interval;
    private readonly ILogger _logger;
    private readonly AutoscalingMetrics? _metrics;

    /// <summary>Creates the controller.</summary>
    /// <param name="signals">Where the load comes from.</param>
    /// <param name="policy">The scaling policy.</param>
    /// <param name="actuator">What carries decisions out.</param>
    /// <param name="time">The clock.</param>
    /// <param name="interval">The control interval (the policy's).</param>
    /// <param name="logger">Where failures are logged.</param>
    /// <param name="metrics">Where decisions are published, if anywhere.</param>
    public AutoscaleController(ILoadSignalSource signals, IScalingPolicy policy, IScaleActuator actuator, TimeProvider time, TimeSpan interval, ILogger? logger = null, AutoscalingMetrics? metrics = null)
    {
        _signals = signals ?? throw new ArgumentNullException(nameof(signals));
        _policy = policy ?? throw new ArgumentNullException(nameof(policy));
        _actuator = actuator ?? throw new ArgumentNullException(nameof(actuator));
        _time = time ?? throw new ArgumentNullException(nameof(time));
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(interval, TimeSpan.Zero);
        _interval = interval;
        _logger = logger ?? NullLogger.Instance;
        _metrics = metrics;
    }

    /// <summary>Gets the fewest replicas a tick without a load signal keeps (default 1).</summary>
    public int MinReplicas { get; init; } = 1;

    /// <summary>Gets the most replicas a tick without a load signal keeps (default unbounded).</summary>
    public int MaxReplicas { get; init; } = int.MaxValue;

    /// <summary>Gets the last decision, if any.</summary>
    public ScalingDecision? LastDecision { get; private set; }

    /// <summary>Runs one control tick: read, decide, act.</summary>
    /// <param name="cancellationToken">Cancels the tick.</param>
    /// <returns>The decision taken.</returns>
    public async Task<ScalingDecision> TickAsync(CancellationToken cancellationToken = default)
    {
        var load = _signals.Read();
        var current = await _actuator.GetReplicasAsync(cancellationToken).ConfigureAwait(false);
        var ready = Math.Min(load.Instances, current);
        var now = _time.GetUtcNow();
        ScalingDecision decision;
        if (load.Instances == 0 && current > 0)
        {
            // Only the configured bounds move the count: nothing is fed to the policy's forecaster.
            var kept = Math.Clamp(current, MinReplicas, Math.Max(MinReplicas, MaxReplicas));
            decision = new ScalingDecision(now, _policy.Name, 0, 0, 0, 0, current, kept, kept, ScalingReason.NoMetrics);
        }
        else
        {
            decision = _policy.Decide(new ScalingInput(now, load.OfferedRequestsPerSecond, current, ready));
            _metrics?.RecordDecision(decision);
        }

        LastDecision = decision;
        if (decision.Desired != current)
        {
            AutoscalingLog.Actuating(_logger, _actuator.Name, current, decision.Desired);
            try
            {
                await _actuator.ScaleAsync(decision.Desired, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                AutoscalingLog.ActuationFailed(_logger, e, _actuator.Name, decision.Desired);
            }
        }

        return decision;
    }

    /// <summary>Ticks every control interval until cancelled.</summary>
    /// <param name="cancellationToken">Stops the loop.</param>
    /// <returns>A task that completes when the loop stops.</returns>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(_interval, _time);
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false))
            {
                await TickAsync(cancellationToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }
}

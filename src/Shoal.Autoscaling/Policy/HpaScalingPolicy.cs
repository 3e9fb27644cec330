using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Shoal.Autoscaling.Capacity;
using Shoal.Autoscaling.Internal;

namespace Shoal.Autoscaling.Policy;

/// <summary>
/// The Kubernetes Horizontal Pod Autoscaler algorithm as its documentation describes it, with the
/// load per ready replica as the metric: the reactive baseline Shoal is compared with.
/// </summary>
/// <remarks>
/// <para>
/// Every sync period: utilisation = load / (ready replicas × capacity); ratio = utilisation / target;
/// no change when |ratio − 1| ≤ tolerance; otherwise desired = ceil(ratio × ready replicas).
/// </para>
/// <para>
/// Readiness, as the documentation says: replicas that are not yet ready are set aside. If the ratio
/// asks to scale up while some replicas are still starting, it is recomputed assuming those replicas
/// use 0% (they will take load soon); if the recomputed ratio is then within the tolerance or reverses
/// the direction, nothing changes. (Kubernetes also sets aside pods with missing metrics; the simulated
/// cluster always has metrics for ready replicas, so that case does not arise.)
/// </para>
/// <para>
/// Then the behaviour: the recommendation is stabilised (up: the lowest recommendation of the
/// scale-up window, 0 s by default; down: the highest of the 300 s scale-down window) and rate-limited
/// (up: the larger of +100% and +4 replicas per 15 s; down: −100% per 15 s), and clamped to [min, max].
/// </para>
/// </remarks>
public sealed class HpaScalingPolicy : IScalingPolicy
{
    private readonly HpaOptions _options;
    private readonly ICapacityModel _capacity;
    private readonly ILogger _logger;
    private readonly List<(DateTimeOffset At, int Replicas)> _recommendations = [];
    private readonly List<(DateTimeOffset At, int Change)> _events = [];
    private DateTimeOffset? _lastSync;

    /// <summary>Creates the baseline.</summary>
    /// <param name="options">The settings (Kubernetes defaults unless changed).</param>
    /// <param name="capacity">The capacity one replica has, which turns load into utilisation.</param>
    /// <param name="logger">Where decisions are logged.</param>
    public HpaScalingPolicy(HpaOptions options, ICapacityModel capacity, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _options = options;
        _capacity = capacity ?? throw new ArgumentNullException(nameof(capacity));
        _logger = logger ?? NullLogger.Instance;
    }

    /// <inheritdoc/>
    public string Name => FormattableString.Invariant($"hpa-{_options.TargetUtilisation * 100:0}%");

    /// <summary>Gets the target utilisation.</summary>
    public double TargetUtilisation => _options.TargetUtilisation;

    /// <inheritdoc/>
    public ScalingDecision Decide(ScalingInput input)
    {
        var capacity = _capacity.RequestsPerSecondPerInstance;
        var load = Math.Max(0, double.IsFinite(input.RequestsPerSecond) ? input.RequestsPerSecond : 0);
        var current = input.CurrentReplicas;
        var headroom = (1 / _options.TargetUtilisation) - 1;
        if (_lastSync is { } last && input.Now - last < _options.SyncPeriod)
        {
            return new ScalingDecision(input.Now, Name, load, load, headroom, capacity, current, current, current, ScalingReason.Hold);
        }

        _lastSync = input.Now;
        var (raw, noMetrics) = ReplicaCount(load, capacity, current, input.ReadyReplicas);
        var stabilised = Stabilise(input.Now, current, raw);
        var desired = LimitRate(input.Now, current, stabilised);
        if (desired != current)
        {
            _events.Add((input.Now, desired - current));
        }

        var reason = noMetrics ? ScalingReason.NoMetrics
            : desired > current ? ScalingReason.ScaleUpCurrentLoad
            : desired < current ? ScalingReason.ScaleDownStabilised
            : raw < current ? ScalingReason.HoldStabilising
            : ScalingReason.Hold;
        var decision = new ScalingDecision(input.Now, Name, load, load, headroom, capacity, current, raw, desired, reason);
        AutoscalingLog.Decision(_logger, decision);
        return decision;
    }

    /// <summary>The replica calculator: the raw recommendation from utilisation, tolerance and readiness.</summary>
    private (int Replicas, bool NoMetrics) ReplicaCount(double load, double capacity, int current, int ready)
    {
        if (ready <= 0)
        {
            return (current, true);
        }

        var target = _options.TargetUtilisation;
        var ratio = load / (ready * capacity) / target;
        var unready = Math.Max(0, current - ready);
        if (unready > 0 && ratio > 1)
        {
            // Not-yet-ready replicas are assumed to use 0% when the ratio asks to scale up.
            var all = ready + unready;
            var newRatio = load / (all * capacity) / target;
            if (Math.Abs(newRatio - 1) <= _options.Tolerance || newRatio < 1)
            {
                return (current, false);
            }

            return (Math.Max(current, (int)Math.Ceiling((newRatio * all) - 1e-9)), false);
        }

        if (Math.Abs(ratio - 1) <= _options.Tolerance)
        {
            return (current, false);
        }

        return ((int)Math.Ceiling((ratio * ready) - 1e-9), false);
    }

    private int Stabilise(DateTimeOffset now, int current, int raw)
    {
        var longest = _options.ScaleDownStabilisation > _options.ScaleUpStabilisation ? _options.ScaleDownStabilisation : _options.ScaleUpStabilisation;
        _recommendations.RemoveAll(r => r.At <= now - longest);
        var up = raw;
        var down = raw;
        foreach (var (at, replicas) in _recommendations)
        {
            if (at > now - _options.ScaleUpStabilisation)
            {
                up = Math.Min(up, replicas);
            }

            if (at > now - _options.ScaleDownStabilisation)
            {
                down = Math.Max(down, replicas);
            }
        }

        _recommendations.Add((now, raw));
        var recommendation = current;
        if (recommendation < up)
        {
            recommendation = up;
        }

        if (recommendation > down)
        {
            recommendation = down;
        }

        return recommendation;
    }

    private int LimitRate(DateTimeOffset now, int current, int recommendation)
    {
        var longest = _options.ScaleUpPeriod > _options.ScaleDownPeriod ? _options.ScaleUpPeriod : _options.ScaleDownPeriod;
        _events.RemoveAll(e => e.At + longest <= now);
        int desired;
        if (recommendation > current)
        {
            var added = _events.Where(e => e.At + _options.ScaleUpPeriod > now && e.Change > 0).Sum(e => e.Change);
            var periodStart = current - added;
            var byPercent = (int)Math.Ceiling(periodStart * (1 + _options.ScaleUpPercent));
            var byPods = periodStart + _options.ScaleUpPods;
            desired = Math.Min(recommendation, Math.Min(Math.Max(byPercent, byPods), _options.MaxReplicas));
        }
        else if (recommendation < current)
        {
            var removed = _events.Where(e => e.At + _options.ScaleDownPeriod > now && e.Change < 0).Sum(e => -e.Change);
            var periodStart = current + removed;
            var byPercent = (int)Math.Ceiling(periodStart * (1 - _options.ScaleDownPercent));
            desired = Math.Max(recommendation, Math.Max(byPercent, _options.MinReplicas));
        }
        else
        {
            desired = current;
        }

        return Math.Clamp(desired, _options.MinReplicas, _options.MaxReplicas);
    }
}

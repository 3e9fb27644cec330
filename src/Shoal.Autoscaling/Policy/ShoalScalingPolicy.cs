using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Shoal.Autoscaling.Capacity;
using Shoal.Autoscaling.Forecasting;
using Shoal.Autoscaling.Internal;
using Shoal.Autoscaling.Policy.Internal;

namespace Shoal.Autoscaling.Policy;

/// <summary>
/// Shoal's predictive policy: replicas for the load forecast one lead time ahead, with headroom sized
/// by the forecaster's own recent errors, never below what the current load needs.
/// </summary>
/// <remarks>
/// <para>
/// The load is averaged over forecast windows (<see cref="ShoalPolicyOptions.ForecastInterval"/>) and
/// fed to the forecaster (by default an ensemble of EWMA, damped Holt and Holt-Winters with a detected
/// season). A replica asked for now serves from now + lead time until the replica asked for at the next
/// tick is ready, so the policy forecasts every window overlapping that span and takes the largest.
/// </para>
/// <para>
/// desired = ceil(max(forecast, current) × (1 + headroom) / capacity), clamped to [min, max]. The
/// headroom is the policy's own prediction interval: every tick it remembers the need it predicted for
/// the tick its new replicas will serve, and when that tick's load arrives it records the relative
/// error; the headroom is a high quantile (99.5%) of the recent errors at the same horizon. So it is
/// small when the load is predictable and large when it is not, whatever the trace.
/// </para>
/// <para>
/// A surge is a load now above the upper edge of the forecast's one-window prediction interval: the
/// forecaster could not see it coming, so the policy extrapolates the jump since the last window up to
/// the window its new replicas will serve rather than wait for the forecaster to catch up, and goes on
/// doing so while the load keeps rising. When the load falls back to where it was before the surge (a spike), the replicas the
/// surge asked for are let go: its recommendations leave the stabilisation window and replicas still
/// starting are cancelled. Errors larger than the largest headroom (a jump no headroom covers) do not
/// count toward the headroom. A plunge (the load below the interval's lower edge) is held through for
/// one stabilisation window before it may count toward a scale-down.
/// </para>
/// <para>
/// Up at once. Down only to the highest recommendation of the stabilisation window, computed with an
/// extra hysteresis margin, and by at most a few replicas per tick; for a window after a step down, a
/// step back up uses that much less headroom. So noise does not flap the count.
/// </para>
/// </remarks>
public sealed partial class ShoalScalingPolicy : IScalingPolicy
{
    private readonly ShoalPolicyOptions _options;
    private readonly ICapacityModel _capacity;
    private readonly IForecaster _forecaster;
    private readonly ILogger _logger;
    private readonly DeviationTracker _tickDeviations;
    private readonly SpanErrorTracker _spanErrors;
    private readonly RecommendationWindow _downWindow;
    private readonly int _ticksPerWindow;
    private int _ticksInWindow;
    private double _windowSum;
    private double _lastWindowMean;
    private double _nextWindowForecast;
    private long _windowsCompleted;
    private DateTimeOffset? _lastScaleDown;
    private bool _surging;
    private DateTimeOffset? _plungeSince;
    private double _plungeBase;
    private double _plungeLower;
    private double _recoveryCeiling;
    private bool _afterSpike;
    private double _surgeBase;

    /// <summary>Creates the policy.</summary>
    /// <param name="options">The settings.</param>
    /// <param name="capacity">The capacity model.</param>
    /// <param name="forecaster">The forecaster over forecast windows; null for the default ensemble.</param>
    /// <param name="logger">Where decisions are logged.</param>
    public ShoalScalingPolicy(ShoalPolicyOptions options, ICapacityModel capacity, IForecaster? forecaster = null, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _options = options;
        _capacity = capacity ?? throw new ArgumentNullException(nameof(capacity));
        _ticksPerWindow = Math.Max(1, (int)Math.Round(options.ForecastInterval / options.ControlInterval));
        var horizons = (int)Math.Ceiling((options.LeadTime + options.ControlInterval + options.ForecastInterval) / options.ForecastInterval) + 1;
        var maxSeason = Math.Max(8, (int)(options.MaxSeason / options.ForecastInterval));
        var typicalHorizon = Math.Max(1, (int)Math.Ceiling((options.LeadTime + options.ControlInterval) / options.ForecastInterval));
        _forecaster = forecaster ?? EnsembleForecaster.CreateDefault(typicalHorizon, maxSeason);
        _logger = logger ?? NullLogger.Instance;
        _tickDeviations = new DeviationTracker(options.ErrorWindow, options.HeadroomQuantile);
        var delay = 1 + (int)Math.Ceiling(options.LeadTime / options.ControlInterval);
        _spanErrors = new SpanErrorTracker(delay, 1, horizons, options.ErrorWindow, options.ExcludeUncoverableErrors ? options.MaxHeadroom : double.PositiveInfinity);
        _downWindow = new RecommendationWindow(options.ScaleDownStabilisation);
    }

    /// <inheritdoc/>
    public string Name => "shoal";

    /// <summary>Gets the forecaster in use.</summary>
    public IForecaster Forecaster => _forecaster;

    /// <inheritdoc/>
    public ScalingDecision Decide(ScalingInput input)
    {
        var load = Math.Max(0, double.IsFinite(input.RequestsPerSecond) ? input.RequestsPerSecond : 0);
        // The surge is judged against the windows before this tick's, so before the tick joins its window.
        var surge = SurgeProjection(load, out var spikeOver);
        var plunging = Plunging(load, input.Now, spikeOver);
        if (_windowsCompleted > 0)
        {
            _tickDeviations.Add(load, _nextWindowForecast);
        }

        Accumulate(load);
        _spanErrors.Observe(load);
        var (modelForecast, bucket) = ForecastSpan();
        var forecast = Math.Max(modelForecast, surge);
        var need = Math.Max(forecast, load);
        var headroom = Headroom(bucket);
        _spanErrors.Predict(need, bucket);
        var capacity = _capacity.RequestsPerSecondPerInstance;
        // Right after a step down, stepping back up needs a clear rise: the hysteresis margin is taken
        // off the headroom for the length of the stabilisation window, so one noisy tick does not undo it.
        var recentlyDown = _lastScaleDown is { } down && input.Now - down < _options.ScaleDownStabilisation;
        var upHeadroom = recentlyDown ? Math.Max(_options.MinHeadroom, headroom - _options.Hysteresis) : headroom;
        var recommended = Clamp((int)Math.Ceiling((need * (1 + upHeadroom) / capacity) - 1e-9));
        var forDown = Clamp((int)Math.Ceiling((need * (1 + headroom + _options.Hysteresis) / capacity) - 1e-9));
        if (spikeOver)
        {
            _downWindow.DropSurges();
        }

        if (plunging)
        {
            // A sudden collapse of the load is held through for one stabilisation window before it may
            // count toward a scale-down: it is as often a fault or a gap that ends as suddenly.
            forDown = Math.Max(forDown, input.CurrentReplicas);
        }

        _downWindow.Add(input.Now, forDown, surge > Math.Max(modelForecast, load));

        var current = input.CurrentReplicas;
        int desired;
        ScalingReason reason;
        if (recommended > current)
        {
            desired = recommended;
            reason = forecast <= load ? ScalingReason.ScaleUpCurrentLoad
                : surge > modelForecast ? ScalingReason.ScaleUpSurge
                : ScalingReason.ScaleUpForecast;
        }
        else
        {
            var stabilised = Math.Max(_downWindow.Max(), recommended);
            if (stabilised < current)
            {
                var step = Math.Max(_options.MaxScaleDownStep, (int)Math.Floor(current * _options.MaxScaleDownFraction));
                if (spikeOver)
                {
                    // Replicas still starting for a spike that is over never served anything: cancel them at once.
                    step = Math.Max(step, current - input.ReadyReplicas);
                }

                desired = Math.Max(stabilised, current - step);
                reason = ScalingReason.ScaleDownStabilised;
                _lastScaleDown = input.Now;
            }
            else
            {
                desired = current;
                reason = recommended < current ? ScalingReason.HoldStabilising : ScalingReason.Hold;
            }
        }

        desired = Clamp(desired);
        var decision = new ScalingDecision(input.Now, Name, load, forecast, headroom, capacity, current, recommended, desired, reason);
        AutoscalingLog.Decision(_logger, decision);
        return decision;
    }

    private int Clamp(int replicas) => Math.Clamp(replicas, _options.MinReplicas, _options.MaxReplicas);

    private void Accumulate(double load)
    {
        _windowSum += load;
        _ticksInWindow++;
        if (_ticksInWindow < _ticksPerWindow)
        {
            return;
        }

        var mean = _windowSum / _ticksInWindow;
        _windowSum = 0;
        _ticksInWindow = 0;
        _forecaster.Observe(mean);
        _lastWindowMean = mean;
        _nextWindowForecast = Math.Max(0, _forecaster.Forecast(1));
        _windowsCompleted++;
    }

    /// <summary>
    /// The largest forecast over the windows a replica asked for now would serve, and how many windows
    /// past the last completed one the span ends (1: still the current window).
    /// </summary>
    private (double Forecast, int Steps) ForecastSpan()
    {
        var sinceWindowEnd = _ticksInWindow * _options.ControlInterval;
        var from = sinceWindowEnd + _options.LeadTime;
        var to = from + _options.ControlInterval - TimeSpan.FromTicks(1);
        var firstStep = Math.Max(1, (int)(from / _options.ForecastInterval) + 1);
        var lastStep = Math.Max(firstStep, (int)(to / _options.ForecastInterval) + 1);
        if (_windowsCompleted == 0)
        {
            return (0, lastStep);
        }

        var forecast = 0.0;
        for (var h = firstStep; h <= lastStep; h++)
        {
            forecast = Math.Max(forecast, Math.Max(0, _forecaster.Forecast(h)));
        }

        return (forecast, lastStep);
    }
}

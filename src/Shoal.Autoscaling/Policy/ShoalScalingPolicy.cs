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
/// forecaster could not see it coming, so the policy extrapolates the jump since the last window over
/// the lead time rather than wait for the forecaster to catch up.
/// </para>
/// <para>
/// Up at once. Down only to the highest recommendation of the stabilisation window, computed with an
/// extra hysteresis margin, and by at most a few replicas per tick; for a window after a step down, a
/// step back up uses that much less headroom. So noise does not flap the count.
/// </para>
/// </remarks>
public sealed class ShoalScalingPolicy : IScalingPolicy
{
    private readonly ShoalPolicyOptions _options;
    private readonly ICapacityModel _capacity;
    private readonly IForecaster _forecaster;
    private readonly ILogger _logger;
    private readonly ErrorTracker _windowErrors;
    private readonly SpanErrorTracker _spanErrors;
    private readonly RecommendationWindow _downWindow;
    private readonly int _ticksPerWindow;
    private int _ticksInWindow;
    private double _windowSum;
    private double _lastWindowMean;
    private double _nextWindowForecast;
    private long _windowsCompleted;
    private DateTimeOffset? _lastScaleDown;

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
        _windowErrors = new ErrorTracker(1, Math.Max(60, options.ErrorWindow / _ticksPerWindow));
        var delay = 1 + (int)Math.Ceiling(options.LeadTime / options.ControlInterval);
        _spanErrors = new SpanErrorTracker(delay, 1, horizons, options.ErrorWindow);
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
        Accumulate(load);
        _spanErrors.Observe(load);
        var (modelForecast, bucket) = ForecastSpan();
        var surge = SurgeProjection(load);
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
        _downWindow.Add(input.Now, forDown);

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
        _windowErrors.Score(_windowsCompleted, mean);
        _forecaster.Observe(mean);
        _lastWindowMean = mean;
        _nextWindowForecast = Math.Max(0, _forecaster.Forecast(1));
        _windowErrors.Remember(_windowsCompleted + 1, 1, _nextWindowForecast);
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

    /// <summary>
    /// When the load now is outside the forecast's prediction interval for the current window (a surge
    /// the forecaster did not see coming), assume the jump since the last window goes on at the same
    /// pace until the replicas asked for now are ready; 0 otherwise.
    /// </summary>
    private double SurgeProjection(double load)
    {
        if (_windowsCompleted < 2 || load <= _lastWindowMean)
        {
            return 0;
        }

        var expected = _nextWindowForecast * (1 + WindowHeadroom());
        if (load <= expected)
        {
            return 0;
        }

        var windowsAhead = (_options.LeadTime + _options.ControlInterval) / _options.ForecastInterval;
        return load + ((load - _lastWindowMean) * windowsAhead);
    }

    /// <summary>The headroom for predictions ending <paramref name="steps"/> windows ahead: a high quantile of their recent errors.</summary>
    private double Headroom(int steps)
    {
        if (_spanErrors.Count(steps) < _options.MinErrorSamples)
        {
            return _options.InitialHeadroom;
        }

        return Math.Clamp(_spanErrors.Quantile(steps, _options.HeadroomQuantile), _options.MinHeadroom, _options.MaxHeadroom);
    }

    /// <summary>The upper edge of the one-window-ahead prediction interval, as a fraction of the forecast.</summary>
    private double WindowHeadroom()
    {
        if (_windowErrors.ErrorCount(1) < _options.MinErrorSamples)
        {
            return _options.InitialHeadroom;
        }

        return Math.Max(_options.MinHeadroom, _windowErrors.Quantile(1, _options.HeadroomQuantile));
    }
}

using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Shoal.Autoscaling.Capacity;
using Shoal.Autoscaling.Forecasting;
using Shoal.Autoscaling.Internal;
using Shoal.Autoscaling.Policy.Internal;

namespace Shoal.Autoscaling.Policy;

/// <summary>
/// Shoal's predictive policy: replicas for a quantile of the forecast distribution of the load that
/// replicas asked for now will serve.
/// </summary>
/// <remarks>
/// <para>
/// The load is averaged over forecast windows and fed to the forecaster (by default a
/// <see cref="SeasonalEnsembleForecaster"/>). A replica asked for now serves from now + lead time until
/// the replica asked for at the next tick is ready: the policy forecasts the load of that tick (using the
/// part of the current window already seen) and provisions for the <see cref="ShoalPolicyOptions.Quantile"/>
/// of its distribution: need = ceil(quantile / capacity).
/// </para>
/// <para>
/// The distribution comes from the forecaster's own recent errors at that horizon (online conformal
/// calibration, <c>Calibration</c>): when the tick arrives its relative error is recorded, and the quantile of
/// the errors of the last <see cref="ShoalPolicyOptions.ErrorWindow"/> widens or narrows the forecast. After
/// a surprise (the load far above the forecast for its window) the errors that followed past surprises, in
/// units of the jump, decide whether to provision for the jump going on, holding, or fading. Only a surprise
/// above the upper end provisioned for its tick is answered so: one inside it was already provisioned for, and
/// answering it costs a scale-up and the scale-in that undoes it when it was noise.
/// </para>
/// <para>
/// A growth bound stands beside it: the load now times the quantile of how much the load grew over a lead time
/// in the last <see cref="ShoalPolicyOptions.GrowthMemory"/> (a persistence forecast calibrated multiplicatively,
/// what the HPA's fixed target approximates). The upper end is raised to it only while the raised upper end has
/// scored the lower pinball loss at the knob's quantile, so steps without a season are covered where they occur
/// and the seasonal forecast keeps its lead where it sees them coming.
/// </para>
/// <para>
/// Hysteresis from the same distribution: its spread (quantile − forecast) is the unit. The count goes up
/// when the need exceeds it, to half a spread above the need; it goes down only when it has been more than
/// one and a half spreads above the need at every tick of the stabilisation window, to the highest count
/// planned in that window. Noise inside the forecast's own spread moves nothing, and the band is wide when
/// the load is hard to predict and narrow when it is not.
/// </para>
/// </remarks>
public sealed partial class ShoalScalingPolicy : IScalingPolicy
{
    /// <summary>How far above the need a scale-up goes, in spreads of the forecast distribution.</summary>
    internal const double UpStep = 0.5;

    /// <summary>How far above the need the count must be before it scales in, in spreads.</summary>
    internal const double DownGap = 1.5;

    private readonly ShoalPolicyOptions _options;
    private readonly ICapacityModel _capacity;
    private readonly IForecaster _forecaster;
    private readonly SeasonalEnsembleForecaster? _seasonal;
    private readonly ILogger _logger;
    private readonly StabilisationWindow _downWindow;
    private readonly int _ticksPerWindow;
    private readonly int _delay;
    private readonly double[] _recentLoads;
    private readonly Queue<Pending> _pending = new();
    private readonly Calibration _errors;
    private readonly SurpriseDetector _surprises;
    private readonly GrowthBound? _growth;
    private readonly double[] _calibratedUppers;
    private readonly double[] _provisioned;
    private readonly double[] _combinedUppers;
    private readonly double _scoreAlpha;
    private double _calibratedScore;
    private double _combinedScore;
    private long _tick;
    private int _ticksInWindow;
    private double _windowSum;
    private double _expectedWindow;
    private double _lastWindow;
    private double[] _windowForecasts = [];

    /// <summary>Creates the policy.</summary>
    /// <param name="options">The settings.</param>
    /// <param name="capacity">The capacity model.</param>
    /// <param name="forecaster">The forecaster over forecast windows; null for the default <see cref="SeasonalEnsembleForecaster"/>.</param>
    /// <param name="logger">Where decisions are logged.</param>
    public ShoalScalingPolicy(ShoalPolicyOptions options, ICapacityModel capacity, IForecaster? forecaster = null, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _options = options;
        _capacity = capacity ?? throw new ArgumentNullException(nameof(capacity));
        _logger = logger ?? NullLogger.Instance;
        _ticksPerWindow = Math.Max(1, (int)Math.Round(options.ForecastInterval / options.ControlInterval));
        // A decision at the end of tick n is served by its replicas from tick n + delay on.
        _delay = 1 + (int)Math.Ceiling((options.LeadTime / options.ControlInterval) - 1e-9);
        _recentLoads = new double[_delay + 1];
        _forecaster = forecaster ?? new SeasonalEnsembleForecaster(new SeasonalEnsembleOptions
        {
            SampleInterval = options.ControlInterval * _ticksPerWindow,
            MaxPeriod = options.MaxSeason,
            ErrorHorizon = Math.Max(1, (int)Math.Ceiling((double)_delay / _ticksPerWindow)),
        });
        _seasonal = _forecaster as SeasonalEnsembleForecaster;
        var perPhase = Math.Max(ConformalQuantile.TailCount * 2, (int)(options.ErrorWindow / options.ControlInterval / _ticksPerWindow));
        _errors = new Calibration(_ticksPerWindow, perPhase);
        _surprises = new SurpriseDetector(_ticksPerWindow);
        var growthTicks = (int)(options.GrowthMemory / options.ControlInterval);
        _growth = growthTicks > 0 ? new GrowthBound(growthTicks) : null;
        _calibratedUppers = new double[_delay + 1];
        _provisioned = new double[_delay + 1];
        _combinedUppers = new double[_delay + 1];
        _scoreAlpha = 1.0 / Math.Max(1, growthTicks);
        // A scale-in must never undo what the decisions of the last lead time asked for: their replicas
        // cover the ticks before a replica asked for now could be ready.
        var window = options.ScaleDownStabilisation > options.LeadTime + options.ControlInterval ? options.ScaleDownStabilisation : options.LeadTime + options.ControlInterval;
        _downWindow = new StabilisationWindow(window);
    }

    /// <inheritdoc/>
    public string Name => "shoal";

    /// <summary>Gets the forecaster in use.</summary>
    public IForecaster Forecaster => _forecaster;

    /// <inheritdoc/>
    public ScalingDecision Decide(ScalingInput input)
    {
        var load = Math.Max(0, double.IsFinite(input.RequestsPerSecond) ? input.RequestsPerSecond : 0);
        var n = _tick++;
        _recentLoads[n % _recentLoads.Length] = load;
        Resolve(n);
        var phase = (int)(n % _ticksPerWindow);
        var seen = (_windowSum + load) / (_ticksInWindow + 1);
        // What the calibrated quantile provisioned for this tick a lead time ago (written at n - delay).
        var provisioned = _provisioned[n % _provisioned.Length];
        var surprise = _forecaster.Count > 0 ? _surprises.Observe(phase, seen, _expectedWindow) : null;
        Accumulate(load);

        var forecast = ForecastServedTick(n);
        var ordinary = _errors.Upper(phase, forecast, null, _options.Risk, _options.UncalibratedMargin);
        _provisioned[(n + _delay) % _provisioned.Length] = ordinary;
        // Every outlier teaches the calibration what outliers do; only one the upper end provisioned for this tick
        // missed is answered. One inside it is noise the distribution already covers: answering it as a jump that
        // may go on is a scale-up that the scale-in undoes a stabilisation window later when it reverts.
        var answered = load > provisioned ? surprise : null;
        var calibrated = answered is null ? ordinary : _errors.Upper(phase, forecast, answered, _options.Risk, _options.UncalibratedMargin);
        var upper = Bounded(n, load, calibrated, EnvelopeServedTick(n));
        _pending.Enqueue(new Pending(n + _delay, forecast, phase, surprise));
        if (answered is { } jumped)
        {
            // After a surprise the forecaster's own number is not the centre of what the policy expects.
            forecast = Math.Max(forecast, _errors.Centre(jumped));
        }

        var capacity = _capacity.RequestsPerSecondPerInstance;
        var needed = Clamp(Replicas(upper, capacity));
        var spread = Math.Max(0, upper - forecast);
        var planned = Clamp(Replicas(upper + (UpStep * spread), capacity));
        _downWindow.Add(input.Now, planned, Replicas(upper + (DownGap * spread), capacity));

        var current = input.CurrentReplicas;
        int desired;
        ScalingReason reason;
        if (needed > current)
        {
            desired = planned;
            reason = forecast > load ? ScalingReason.ScaleUpForecast : ScalingReason.ScaleUpCurrentLoad;
        }
        else if (current > _downWindow.MaxBand && Math.Max(_downWindow.MaxPlanned, needed) < current)
        {
            desired = Math.Max(_downWindow.MaxPlanned, needed);
            reason = ScalingReason.ScaleDownStabilised;
        }
        else
        {
            desired = current;
            reason = needed < current ? ScalingReason.HoldStabilising : ScalingReason.Hold;
        }

        desired = Clamp(desired);
        var margin = forecast > 0 ? (upper / forecast) - 1 : 0;
        var decision = new ScalingDecision(input.Now, Name, load, forecast, margin, capacity, current, needed, desired, reason) { Upper = upper };
        AutoscalingLog.Decision(_logger, decision);
        return decision;
    }

    /// <summary>
    /// The calibrated upper end raised to the growth bound (the load now times the quantile of its growth over a
    /// lead time), while the raised one has scored the lower pinball loss at the knob's quantile over the
    /// growth memory: the persistence bound where the forecast misses steps it cannot see, the forecast alone
    /// where it sees them coming. The forecaster's envelope of a wandering schedule joins the raised one, under
    /// the same test.
    /// </summary>
    private double Bounded(long n, double load, double calibrated, double envelope)
    {
        if (_growth is null)
        {
            return calibrated;
        }

        var slots = _calibratedUppers.Length;
        if (n >= _delay)
        {
            var before = _recentLoads[(n - _delay) % _recentLoads.Length];
            _growth.Add(load, before);
            var at = (int)((n - _delay) % slots);
            _calibratedScore += _scoreAlpha * (Pinball(_calibratedUppers[at], load) - _calibratedScore);
            _combinedScore += _scoreAlpha * (Pinball(_combinedUppers[at], load) - _combinedScore);
        }

        var ratio = _growth.Upper(_options.Risk);
        var combined = double.IsNaN(ratio) ? calibrated : Math.Max(calibrated, load * ratio);
        // A schedule whose starts wander is covered over the window its starts were seen in, under the same
        // test as the growth bound: only while that scores better at the knob's quantile.
        combined = double.IsNaN(envelope) ? combined : Math.Max(combined, envelope);
        _calibratedUppers[n % slots] = calibrated;
        _combinedUppers[n % slots] = combined;
        return _combinedScore < _calibratedScore ? combined : calibrated;
    }

    /// <summary>The pinball loss of an upper end at the knob's quantile: what it cost over, or cost under, the load.</summary>
    private double Pinball(double upper, double actual) =>
        actual > upper ? _options.Quantile * (actual - upper) : _options.Risk * (upper - actual);

    private static int Replicas(double load, double capacity) => (int)Math.Ceiling((load / capacity) - 1e-9);

    private int Clamp(int replicas) => Math.Clamp(replicas, _options.MinReplicas, _options.MaxReplicas);

    private void Accumulate(double load)
    {
        _windowSum += load;
        _ticksInWindow++;
        if (_ticksInWindow < _ticksPerWindow)
        {
            return;
        }

        _lastWindow = _windowSum / _ticksInWindow;
        _forecaster.Observe(_lastWindow);
        _expectedWindow = Math.Max(0, _forecaster.Forecast(1));
        _windowSum = 0;
        _ticksInWindow = 0;
    }

    /// <summary>Scores the predictions whose tick was <paramref name="n"/>.</summary>
    private void Resolve(long n)
    {
        while (_pending.Count > 0 && _pending.Peek().Served <= n)
        {
            var p = _pending.Dequeue();
            _errors.Add(p.Phase, _recentLoads[p.Served % _recentLoads.Length], p.Forecast, p.Surprise);
        }
    }

    /// <summary>The forecaster's envelope of wandering schedules for the window of the tick served (NaN: none).</summary>
    private double EnvelopeServedTick(long now)
    {
        var steps = (int)(((now + _delay) / _ticksPerWindow) - (now / _ticksPerWindow));
        if (steps == 0 || _seasonal is null || _forecaster.Count == 0)
        {
            return double.NaN;
        }

        return _seasonal.Envelope(steps, _ticksInWindow == 0 ? double.NaN : _windowSum / _ticksInWindow);
    }

    /// <summary>
    /// The forecast, decided at the end of tick <paramref name="now"/> (its window already accumulated), for the
    /// tick its replicas will serve first: from the mean seen so far of the current window when it is not complete.
    /// </summary>
    private double ForecastServedTick(long now)
    {
        var steps = (int)(((now + _delay) / _ticksPerWindow) - (now / _ticksPerWindow));
        var partial = _ticksInWindow == 0 ? double.NaN : _windowSum / _ticksInWindow;
        if (steps == 0)
        {
            return double.IsNaN(partial) ? _lastWindow : partial;
        }

        if (_forecaster.Count == 0)
        {
            return double.IsNaN(partial) ? 0 : partial;
        }

        if (_seasonal is not null)
        {
            return _seasonal.Forecast(steps, partial);
        }

        // A forecaster that cannot take a provisional sample forecasts from the last window it saw.
        return Math.Max(0, _forecaster.Forecast(steps + (double.IsNaN(partial) ? 0 : 1)));
    }

    /// <summary>A prediction waiting for the tick it was made for.</summary>
    private readonly record struct Pending(long Served, double Forecast, int Phase, Surprise? Surprise);
}

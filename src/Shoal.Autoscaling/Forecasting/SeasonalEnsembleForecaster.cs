using Shoal.Autoscaling.Forecasting.Internal;

namespace Shoal.Autoscaling.Forecasting;

/// <summary>
/// A robust forecaster for request rates with several seasons at once: a non-seasonal member (a damped
/// trend that ignores outliers and re-levels at a change point) and one seasonal member per period (the
/// calendar hour, day and week, and up to two periods found by autocorrelation), weighed by the inverse of
/// their recent squared errors.
/// </summary>
/// <remarks>
/// <para>
/// A seasonal member forecasts a sample from the same phase of the last few cycles, each scaled by the
/// level now against the level then, and takes their median: a season is used from its first complete
/// cycle, a one-off event in one cycle does not carry into the next, and a permanent shift of the level
/// carries over to the seasonal forecast within a few samples. A period only matters if it forecasts
/// well: its weight comes from its own errors at the caller's horizon, so a period that is not in the data
/// fades out by itself.
/// </para>
/// <para>
/// <see cref="Forecast(int, double)"/> takes the mean of a window still in progress as a provisional latest
/// sample, so a controller that decides several times per window uses what it already saw of it.
/// </para>
/// <para>
/// <see cref="Envelope(int, double)"/> is the upper side of a detected period whose rises wander from cycle to
/// cycle (a batch schedule with jittered starts, <see cref="OnsetJitter"/>): each cycle's highest value within
/// the observed jitter of the phase, so a start that comes early is still covered.
/// </para>
/// <para>
/// Cost per sample: O(members × (cycles × anchor + 1)); period detection (O(history × lags) over at most
/// four of the longest detected period) runs once per that period; a detected period's jitter, O(period ×
/// 12 shifts) once per cycle, O(12) per sample amortised; the envelope, O(cycles × anchor × width) per call.
/// Memory: cycles × the longest period of samples, plus the detector's four detected periods, plus four
/// shifts per detected period.
/// </para>
/// </remarks>
public sealed class SeasonalEnsembleForecaster : IForecaster
{
    private const int MaxDetected = 2;
    private const int TrendMembers = 2;
    // The widest jitter of a detected period's rises looked for, in samples (a schedule's starts wandering
    // more than this are not a schedule the analog can place).
    private const int MaxJitter = 12;
    private readonly SeasonalEnsembleOptions _options;
    private readonly SampleHistory _history;
    private readonly List<SeasonalAnalog> _analogs = [];
    private readonly List<MemberScore> _scores = [];
    private readonly PeriodDetector? _detector;
    private readonly int _detectEvery;
    private readonly int _calendar;
    private readonly double _errorSmoothing;
    // Two non-seasonal members: a slow one that holds a level through noise, and a fast one that follows a
    // climb within a few samples; the errors decide which one the forecast leans on.
    private RobustTrend _slow = new(0.3, 0.1, 0.9);
    private RobustTrend _fast = new(0.6, 0.3, 0.95);

    /// <summary>Creates the forecaster.</summary>
    /// <param name="options">The settings; null for the defaults.</param>
    public SeasonalEnsembleForecaster(SeasonalEnsembleOptions? options = null)
    {
        _options = options ?? new SeasonalEnsembleOptions();
        _options.Validate();
        var longest = Samples(_options.MaxPeriod);
        foreach (var period in _options.Periods.Select(Samples).Where(p => p >= 4 && p <= longest).Distinct().Order())
        {
            _analogs.Add(new SeasonalAnalog(period, _options.Cycles, _options.Anchor));
        }

        _calendar = _analogs.Count;
        var detectable = Math.Min(Samples(_options.MaxDetectedPeriod), Math.Max(longest, 0));
        if (detectable >= 8)
        {
            _detector = new PeriodDetector(4, detectable, 0.3);
            _detectEvery = Math.Max(4, detectable);
        }

        var held = Math.Max(_analogs.Count == 0 ? 0 : _analogs.Max(a => a.Period), detectable) * _options.Cycles;
        _history = new SampleHistory(held + _options.Anchor + 1);
        _errorSmoothing = 1 / Math.Max(1.0, _options.ErrorMemory / _options.SampleInterval);
        for (var i = 0; i < _analogs.Count + TrendMembers; i++)
        {
            _scores.Add(new MemberScore(_options.ErrorHorizon));
        }
    }

    /// <inheritdoc/>
    public string Name => "seasonal-ensemble";

    /// <inheritdoc/>
    public long Count => _history.Count;

    /// <summary>Gets the seasonal periods in use, in samples (calendar first, then detected).</summary>
    public IReadOnlyList<int> Periods => [.. _analogs.Select(a => a.Period)];

    /// <summary>Gets the current normalised weights: the slow and the fast trend member first, then one per period of <see cref="Periods"/>.</summary>
    public IReadOnlyList<double> Weights
    {
        get
        {
            var view = new SampleView(_history, null);
            Span<double> forecasts = stackalloc double[_scores.Count];
            Span<double> weights = stackalloc double[_scores.Count];
            Members(view, _slow, _fast, 1, forecasts);
            FillWeights(forecasts, weights);
            return weights.ToArray();
        }
    }

    /// <inheritdoc/>
    public void Observe(double value)
    {
        if (!double.IsFinite(value))
        {
            return;
        }

        value = Math.Max(0, value);
        var norm = Math.Max(_slow.Level, _slow.Scale);
        foreach (var score in _scores)
        {
            score.Score(value, norm, _errorSmoothing);
        }

        _history.Add(value);
        _slow.Observe(value);
        _fast.Observe(value);
        _detector?.Add(value);
        if (_detector is not null && _history.Count % _detectEvery == 0)
        {
            Detect();
        }

        for (var i = _calendar; i < _analogs.Count; i++)
        {
            if (_history.Count % _analogs[i].Period == 0)
            {
                _analogs[i].Jitter?.Observe(new SampleView(_history, null), _history.Count - 1);
            }
        }

        Span<double> forecasts = stackalloc double[_scores.Count];
        Members(new SampleView(_history, null), _slow, _fast, _options.ErrorHorizon, forecasts);
        for (var i = 0; i < _scores.Count; i++)
        {
            _scores[i].Remember(forecasts[i]);
        }
    }

    /// <inheritdoc/>
    public double Forecast(int stepsAhead) => Forecast(stepsAhead, double.NaN);

    /// <summary>
    /// Forecasts as if <paramref name="provisional"/> (the mean so far of a window still in progress) were
    /// the latest sample; nothing is learnt from it.
    /// </summary>
    /// <param name="stepsAhead">Samples after the provisional one; at least 1.</param>
    /// <param name="provisional">The provisional latest sample.</param>
    /// <returns>The forecast.</returns>
    public double Forecast(int stepsAhead, double provisional)
    {
        Span<double> one = stackalloc double[1];
        Forecast(stepsAhead, stepsAhead, provisional, one);
        return one[0];
    }

    /// <summary>
    /// Forecasts <paramref name="first"/> to <paramref name="last"/> samples ahead at once (cheaper than one
    /// call per step), optionally after a provisional latest sample (NaN for none).
    /// </summary>
    /// <param name="first">The first horizon, at least 1.</param>
    /// <param name="last">The last horizon.</param>
    /// <param name="provisional">The mean so far of a window in progress, or NaN.</param>
    /// <param name="output">Receives last − first + 1 forecasts.</param>
    public void Forecast(int first, int last, double provisional, Span<double> output)
    {
        ForecastGuard.Steps(first);
        ArgumentOutOfRangeException.ThrowIfLessThan(last, first);
        var hasProvisional = double.IsFinite(provisional);
        var (slow, fast) = (_slow, _fast);
        if (hasProvisional)
        {
            slow.Observe(Math.Max(0, provisional));
            fast.Observe(Math.Max(0, provisional));
        }

        var view = new SampleView(_history, hasProvisional ? Math.Max(0, provisional) : null);
        if (_history.Count == 0)
        {
            output[..(last - first + 1)].Fill(hasProvisional ? Math.Max(0, provisional) : 0);
            return;
        }

        var members = _scores.Count;
        var count = last - first + 1;
        Span<double> forecasts = stackalloc double[members * count];
        Span<double> weights = stackalloc double[members];
        Span<double> atHorizon = stackalloc double[members];
        for (var s = 0; s < count; s++)
        {
            forecasts[s * members] = slow.Forecast(first + s);
            forecasts[(s * members) + 1] = fast.Forecast(first + s);
        }

        var floor = RatioFloor(slow);
        Span<double> column = stackalloc double[count];
        for (var i = 0; i < _analogs.Count; i++)
        {
            _analogs[i].Forecast(view, first, last, floor, 0, column);
            for (var s = 0; s < count; s++)
            {
                forecasts[(s * members) + i + TrendMembers] = column[s];
            }
        }

        for (var i = 0; i < members; i++)
        {
            atHorizon[i] = forecasts[i];
        }

        FillWeights(atHorizon, weights);
        for (var s = 0; s < count; s++)
        {
            var sum = 0.0;
            var total = 0.0;
            for (var i = 0; i < members; i++)
            {
                var f = forecasts[(s * members) + i];
                if (weights[i] > 0 && !double.IsNaN(f))
                {
                    sum += weights[i] * f;
                    total += weights[i];
                }
            }

            output[s] = Math.Max(0, total > 0 ? sum / total : forecasts[s * members]);
        }
    }

    /// <summary>
    /// The envelope of the schedules found in the data whose starts wander: for each detected period whose rises
    /// moved from cycle to cycle, the seasonal forecast <paramref name="stepsAhead"/> samples ahead with each
    /// cycle's highest value within the observed jitter of the phase, and the highest of those; NaN when no
    /// detected period has a jitter. A point forecast places a wandering start at one sample and misses it when
    /// it comes earlier; the envelope covers the window it could come in, and the caller decides when that is
    /// worth its cost.
    /// </summary>
    /// <param name="stepsAhead">Samples after the provisional one; at least 1.</param>
    /// <param name="provisional">The mean so far of a window in progress, or NaN.</param>
    /// <returns>The envelope, or NaN.</returns>
    public double Envelope(int stepsAhead, double provisional)
    {
        ForecastGuard.Steps(stepsAhead);
        var hasProvisional = double.IsFinite(provisional);
        var view = new SampleView(_history, hasProvisional ? Math.Max(0, provisional) : null);
        var floor = RatioFloor(_slow);
        var envelope = double.NaN;
        Span<double> one = stackalloc double[1];
        for (var i = _calendar; i < _analogs.Count && _history.Count > 0; i++)
        {
            if (_analogs[i].Jitter is { Width: > 0 } jitter)
            {
                _analogs[i].Forecast(view, stepsAhead, stepsAhead, floor, jitter.Width, one);
                envelope = double.IsNaN(envelope) ? one[0] : Math.Max(envelope, one[0]);
            }
        }

        return envelope;
    }

    /// <summary>Ratios of near-zero samples mean nothing: below a hundredth of the level they count as that.</summary>
    private static double RatioFloor(RobustTrend slow) => Math.Max(1e-9, 0.01 * slow.Level);

    private void Members(SampleView view, RobustTrend slow, RobustTrend fast, int steps, Span<double> forecasts)
    {
        forecasts[0] = slow.Forecast(steps);
        forecasts[1] = fast.Forecast(steps);
        var floor = RatioFloor(slow);
        for (var i = 0; i < _analogs.Count; i++)
        {
            forecasts[i + TrendMembers] = _analogs[i].Forecast(view, steps, floor);
        }
    }

    /// <summary>Inverse mean squared error; a member without a forecast weighs nothing, one without a score yet as much as the worst scored one.</summary>
    private void FillWeights(ReadOnlySpan<double> forecasts, Span<double> weights)
    {
        var worst = 0.0;
        var anyScored = false;
        for (var i = 0; i < _scores.Count; i++)
        {
            if (_scores[i].HasError)
            {
                worst = Math.Max(worst, _scores[i].Error);
                anyScored = true;
            }
        }

        var total = 0.0;
        for (var i = 0; i < weights.Length; i++)
        {
            if (double.IsNaN(forecasts[i]))
            {
                weights[i] = 0;
                continue;
            }

            var error = _scores[i].HasError ? _scores[i].Error : worst;
            weights[i] = anyScored ? 1 / (error + 1e-6) : 1;
            total += weights[i];
        }

        for (var i = 0; i < weights.Length; i++)
        {
            weights[i] = total > 0 ? weights[i] / total : (i < TrendMembers ? 1.0 / TrendMembers : 0);
        }
    }

    private void Detect()
    {
        if (_detector!.Detect() is not { } period || _analogs.Any(a => Math.Abs(a.Period - period) <= Math.Max(1, a.Period / 50)))
        {
            return;
        }

        if (_analogs.Count - _calendar >= MaxDetected)
        {
            // The oldest detected period gives way to the new one.
            _analogs.RemoveAt(_calendar);
            _scores.RemoveAt(_calendar + TrendMembers);
        }

        // A period found in the data may be a schedule whose starts wander: the jitter of its rises is learnt
        // from the cycles already held, then once per cycle.
        var jitter = new OnsetJitter(period, Math.Clamp(period / 8, 1, MaxJitter));
        var view = new SampleView(_history, null);
        for (var back = _options.Cycles - 1; back >= 0; back--)
        {
            jitter.Observe(view, _history.Count - 1 - ((long)back * period));
        }

        _analogs.Add(new SeasonalAnalog(period, _options.Cycles, _options.Anchor, jitter));
        _scores.Add(new MemberScore(_options.ErrorHorizon));
    }

    private int Samples(TimeSpan span) => (int)Math.Round(span / _options.SampleInterval);

    /// <summary>
    /// One member's forecasts awaiting their sample (a ring over the horizon) and its smoothed squared
    /// relative error, bias-corrected so that a member that joins late is judged on the samples it has.
    /// </summary>
    private sealed class MemberScore(int horizon)
    {
        private readonly double[] _pending = Enumerable.Repeat(double.NaN, horizon).ToArray();
        private long _made;
        private double _sum;
        private double _weight;

        public double Error => _sum / _weight;

        public bool HasError => _weight > 0;

        public void Score(double actual, double norm, double smoothing)
        {
            if (_made < _pending.Length)
            {
                return;
            }

            var predicted = _pending[_made % _pending.Length];
            if (double.IsNaN(predicted))
            {
                return;
            }

            var relative = (actual - predicted) / Math.Max(norm, 1e-9);
            _sum = ((1 - smoothing) * _sum) + (smoothing * relative * relative);
            _weight = ((1 - smoothing) * _weight) + smoothing;
        }

        public void Remember(double forecast)
        {
            _pending[_made % _pending.Length] = forecast;
            _made++;
        }
    }
}

using Shoal.Autoscaling.Forecasting.Internal;

namespace Shoal.Autoscaling.Forecasting;

/// <summary>
/// Combines several forecasters, weighing each by the inverse square of its recent error.
/// </summary>
/// <remarks>
/// For every member the ensemble remembers the forecast it made <c>errorHorizon</c> samples before the
/// current one, so the error that drives the weights is measured at the horizon the caller cares about.
/// The error is exponentially smoothed (<c>errorSmoothing</c>), so a member that was good lately
/// dominates, and one bad sample (a spike) moves the weights only for a few samples. Until every member
/// has an error the weights are equal.
/// </remarks>
public sealed class EnsembleForecaster : IForecaster
{
    private readonly IForecaster[] _members;
    private readonly MemberError[] _errors;
    private readonly double _errorSmoothing;

    /// <summary>Creates the ensemble.</summary>
    /// <param name="members">The forecasters to combine (at least one).</param>
    /// <param name="errorHorizon">The horizon, in samples, at which member errors are measured.</param>
    /// <param name="errorSmoothing">The EWMA factor of the error in (0, 1].</param>
    public EnsembleForecaster(IEnumerable<IForecaster> members, int errorHorizon = 1, double errorSmoothing = 0.1)
    {
        ArgumentNullException.ThrowIfNull(members);
        _members = members.ToArray();
        if (_members.Length == 0)
        {
            throw new ArgumentException("An ensemble needs at least one member.", nameof(members));
        }

        ForecastGuard.Steps(errorHorizon);
        ForecastGuard.Fraction(errorSmoothing, nameof(errorSmoothing));
        _errorSmoothing = errorSmoothing;
        _errors = _members.Select(_ => new MemberError(errorHorizon)).ToArray();
    }

    /// <summary>
    /// Creates the default ensemble: EWMA, damped Holt and additive Holt-Winters (detected period), with
    /// errors smoothed at 0.3 so the weights follow a change of regime within a few samples.
    /// </summary>
    /// <param name="errorHorizon">The horizon, in samples, at which member errors are measured.</param>
    /// <param name="maxPeriod">The longest season, in samples, that Holt-Winters looks for.</param>
    /// <returns>The ensemble.</returns>
    public static EnsembleForecaster CreateDefault(int errorHorizon = 1, int maxPeriod = 1440) =>
        new(
            [
                new EwmaForecaster(0.5),
                new HoltForecaster(0.5, 0.3, 0.9),
                new HoltWintersForecaster(new HoltWintersOptions { MaxPeriod = Math.Max(8, maxPeriod), MinPeriod = Math.Max(4, maxPeriod / 48) }),
            ],
            errorHorizon,
            errorSmoothing: 0.3);

    /// <inheritdoc/>
    public string Name => "ensemble";

    /// <inheritdoc/>
    public long Count { get; private set; }

    /// <summary>Gets the members in the order they were given.</summary>
    public IReadOnlyList<IForecaster> Members => _members;

    /// <summary>Gets the current normalised weight of each member, in member order.</summary>
    public IReadOnlyList<double> Weights
    {
        get
        {
            var weights = new double[_members.Length];
            FillWeights(weights);
            return weights;
        }
    }

    /// <inheritdoc/>
    public void Observe(double value)
    {
        if (!double.IsFinite(value))
        {
            return;
        }

        for (var i = 0; i < _members.Length; i++)
        {
            _errors[i].Score(value, _errorSmoothing);
            _members[i].Observe(value);
            _errors[i].Remember(_members[i]);
        }

        Count++;
    }

    /// <inheritdoc/>
    public double Forecast(int stepsAhead)
    {
        ForecastGuard.Steps(stepsAhead);
        Span<double> weights = stackalloc double[_members.Length];
        FillWeights(weights);
        var sum = 0.0;
        for (var i = 0; i < _members.Length; i++)
        {
            sum += weights[i] * _members[i].Forecast(stepsAhead);
        }

        return sum;
    }

    private void FillWeights(Span<double> weights)
    {
        var allScored = _errors.All(e => e.HasError);
        var total = 0.0;
        for (var i = 0; i < weights.Length; i++)
        {
            var error = _errors[i].Error;
            weights[i] = allScored ? 1 / ((error * error) + 1e-9) : 1;
            total += weights[i];
        }

        for (var i = 0; i < weights.Length; i++)
        {
            weights[i] /= total;
        }
    }

    /// <summary>One member's pending forecasts (a ring over the horizon) and its smoothed error.</summary>
    private sealed class MemberError(int horizon)
    {
        private readonly double[] _pending = new double[horizon];
        private long _made;
        private long _scored;

        public double Error { get; private set; }

        public bool HasError => _scored > 0;

        public void Score(double actual, double smoothing)
        {
            // The forecast for this sample was made `horizon` samples ago, once that many exist.
            if (_made < _pending.Length)
            {
                return;
            }

            var predicted = _pending[_made % _pending.Length];
            var error = Math.Abs(actual - predicted);
            Error = _scored == 0 ? error : (smoothing * error) + ((1 - smoothing) * Error);
            _scored++;
        }

        public void Remember(IForecaster member)
        {
            _pending[_made % _pending.Length] = member.Forecast(_pending.Length);
            _made++;
        }
    }
}

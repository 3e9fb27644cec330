namespace Shoal.Autoscaling.Capacity;

/// <summary>
/// Learns the capacity per instance from observed (throughput, p99) pairs.
/// </summary>
/// <remarks>
/// The estimate follows the highest throughput seen with p99 within the objective: a healthy
/// observation above the estimate pulls it up (smoothed, so one lucky window does not move it far);
/// an observation that broke the objective at a throughput below the estimate proves the estimate too
/// high and pulls it down toward that throughput. Until <c>MinObservations</c> healthy observations
/// exist the conservative default stands in.
/// </remarks>
public sealed class LearnedCapacityModel : ICapacityModel
{
    private readonly LearnedCapacityOptions _options;
    private readonly object _gate = new();
    private double _estimate;
    private int _healthy;

    /// <summary>Creates the model.</summary>
    /// <param name="options">The settings; null for the defaults.</param>
    public LearnedCapacityModel(LearnedCapacityOptions? options = null)
    {
        _options = options ?? new LearnedCapacityOptions();
        if (!(_options.DefaultRequestsPerSecond > 0))
        {
            throw new ArgumentOutOfRangeException(nameof(options), "DefaultRequestsPerSecond must be positive.");
        }
    }

    /// <summary>Gets the number of healthy observations so far.</summary>
    public int HealthyObservations
    {
        get
        {
            lock (_gate)
            {
                return _healthy;
            }
        }
    }

    /// <inheritdoc/>
    public double RequestsPerSecondPerInstance
    {
        get
        {
            lock (_gate)
            {
                return _healthy >= _options.MinObservations && _estimate > 0 ? _estimate : _options.DefaultRequestsPerSecond;
            }
        }
    }

    /// <inheritdoc/>
    public void Observe(double requestsPerSecondPerInstance, TimeSpan p99)
    {
        if (!double.IsFinite(requestsPerSecondPerInstance) || requestsPerSecondPerInstance <= 0)
        {
            return;
        }

        lock (_gate)
        {
            if (p99 <= _options.LatencyObjective)
            {
                _healthy++;
                if (requestsPerSecondPerInstance > _estimate)
                {
                    _estimate = _estimate == 0
                        ? requestsPerSecondPerInstance
                        : _estimate + (_options.Smoothing * (requestsPerSecondPerInstance - _estimate));
                }
            }
            else if (_estimate > 0 && requestsPerSecondPerInstance < _estimate)
            {
                _estimate -= _options.BackoffOnViolation * (_estimate - requestsPerSecondPerInstance);
            }
        }
    }
}

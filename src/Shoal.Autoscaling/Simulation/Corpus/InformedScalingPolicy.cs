using Shoal.Autoscaling.Policy;
using Shoal.Autoscaling.Simulation.Corpus.Internal;

namespace Shoal.Autoscaling.Simulation.Corpus;

/// <summary>
/// A policy told what the generator of a corpus trace knew (<see cref="TraceModel"/>): a yardstick of what
/// forecasting could reach on that trace, not a policy to deploy.
/// </summary>
/// <remarks>
/// <para>
/// Each control tick it provisions, for every minute its decision serves (from now, for the replicas that
/// stay, to one startup and one tick ahead, for the ones it starts), the shape known to it times the
/// noise's quantile at the knob: exp(drift forecast + z × spread), z the standard normal's quantile at a
/// risk of 10^−nines. The drift is estimated from the loads seen so far (<see cref="DriftFilter"/>); the
/// rest of the current minute is the load just seen (a minute's rate is constant). The knob is the same
/// nines as Shoal's, swept the same way, so frontiers compare at equal cost.
/// </para>
/// <para>
/// With the noise independent of the shape, spending a replica-minute where the chance of overload is
/// highest is what lowers late requests most, and a constant quantile over the known shape does exactly
/// that; what it cannot avoid is the noise. <see cref="InformedKnowledge.Oracle"/> also knows every
/// event's onset; <see cref="InformedKnowledge.Prior"/> learns an event when its first minute is seen.
/// </para>
/// </remarks>
public sealed class InformedScalingPolicy : IScalingPolicy
{
    private static readonly TimeSpan Minute = TimeSpan.FromMinutes(1);
    private readonly TraceModel _model;
    private readonly InformedKnowledge _knowledge;
    private readonly SimulationOptions _simulation;
    private readonly double _z;
    private readonly DriftFilter _drift;
    private int _observed = -1;

    /// <summary>Creates the policy.</summary>
    /// <param name="model">What the trace's generator knew.</param>
    /// <param name="knowledge">How much of it the policy is told.</param>
    /// <param name="simulation">The cluster model: capacity, startup (the lead time), control interval, bounds.</param>
    /// <param name="nines">The knob: the quantile 1 − 10^−nines of the noise is provisioned for.</param>
    public InformedScalingPolicy(TraceModel model, InformedKnowledge knowledge, SimulationOptions simulation, double nines)
    {
        _model = model ?? throw new ArgumentNullException(nameof(model));
        _simulation = simulation ?? throw new ArgumentNullException(nameof(simulation));
        simulation.Validate();
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(nines, 0);
        _knowledge = knowledge;
        _z = NormalTail.Quantile(Math.Pow(10, -nines));
        _drift = new DriftFilter(model.DriftMemory, model.DriftSigma, model.MinuteSigma, model.TailDof);
    }

    /// <inheritdoc/>
    public string Name => _knowledge == InformedKnowledge.Oracle ? "oracle" : "prior";

    /// <inheritdoc/>
    public ScalingDecision Decide(ScalingInput input)
    {
        var load = Math.Max(0, double.IsFinite(input.RequestsPerSecond) ? input.RequestsPerSecond : 0);
        var elapsed = input.Now - _model.Origin;
        var observed = (int)Math.Floor((elapsed - _simulation.ControlInterval) / Minute);
        Take(observed, load);

        // The replicas kept serve from now; the ones started now from one startup on, for one tick.
        var first = (int)Math.Floor(elapsed / Minute);
        var last = (int)Math.Floor((elapsed + _simulation.Startup + _simulation.ControlInterval - TimeSpan.FromTicks(1)) / Minute);
        // Past the trace's end there is nothing to provision for: hold what the last minute needed.
        var upper = first >= _model.Minutes ? load : 0.0;
        for (var m = first; m <= last && m < _model.Minutes; m++)
        {
            if (m <= observed)
            {
                upper = Math.Max(upper, load);
                continue;
            }

            var (mean, variance) = _drift.Forecast(m - observed);
            upper = Math.Max(upper, Shape(m, observed) * Math.Exp(mean + (_z * Math.Sqrt(variance))));
        }

        var capacity = _simulation.CapacityPerInstance;
        var desired = Math.Clamp((int)Math.Ceiling((upper / capacity) - 1e-9), _simulation.MinReplicas, _simulation.MaxReplicas);
        var reason = desired > input.CurrentReplicas ? ScalingReason.ScaleUpForecast
            : desired < input.CurrentReplicas ? ScalingReason.ScaleDownStabilised
            : ScalingReason.Hold;
        return new ScalingDecision(input.Now, Name, load, upper, 0, capacity, input.CurrentReplicas, desired, desired, reason) { Upper = upper };
    }

    private double Shape(int minute, int observed) =>
        _knowledge == InformedKnowledge.Oracle ? _model.Rate(minute) : _model.Rate(minute, observed);

    /// <summary>Takes in the minute just seen (once; a minute spans several ticks of the same rate).</summary>
    private void Take(int observed, double load)
    {
        if (observed <= _observed || observed < 0 || observed >= _model.Minutes)
        {
            return;
        }

        while (_observed < observed - 1)
        {
            _drift.Predict();
            _observed++;
        }

        var shape = Shape(observed, observed);
        if (shape > 0 && load > 0)
        {
            _drift.Observe(Math.Log(load / shape));
        }
        else
        {
            _drift.Predict();
        }

        _observed = observed;
    }
}

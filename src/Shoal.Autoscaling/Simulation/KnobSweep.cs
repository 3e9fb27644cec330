using Shoal.Autoscaling.Policy;

namespace Shoal.Autoscaling.Simulation;

/// <summary>How Shoal's policy is swept over its one knob for a frontier.</summary>
/// <param name="Create">Creates a fresh policy for a knob value (policies keep state).</param>
/// <param name="Knobs">The knob values run first.</param>
/// <param name="Default">The default knob: the run whose scale events are compared with HPA-70%'s.</param>
/// <param name="Dearer">The next knob value that costs more, to extend the sweep until it spans HPA-40%'s cost; null when it cannot.</param>
/// <param name="Cheaper">The next knob value that costs less, to extend the sweep down to HPA-90%'s cost; null when it cannot.</param>
public sealed record KnobSweep(
    Func<double, IScalingPolicy> Create,
    IReadOnlyList<double> Knobs,
    double Default,
    Func<double, double>? Dearer = null,
    Func<double, double>? Cheaper = null);

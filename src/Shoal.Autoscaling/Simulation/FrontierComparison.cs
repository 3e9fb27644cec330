using Shoal.Autoscaling.Capacity;
using Shoal.Autoscaling.Policy;

namespace Shoal.Autoscaling.Simulation;

/// <summary>
/// Frontier against frontier at equal cost: Shoal swept over its knob, the HPA and the seasonal-naive
/// baseline swept over their target utilisation, on the same trace and cluster.
/// </summary>
/// <remarks>
/// <para>
/// The cost points are the replica-minutes of HPA at 50, 60, 70 and 80%. At each, every policy's
/// late requests (<see cref="SimulationReport.UnservedRequests"/>) are read off its frontier (its Pareto
/// points, linear between them). frontier ratio = Shoal's late requests summed over the four points / HPA's
/// (0 when both are 0; undefined when Shoal's sweep was never as cheap as a point, or when HPA was never late
/// and Shoal was). flapping ratio = Shoal's scale events at its default knob / HPA-70%'s.
/// </para>
/// <para>
/// Shoal's sweep is extended with dearer and cheaper knob values until its cost spans HPA-40%'s down to
/// HPA-90%'s (at most <see cref="MaxExtensions"/> steps each way).
/// </para>
/// </remarks>
public static class FrontierComparison
{
    /// <summary>The HPA targets whose costs are the comparison points.</summary>
    public static readonly IReadOnlyList<double> CostTargets = [0.5, 0.6, 0.7, 0.8];

    /// <summary>The goal for the frontier ratio.</summary>
    public const double GoalRatio = 0.5;

    /// <summary>The goal for the flapping ratio.</summary>
    public const double GoalFlapping = 1.5;

    /// <summary>
    /// The seasonal-naive baseline's targets: HPA's, and 95% and 100% (its forecast floor makes it dearer
    /// than the HPA at the same target, so without them it is often never as cheap as HPA-80%).
    /// </summary>
    public static readonly IReadOnlyList<double> SeasonalNaiveTargets = [.. FairComparison.DefaultTargets, 0.95, 1.0];

    /// <summary>The knob values (nines) a sweep runs first: from the median (0.3 nines) to six nines.</summary>
    public static readonly IReadOnlyList<double> NinesKnobs = [0.3, 0.5, 0.7, 0.85, 1, 1.15, 1.3, 1.5, 1.7, 2, 2.15, 2.3, 2.5, 2.7, 3, 3.3, 4, 5, 6];

    /// <summary>The most knob values added each way to span HPA's costs.</summary>
    public const int MaxExtensions = 8;

    /// <summary>Runs the comparison.</summary>
    /// <param name="trace">The load.</param>
    /// <param name="simulation">The cluster model.</param>
    /// <param name="sweep">Shoal's knob sweep.</param>
    /// <param name="parallelism">How many runs go at once.</param>
    /// <returns>The comparison.</returns>
    public static FrontierResult Run(LoadTrace trace, SimulationOptions simulation, KnobSweep sweep, int parallelism = 1)
    {
        ArgumentNullException.ThrowIfNull(trace);
        ArgumentNullException.ThrowIfNull(simulation);
        ArgumentNullException.ThrowIfNull(sweep);
        simulation.Validate();
        var targets = FairComparison.DefaultTargets;
        var jobs = new List<Func<SimulationReport>>();
        foreach (var t in targets)
        {
            jobs.Add(() => ClusterSimulator.Run(trace, FairComparison.CreateHpa(simulation, t), simulation, t));
        }

        foreach (var t in SeasonalNaiveTargets)
        {
            jobs.Add(() => ClusterSimulator.Run(trace, CreateSeasonalNaive(trace, simulation, t), simulation, t));
        }

        var knobs = sweep.Knobs.Append(sweep.Default).Distinct().ToList();
        foreach (var k in knobs)
        {
            jobs.Add(() => RunShoal(trace, simulation, sweep, k));
        }

        var results = RunAll(jobs, parallelism);
        var hpa = results.Where(r => r.Policy.StartsWith("hpa", StringComparison.Ordinal)).OrderBy(r => r.Target).ToArray();
        var naive = results.Where(r => r.Policy.StartsWith("seasonal-naive", StringComparison.Ordinal)).OrderBy(r => r.Target).ToArray();
        var shoal = results.Where(r => r.Knob is not null).ToList();
        Extend(trace, simulation, sweep, hpa, shoal, parallelism);
        var byDefault = shoal.First(r => r.Knob == sweep.Default);
        return Compare(byDefault, shoal, hpa, naive);
    }

    /// <summary>Compares finished sweeps.</summary>
    /// <param name="shoal">Shoal's run at its default knob.</param>
    /// <param name="shoalSweep">Shoal's sweep (may include the default run).</param>
    /// <param name="hpa">The HPA sweep (with targets; must include 50/60/70/80%).</param>
    /// <param name="seasonalNaive">The seasonal-naive sweep, or empty.</param>
    /// <returns>The comparison.</returns>
    public static FrontierResult Compare(SimulationReport shoal, IReadOnlyList<SimulationReport> shoalSweep, IReadOnlyList<SimulationReport> hpa, IReadOnlyList<SimulationReport> seasonalNaive)
    {
        ArgumentNullException.ThrowIfNull(shoal);
        ArgumentNullException.ThrowIfNull(shoalSweep);
        ArgumentNullException.ThrowIfNull(hpa);
        ArgumentNullException.ThrowIfNull(seasonalNaive);
        var hpaFrontier = Frontier.Of(hpa);
        var shoalFrontier = Frontier.Of(shoalSweep.Append(shoal));
        var naiveFrontier = seasonalNaive.Count > 0 ? Frontier.Of(seasonalNaive) : null;
        var points = new List<CostPoint>();
        foreach (var target in CostTargets)
        {
            var run = hpa.FirstOrDefault(r => r.Target is { } t && Math.Abs(t - target) < 1e-9)
                ?? throw new ArgumentException(FormattableString.Invariant($"The HPA sweep has no {target:P0} run."), nameof(hpa));
            var cost = run.ReplicaMinutes;
            points.Add(new CostPoint(target, cost, hpaFrontier.LateAt(cost) ?? run.UnservedRequests, shoalFrontier.LateAt(cost), naiveFrontier?.LateAt(cost)));
        }

        var hpa70 = hpa.FirstOrDefault(r => r.Target is { } t && Math.Abs(t - 0.7) < 1e-9);
        var costs = shoalSweep.Append(shoal).Select(r => r.ReplicaMinutes).ToArray();
        var hpaCosts = hpa.Select(r => r.ReplicaMinutes).ToArray();
        return new FrontierResult
        {
            Trace = shoal.Trace,
            Shoal = shoal,
            ShoalSweep = [.. shoalSweep.OrderBy(r => r.ReplicaMinutes)],
            Hpa = hpa,
            SeasonalNaive = seasonalNaive,
            CostPoints = points,
            FrontierRatio = Ratio(points.Select(p => p.Shoal), points.Select(p => p.Hpa)),
            SeasonalNaiveRatio = naiveFrontier is null ? null : Ratio(points.Select(p => p.SeasonalNaive), points.Select(p => p.Hpa)),
            FlappingRatio = hpa70 is null ? null : Ratio(shoal.ScaleEvents, hpa70.ScaleEvents),
            Hpa70 = hpa70,
            SweepSpansHpa = costs.Min() <= hpaCosts.Min() + 1e-9 && costs.Max() >= hpaCosts.Max() - 1e-9,
        };
    }

    /// <summary>Runs the comparison with Shoal's policy swept over its knob.</summary>
    /// <param name="trace">The load.</param>
    /// <param name="simulation">The cluster model.</param>
    /// <param name="shoal">Shoal's settings (<see cref="ShoalPolicyOptions.Nines"/> is the knob), or null for the defaults.</param>
    /// <param name="parallelism">How many runs go at once.</param>
    /// <returns>The comparison.</returns>
    public static FrontierResult Run(LoadTrace trace, SimulationOptions simulation, ShoalPolicyOptions? shoal = null, int parallelism = 1) =>
        Run(trace, simulation, ShoalSweep(trace, simulation, shoal), parallelism);

    /// <summary>
    /// The sweep of Shoal's policy over its knob (<see cref="ShoalPolicyOptions.Nines"/>): from the median
    /// (0.3 nines) to six nines, extended by doubling (dearer) and halving (cheaper) until it spans HPA's costs.
    /// </summary>
    /// <param name="trace">The trace.</param>
    /// <param name="simulation">The cluster model.</param>
    /// <param name="shoal">Shoal's settings, or null for the defaults; its nines are the default knob.</param>
    /// <returns>The sweep.</returns>
    public static KnobSweep ShoalSweep(LoadTrace trace, SimulationOptions simulation, ShoalPolicyOptions? shoal = null)
    {
        var options = shoal ?? new ShoalPolicyOptions();
        return new KnobSweep(
            nines => FairComparison.CreateShoal(trace, simulation, options with { Nines = nines }),
            NinesKnobs,
            options.Nines,
            DearerNines,
            CheaperNines);
    }

    /// <summary>The next knob value of a nines sweep that costs more: twice the nines, at most 300.</summary>
    /// <param name="nines">The dearest knob so far.</param>
    /// <returns>The next one.</returns>
    public static double DearerNines(double nines) => Math.Min(300, 2 * nines);

    /// <summary>The next knob value of a nines sweep that costs less: half the nines.</summary>
    /// <param name="nines">The cheapest knob so far.</param>
    /// <returns>The next one.</returns>
    public static double CheaperNines(double nines) => nines / 2;

    /// <summary>
    /// Runs a policy's sweep against finished HPA runs, extended the way <see cref="Run(LoadTrace, SimulationOptions, KnobSweep, int)"/>
    /// extends Shoal's until it spans HPA's costs; <see cref="Compare"/> then reads its frontier ratio.
    /// </summary>
    /// <param name="trace">The load.</param>
    /// <param name="simulation">The cluster model.</param>
    /// <param name="sweep">The policy's knob sweep.</param>
    /// <param name="hpa">The HPA runs on the same trace and cluster.</param>
    /// <param name="parallelism">How many runs go at once.</param>
    /// <returns>The runs, each with its knob (the default included).</returns>
    public static IReadOnlyList<SimulationReport> Sweep(LoadTrace trace, SimulationOptions simulation, KnobSweep sweep, IReadOnlyList<SimulationReport> hpa, int parallelism = 1)
    {
        ArgumentNullException.ThrowIfNull(trace);
        ArgumentNullException.ThrowIfNull(simulation);
        ArgumentNullException.ThrowIfNull(sweep);
        ArgumentNullException.ThrowIfNull(hpa);
        simulation.Validate();
        var jobs = sweep.Knobs.Append(sweep.Default).Distinct().Select(k => (Func<SimulationReport>)(() => RunShoal(trace, simulation, sweep, k))).ToList();
        var runs = RunAll(jobs, parallelism).ToList();
        Extend(trace, simulation, sweep, hpa, runs, parallelism);
        return runs;
    }

    /// <summary>Creates the seasonal-naive baseline for a simulated cluster.</summary>
    /// <param name="trace">The trace (its interval is the history's resolution when longer than a control tick).</param>
    /// <param name="simulation">The cluster model.</param>
    /// <param name="target">The target utilisation.</param>
    /// <returns>The policy.</returns>
    public static SeasonalNaiveScalingPolicy CreateSeasonalNaive(LoadTrace trace, SimulationOptions simulation, double target)
    {
        ArgumentNullException.ThrowIfNull(trace);
        ArgumentNullException.ThrowIfNull(simulation);
        var options = new SeasonalNaiveOptions
        {
            TargetUtilisation = target,
            LeadTime = simulation.Startup,
            ControlInterval = simulation.ControlInterval,
            HistoryInterval = trace.Interval > simulation.ControlInterval ? trace.Interval : simulation.ControlInterval,
            MinReplicas = simulation.MinReplicas,
            MaxReplicas = simulation.MaxReplicas,
        };
        return new SeasonalNaiveScalingPolicy(options, new FixedCapacityModel(simulation.CapacityPerInstance));
    }

    private static SimulationReport RunShoal(LoadTrace trace, SimulationOptions simulation, KnobSweep sweep, double knob) =>
        ClusterSimulator.Run(trace, sweep.Create(knob), simulation) with { Knob = knob };

    private static void Extend(LoadTrace trace, SimulationOptions simulation, KnobSweep sweep, IReadOnlyList<SimulationReport> hpa, List<SimulationReport> shoal, int parallelism)
    {
        var dearest = hpa.Max(r => r.ReplicaMinutes);
        var cheapest = hpa.Min(r => r.ReplicaMinutes);
        for (var i = 0; i < MaxExtensions; i++)
        {
            var jobs = new List<Func<SimulationReport>>();
            var top = shoal.MaxBy(r => r.ReplicaMinutes)!;
            var bottom = shoal.MinBy(r => r.ReplicaMinutes)!;
            if (top.ReplicaMinutes < dearest && sweep.Dearer is { } dearer && dearer(top.Knob!.Value) is var up && !shoal.Any(r => r.Knob == up))
            {
                jobs.Add(() => RunShoal(trace, simulation, sweep, up));
            }

            if (bottom.ReplicaMinutes > cheapest && sweep.Cheaper is { } cheaper && cheaper(bottom.Knob!.Value) is var down && !shoal.Any(r => r.Knob == down))
            {
                jobs.Add(() => RunShoal(trace, simulation, sweep, down));
            }

            if (jobs.Count == 0)
            {
                return;
            }

            shoal.AddRange(RunAll(jobs, parallelism));
        }
    }

    private static SimulationReport[] RunAll(List<Func<SimulationReport>> jobs, int parallelism)
    {
        var results = new SimulationReport[jobs.Count];
        Parallel.For(0, jobs.Count, new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, parallelism) }, i => results[i] = jobs[i]());
        return results;
    }

    private static double? Ratio(IEnumerable<double?> numerators, IEnumerable<double> denominators)
    {
        var values = numerators.ToArray();
        if (values.Any(v => v is null))
        {
            return null;
        }

        return Ratio(values.Sum(v => v!.Value), denominators.Sum());
    }

    private static double? Ratio(double numerator, double denominator) =>
        denominator > 0 ? numerator / denominator : numerator <= 0 ? 0 : null;
}

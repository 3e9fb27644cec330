namespace Shoal.Autoscaling.Simulation;

/// <summary>
/// The cost/late-requests frontier of a policy swept over its knob: the Pareto points (no other run is
/// both cheaper and less late), linear between neighbours.
/// </summary>
/// <remarks>
/// At a cost below the cheapest point the frontier is not defined (the policy was never that cheap); at a
/// cost above the dearest it is the dearest point's value (spending more never has to make things worse).
/// </remarks>
public sealed class Frontier
{
    private Frontier(IReadOnlyList<SimulationReport> points) => Points = points;

    /// <summary>Gets the Pareto points, cheapest first (late requests strictly falling).</summary>
    public IReadOnlyList<SimulationReport> Points { get; }

    /// <summary>Gets the cost of the cheapest point, replica-minutes.</summary>
    public double CheapestCost => Points[0].ReplicaMinutes;

    /// <summary>Builds the frontier of a sweep.</summary>
    /// <param name="runs">The runs (at least one).</param>
    /// <returns>The frontier.</returns>
    public static Frontier Of(IEnumerable<SimulationReport> runs)
    {
        ArgumentNullException.ThrowIfNull(runs);
        var sorted = runs.OrderBy(r => r.ReplicaMinutes).ThenBy(r => r.UnservedRequests).ToArray();
        if (sorted.Length == 0)
        {
            throw new ArgumentException("A frontier needs at least one run.", nameof(runs));
        }

        var points = new List<SimulationReport>();
        foreach (var run in sorted)
        {
            if (points.Count == 0 || run.UnservedRequests < points[^1].UnservedRequests)
            {
                points.Add(run);
            }
        }

        return new Frontier(points);
    }

    /// <summary>The late requests on the frontier at a cost.</summary>
    /// <param name="cost">Replica-minutes.</param>
    /// <returns>The late requests, or null when the cost is below the cheapest point.</returns>
    public double? LateAt(double cost)
    {
        if (cost < Points[0].ReplicaMinutes - 1e-9)
        {
            return null;
        }

        for (var i = 1; i < Points.Count; i++)
        {
            var (a, b) = (Points[i - 1], Points[i]);
            if (cost <= b.ReplicaMinutes)
            {
                var fraction = (cost - a.ReplicaMinutes) / (b.ReplicaMinutes - a.ReplicaMinutes);
                return a.UnservedRequests + (Math.Clamp(fraction, 0, 1) * (b.UnservedRequests - a.UnservedRequests));
            }
        }

        return Points[^1].UnservedRequests;
    }
}

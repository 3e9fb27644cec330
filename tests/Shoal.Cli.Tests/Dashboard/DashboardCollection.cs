namespace Shoal.Cli.Tests.Dashboard;

/// <summary>
/// The dashboard tests start five processes each (and a browser): they run one at a time, after the
/// rest, so they never take the machine's two cores from the timing-sensitive autoscaling demo test.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class DashboardCollection
{
    public const string Name = "dashboard processes";
}

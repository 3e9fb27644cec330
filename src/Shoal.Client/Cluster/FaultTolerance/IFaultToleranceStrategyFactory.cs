namespace Shoal.Client.Cluster.FaultTolerance;

/// <summary>Creates the strategy it is named after (<see cref="FaultToleranceNames"/>), once per cluster.</summary>
public interface IFaultToleranceStrategyFactory
{
    /// <summary>The name used in configuration, such as <c>failover</c>.</summary>
    string Name { get; }

    /// <summary>Creates the strategy for one cluster.</summary>
    IFaultToleranceStrategy Create(StrategyContext context);
}

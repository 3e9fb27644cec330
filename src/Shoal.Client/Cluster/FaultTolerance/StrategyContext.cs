using Microsoft.Extensions.Logging;

namespace Shoal.Client.Cluster.FaultTolerance;

/// <summary>What a strategy gets when it is created.</summary>
/// <param name="Service">The service.</param>
/// <param name="TimeProvider">The clock (backoffs, hedging delays).</param>
/// <param name="Logger">The cluster's logger.</param>
/// <param name="FailbackQueueCapacity">The most calls failback keeps for background retry.</param>
public sealed record StrategyContext(string Service, TimeProvider TimeProvider, ILogger Logger, int FailbackQueueCapacity);

using System.Diagnostics;
using System.Diagnostics.Metrics;
using Shoal.Client.Cluster.Endpoints;
using Shoal.Telemetry;

namespace Shoal.Client.Cluster.Internal;

/// <summary>
/// The cluster client's instruments on the <see cref="ShoalTelemetry.Meter"/>: attempts per
/// instance (each is a pick of that endpoint: first tries, retries, hedges, failovers), retries taken
/// from the budget and refused by it, and outlier ejections. Each returns at once while nothing listens.
/// </summary>
internal static class ClusterMetrics
{
    private static readonly Counter<long> Attempts = ShoalTelemetry.Meter.CreateCounter<long>("shoal.cluster.attempts", "{attempt}", "Attempts of cluster calls, per instance they went to.");
    private static readonly Counter<long> Retries = ShoalTelemetry.Meter.CreateCounter<long>("shoal.cluster.retries", "{retry}", "Retries and hedges a cluster call took from the retry budget.");
    private static readonly Counter<long> BudgetExhausted = ShoalTelemetry.Meter.CreateCounter<long>("shoal.cluster.retry_budget.exhausted", "{retry}", "Retries or hedges the retry budget refused.");
    private static readonly Counter<long> Ejections = ShoalTelemetry.Meter.CreateCounter<long>("shoal.cluster.ejections", "{ejection}", "Instances the outlier detector ejected.");

    public static void Attempt(string fullMethod, ClusterEndpoint endpoint)
    {
        if (Attempts.Enabled)
        {
            Attempts.Add(1, new TagList
            {
                { "shoal.method", fullMethod },
                { "shoal.instance.id", endpoint.Instance.InstanceId },
                { "server.address", endpoint.Address.Authority },
            });
        }
    }

    public static void Retry(string service, bool taken)
    {
        var counter = taken ? Retries : BudgetExhausted;
        if (counter.Enabled)
        {
            counter.Add(1, new KeyValuePair<string, object?>("shoal.service", service));
        }
    }

    public static void Ejected(string service, ClusterEndpoint endpoint, string reason)
    {
        if (Ejections.Enabled)
        {
            Ejections.Add(1, new TagList
            {
                { "shoal.service", service },
                { "shoal.instance.id", endpoint.Instance.InstanceId },
                { "shoal.reason", reason },
            });
        }
    }
}

using System.Diagnostics;
using Shoal.Client.Cluster.Endpoints;
using Shoal.Telemetry;

namespace Shoal.Client.Cluster.Internal;

/// <summary>
/// One client span per attempt of a cluster call, so retries, hedges and failovers show as sibling
/// spans under the call, each naming the instance it went to (<c>shoal.instance.id</c>, <c>server.address</c>);
/// and the attempt counted per instance (<see cref="ClusterMetrics"/>).
/// </summary>
internal static class AttemptTracing
{
    public static Activity? Start(string fullMethod, ClusterEndpoint endpoint)
    {
        ClusterMetrics.Attempt(fullMethod, endpoint);
        var activity = RpcActivities.StartClient(fullMethod, RpcActivities.SystemOf(endpoint.Address), endpoint.Address);
        if (activity is { IsAllDataRequested: true })
        {
            activity.SetTag("shoal.instance.id", endpoint.Instance.InstanceId);
            if (!string.IsNullOrEmpty(endpoint.Instance.Zone))
            {
                activity.SetTag("shoal.instance.zone", endpoint.Instance.Zone);
            }
        }
        return activity;
    }
}

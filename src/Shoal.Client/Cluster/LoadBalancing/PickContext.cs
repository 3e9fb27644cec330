using Grpc.Core;
using Shoal.Client.Cluster.Endpoints;

namespace Shoal.Client.Cluster.LoadBalancing;

/// <summary>What a picker may look at to choose an endpoint for one attempt.</summary>
/// <param name="Method">The full method name, such as <c>/hello.Greeter/SayHello</c>.</param>
/// <param name="Headers">The call's request headers (the consistent-hash key comes from here); may be null.</param>
/// <param name="Excluded">
/// Endpoints already tried by this call; a picker avoids them while another endpoint is ready
/// (failover's "a different instance"). Null on a first attempt.
/// </param>
public readonly record struct PickContext(string Method, Metadata? Headers = null, IReadOnlyList<ClusterEndpoint>? Excluded = null)
{
    /// <summary>Whether <paramref name="endpoint"/> is in <see cref="Excluded"/>.</summary>
    public bool IsExcluded(ClusterEndpoint endpoint)
    {
        var excluded = Excluded;
        if (excluded is null)
        {
            return false;
        }
        for (var i = 0; i < excluded.Count; i++)
        {
            if (ReferenceEquals(excluded[i], endpoint))
            {
                return true;
            }
        }
        return false;
    }
}

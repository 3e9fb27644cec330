using Shoal.Client.Cluster.Endpoints;
using Shoal.Connections;

namespace Shoal.Client.Cluster.Internal;

/// <summary>What an endpoint hands a call its server refused to: the cluster, which knows the method's strategy.</summary>
internal interface IRefusedCallRedirector
{
    /// <summary>Takes over <paramref name="call"/>, refused by <paramref name="from"/>, when the method's strategy retries such calls.</summary>
    bool TryRedirect<TRequest, TResponse>(ClusterEndpoint from, IRefusedUnaryCall<TRequest, TResponse> call)
        where TRequest : class
        where TResponse : class;
}

using Grpc.Core;
using Shoal.Connections;

namespace Shoal.Client.Cluster.Endpoints;

/// <summary>
/// Reads an instance's own load reports over its connection (out-of-band load reporting, as
/// gRPC's ORCA): the cluster watches every endpoint through it when
/// <see cref="LoadBalancing.LoadBalancingOptions.UseServerLoad"/> is on. Shoal.Client implements
/// it over the <c>shoal.load.v1.LoadReporter/Watch</c> stream every Shoal host serves.
/// </summary>
public interface IEndpointLoadReporter
{
    /// <summary>
    /// Yields the reports of the instance behind <paramref name="connection"/> as they come, one
    /// per server window, until <paramref name="cancellationToken"/> is cancelled or the stream
    /// ends. The cluster watches again with backoff when the sequence ends or throws, and stops
    /// for good when it throws an <see cref="RpcException"/> with
    /// <see cref="StatusCode.Unimplemented"/> (a server without load reports, such as a
    /// plain grpc-dotnet one).
    /// </summary>
    /// <param name="connection">The endpoint's connection; calls go over its <see cref="IConnection.Invoker"/>.</param>
    /// <param name="cancellationToken">Stops the watch.</param>
    IAsyncEnumerable<EndpointLoad> WatchAsync(IConnection connection, CancellationToken cancellationToken);
}

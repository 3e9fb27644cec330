namespace Shoal.Client.Cluster.Endpoints;

/// <summary>
/// Load feedback for one call on one endpoint (grpc-dotnet's <c>ISubchannelCallTracker</c>):
/// <see cref="Start"/> when the attempt is sent, <see cref="Complete"/> exactly once when it ends.
/// </summary>
public interface ICallTracker
{
    /// <summary>The attempt was sent.</summary>
    void Start();

    /// <summary>The attempt ended after <paramref name="latency"/> (negative: no latency sample, as for a stream); <paramref name="success"/> is false when the endpoint is to blame (see <see cref="OutlierDetection.OutlierEjectionOptions.FailureStatusCodes"/>).</summary>
    void Complete(TimeSpan latency, bool success);
}

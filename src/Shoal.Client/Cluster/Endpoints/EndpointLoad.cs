namespace Shoal.Client.Cluster.Endpoints;

/// <summary>
/// One load report of a server, out of band (as gRPC's ORCA reports): what the instance itself
/// measured over its last window, for all of its clients together.
/// </summary>
/// <param name="Utilization">CPU the process used over the window, 0..1 of the cores it may use.</param>
/// <param name="InFlight">Calls running at the server when the window ended (from every client).</param>
/// <param name="RequestsPerSecond">Calls that ended during the window, per second.</param>
/// <param name="P99">The 99th percentile latency of the calls that ended during the window.</param>
/// <param name="WindowEnd">When the window ended, by the server's clock.</param>
/// <param name="WindowLength">How long the window was; a report is ignored once three of them have passed without a newer one.</param>
public sealed record EndpointLoad(
    double Utilization,
    long InFlight,
    double RequestsPerSecond,
    TimeSpan P99,
    DateTimeOffset WindowEnd,
    TimeSpan WindowLength);

namespace Shoal.Server.Load;

/// <summary>
/// The load one server carried during one window. The one object every reader sees: the
/// <c>Shoal.Server</c> meter, the LoadReporter service (Get and Watch) and <see cref="ServerLoadMonitor.Latest"/>.
/// </summary>
/// <param name="InstanceId">The server's instance id (the one it registers with).</param>
/// <param name="Sequence">1 for the first window of the process, one more per window; 0 before the first window ended.</param>
/// <param name="WindowStart">When the window began.</param>
/// <param name="WindowLength">How long it lasted.</param>
/// <param name="Completed">Calls that ended during the window.</param>
/// <param name="RequestsPerSecond">Calls that ended per second of the window.</param>
/// <param name="InFlight">Calls in flight when the window ended.</param>
/// <param name="P50">Median latency of the calls that ended during the window.</param>
/// <param name="P99">99th percentile latency of those calls.</param>
/// <param name="Errors">Calls that ended with a status other than OK during the window.</param>
/// <param name="CpuUtilisation">CPU time used over the window, 0..1 of the cores the process may use.</param>
/// <param name="TotalCompleted">Calls ended since the server started.</param>
/// <param name="TotalErrors">Failed calls since the server started.</param>
public sealed record ServerLoadWindow(
    string InstanceId,
    long Sequence,
    DateTimeOffset WindowStart,
    TimeSpan WindowLength,
    long Completed,
    double RequestsPerSecond,
    long InFlight,
    TimeSpan P50,
    TimeSpan P99,
    long Errors,
    double CpuUtilisation,
    long TotalCompleted,
    long TotalErrors)
{
    /// <summary>Gets when the window ended.</summary>
    public DateTimeOffset WindowEnd => WindowStart + WindowLength;

    /// <summary>The empty window a server reports before its first window ends.</summary>
    /// <param name="instanceId">The server's instance id.</param>
    /// <param name="start">When measuring began.</param>
    /// <returns>A window of zero length with nothing in it.</returns>
    public static ServerLoadWindow Empty(string instanceId, DateTimeOffset start)
        => new(instanceId, 0, start, TimeSpan.Zero, 0, 0, 0, TimeSpan.Zero, TimeSpan.Zero, 0, 0, 0, 0);
}

namespace Shoal.Client.Cluster.Endpoints.Internal;

/// <summary>
/// One server load report as the pickers read it: the report, when it stops counting (in the
/// client's <see cref="TimeProvider.GetTimestamp"/> units) and the cost factor p2c_ewma applies.
/// Immutable; an endpoint swaps the whole object with one volatile write per report.
/// </summary>
internal sealed class ServerLoadReading
{
    /// <summary>A report counts for this many of its windows after it arrived.</summary>
    public const int FreshWindows = 3;

    /// <summary>The utilisation at which the cost factor stops growing (factor 20).</summary>
    public const double MaxUtilization = 0.95;

    private static readonly TimeSpan s_defaultWindow = TimeSpan.FromSeconds(5);

    public ServerLoadReading(EndpointLoad load, long receivedTimestamp, long timestampFrequency)
    {
        Load = load;
        var utilization = double.IsFinite(load.Utilization) ? Math.Clamp(load.Utilization, 0, 1) : 0;
        Utilization = utilization;
        InFlight = Math.Max(0, load.InFlight);
        CostFactor = 1 / (1 - Math.Min(utilization, MaxUtilization));
        var window = load.WindowLength > TimeSpan.Zero ? load.WindowLength : s_defaultWindow;
        // Staleness is judged on the client's clock from the arrival, so the two clocks need not agree.
        ExpiresAt = receivedTimestamp + (long)(window.TotalSeconds * FreshWindows * timestampFrequency);
    }

    public EndpointLoad Load { get; }

    /// <summary>The utilisation clamped to 0..1 (0 when the report's is not a number).</summary>
    public double Utilization { get; }

    /// <summary>The server's calls in flight, never negative.</summary>
    public long InFlight { get; }

    /// <summary><c>1 / (1 − min(utilisation, 0.95))</c>: the M/M/1 queueing factor, 1 when idle, 20 at most.</summary>
    public double CostFactor { get; }

    /// <summary>From this timestamp on the reading is stale and ignored.</summary>
    public long ExpiresAt { get; }
}

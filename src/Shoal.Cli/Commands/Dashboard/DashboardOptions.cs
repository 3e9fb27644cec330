namespace Shoal.Cli.Commands.Dashboard;

/// <summary>How often the dashboard reads the registry, and how much it keeps.</summary>
internal sealed record DashboardOptions
{
    /// <summary>How often the registry's leases are listed (joins and leaves show within this).</summary>
    public TimeSpan RefreshInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>How long one registry call may take.</summary>
    public TimeSpan CallTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>The wait before a load stream that ended is opened again (while its instance is registered).</summary>
    public TimeSpan LoadRetryDelay { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>The joins and leaves kept for the page (the latest ones).</summary>
    public int MaxEvents { get; init; } = 50;

    /// <summary>The registry members' token, sent as <c>authorization: Bearer</c> on every registry call; null for none.</summary>
    public string? RegistryToken { get; init; }

    /// <summary>The latest ticks read from each autoscaler's status service.</summary>
    public int MaxAutoscalerTicks { get; init; } = 240;

    /// <summary>The instances watched at most (one load stream each); more are listed without load.</summary>
    public int MaxLoadStreams { get; init; } = 256;
}

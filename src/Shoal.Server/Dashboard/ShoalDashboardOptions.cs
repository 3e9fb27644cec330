namespace Shoal.Server.Dashboard;

/// <summary>
/// What a dashboard (<see cref="ShoalDashboardEndpointRouteBuilderExtensions.MapShoalDashboard"/>) shows and how often
/// it reads it: the embedded registry, its token, and the bounds on what it keeps.
/// </summary>
public sealed class ShoalDashboardOptions
{
    /// <summary>Gets or sets the embedded registry, <c>registry://host:port</c>.</summary>
    public string Registry { get; set; } = "";

    /// <summary>
    /// Gets or sets the registry members' token, sent as <c>authorization: Bearer</c> on every registry call;
    /// null for none (read a file with <c>RegistryToken.ReadFile</c>).
    /// </summary>
    public string? RegistryToken { get; set; }

    /// <summary>Gets or sets how often the registry's leases are listed (joins and leaves show within this).</summary>
    public TimeSpan RefreshInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Gets or sets how long one registry or status call may take.</summary>
    public TimeSpan CallTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Gets or sets the wait before a load stream that ended is opened again (while its instance is registered).</summary>
    public TimeSpan LoadRetryDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Gets or sets the joins and leaves kept for the page (the latest ones).</summary>
    public int MaxEvents { get; set; } = 50;

    /// <summary>Gets or sets the instances watched at most (one load stream each); more are listed without load.</summary>
    public int MaxLoadStreams { get; set; } = 256;

    /// <summary>Gets or sets the latest ticks read from each autoscaler's status service.</summary>
    public int MaxAutoscalerTicks { get; set; } = 240;

    /// <summary>The registry's <c>host:port</c>, or null (with why) when <see cref="Registry"/> is not <c>registry://host:port</c> or a setting is out of range.</summary>
    internal string? Validate(out string? error)
    {
        const string Scheme = "registry://";
        var authority = Registry.StartsWith(Scheme, StringComparison.OrdinalIgnoreCase) ? Registry[Scheme.Length..].TrimEnd('/') : "";
        error = !Shoal.Targets.ShoalTarget.TrySplitHostPort(authority, out _, out _)
            ? $"'{Registry}' is not an embedded registry address; expected registry://host:port."
            : RefreshInterval <= TimeSpan.Zero || CallTimeout <= TimeSpan.Zero || LoadRetryDelay <= TimeSpan.Zero
                ? "RefreshInterval, CallTimeout and LoadRetryDelay must be positive."
                : MaxEvents < 1 || MaxLoadStreams < 0 || MaxAutoscalerTicks < 1
                    ? "MaxEvents and MaxAutoscalerTicks must be at least 1, MaxLoadStreams at least 0."
                    : null;
        return error is null ? authority : null;
    }
}

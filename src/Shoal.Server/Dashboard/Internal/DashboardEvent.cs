namespace Shoal.Server.Dashboard.Internal;

/// <summary>An instance joining or leaving, as the dashboard saw it.</summary>
/// <param name="At">When the dashboard saw it.</param>
/// <param name="Kind"><c>joined</c> or <c>left</c>.</param>
/// <param name="InstanceId">The instance.</param>
/// <param name="Services">Its services, comma-separated.</param>
internal sealed record DashboardEvent(DateTimeOffset At, string Kind, string InstanceId, string Services);

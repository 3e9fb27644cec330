using Google.Protobuf.WellKnownTypes;
using Shoal.Client.Load.Protocol;

namespace Shoal.Server.Load.Internal;

/// <summary>Turns a <see cref="ServerLoadWindow"/> into its wire form.</summary>
internal static class LoadReportMapper
{
    public static LoadReport ToProto(ServerLoadWindow window) => new()
    {
        InstanceId = window.InstanceId,
        Sequence = (ulong)window.Sequence,
        WindowStart = Timestamp.FromDateTimeOffset(window.WindowStart),
        WindowLength = Duration.FromTimeSpan(window.WindowLength),
        Completed = (ulong)window.Completed,
        RequestsPerSecond = window.RequestsPerSecond,
        InFlight = window.InFlight,
        LatencyP50 = Duration.FromTimeSpan(window.P50),
        LatencyP99 = Duration.FromTimeSpan(window.P99),
        Errors = (ulong)window.Errors,
        CpuUtilization = window.CpuUtilisation,
        TotalCompleted = (ulong)window.TotalCompleted,
        TotalErrors = (ulong)window.TotalErrors,
    };
}

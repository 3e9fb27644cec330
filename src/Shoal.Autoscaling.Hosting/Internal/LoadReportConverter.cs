using Shoal.Autoscaling.Signals;

namespace Shoal.Autoscaling.Hosting.Internal;

/// <summary>Turns a server's wire report into the autoscaler's <see cref="LoadReport"/>.</summary>
internal static class LoadReportConverter
{
    public static LoadReport ToSignal(Shoal.Client.Load.Protocol.LoadReport report) => new(
        report.InstanceId,
        report.WindowStart?.ToDateTimeOffset() ?? DateTimeOffset.UnixEpoch,
        report.WindowLength?.ToTimeSpan() ?? TimeSpan.Zero,
        report.RequestsPerSecond,
        (int)Math.Clamp(report.InFlight, 0, int.MaxValue),
        report.LatencyP50?.ToTimeSpan() ?? TimeSpan.Zero,
        report.LatencyP99?.ToTimeSpan() ?? TimeSpan.Zero,
        (long)Math.Min(report.Errors, long.MaxValue),
        report.CpuUtilization);
}

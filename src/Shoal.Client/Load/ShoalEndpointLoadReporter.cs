using System.Runtime.CompilerServices;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Shoal.Client.Cluster.Endpoints;
using Shoal.Client.Load.Protocol;
using Shoal.Connections;

namespace Shoal.Client.Load;

/// <summary>
/// The cluster's <see cref="IEndpointLoadReporter"/> over <c>shoal.load.v1.LoadReporter/Watch</c>,
/// the stream every Shoal host serves on both transports: one call per endpoint on the endpoint's
/// own connection, one report per server window. <see cref="ShoalChannel"/> uses it
/// when a cluster target asks for server load (<c>?serverload=true</c> or
/// <c>LoadBalancing:UseServerLoad</c>).
/// </summary>
public sealed class ShoalEndpointLoadReporter : IEndpointLoadReporter
{
    /// <summary>The shared instance (it holds no state).</summary>
    public static ShoalEndpointLoadReporter Instance { get; } = new();

    /// <inheritdoc/>
    public async IAsyncEnumerable<EndpointLoad> WatchAsync(IConnection connection, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(connection);
        var client = new LoadReporter.LoadReporterClient(connection.Invoker);
        using var call = client.Watch(new WatchRequest(), cancellationToken: cancellationToken);
        while (await call.ResponseStream.MoveNext(cancellationToken).ConfigureAwait(false))
        {
            if (ToEndpointLoad(call.ResponseStream.Current) is { } load)
            {
                yield return load;
            }
        }
    }

    /// <summary>
    /// The report as the balancer reads it, or null for one that cannot be read (a timestamp or
    /// duration out of range): a bad report is skipped, never a reason to fail the watch.
    /// </summary>
    /// <param name="report">The report from the wire.</param>
    /// <returns>The load, or null.</returns>
    public static EndpointLoad? ToEndpointLoad(LoadReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        if (!TryRead(report.WindowLength, out var length) || !TryRead(report.LatencyP99, out var p99))
        {
            return null;
        }
        DateTimeOffset windowEnd;
        try
        {
            windowEnd = (report.WindowStart ?? new Timestamp()).ToDateTimeOffset() + length;
        }
        catch (Exception ex) when (ex is InvalidOperationException or ArgumentOutOfRangeException)
        {
            return null;
        }
        var utilization = double.IsFinite(report.CpuUtilization) ? Math.Clamp(report.CpuUtilization, 0, 1) : 0;
        var rate = double.IsFinite(report.RequestsPerSecond) ? Math.Max(0, report.RequestsPerSecond) : 0;
        return new EndpointLoad(utilization, Math.Max(0, report.InFlight), rate, p99, windowEnd, length);
    }

    private static bool TryRead(Duration? duration, out TimeSpan value)
    {
        value = TimeSpan.Zero;
        if (duration is null)
        {
            return true;
        }
        try
        {
            value = duration.ToTimeSpan();
            return value >= TimeSpan.Zero;
        }
        catch (Exception ex) when (ex is InvalidOperationException or ArgumentOutOfRangeException or OverflowException)
        {
            return false;
        }
    }
}

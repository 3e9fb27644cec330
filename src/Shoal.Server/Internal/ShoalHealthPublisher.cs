using Grpc.Health.V1;
using Grpc.HealthCheck;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using ServingStatus = Grpc.Health.V1.HealthCheckResponse.Types.ServingStatus;

namespace Shoal.Server.Internal;

/// <summary>
/// Drives <c>grpc.health.v1</c> from ASP.NET Core health checks each time the health-check
/// publisher runs: the server (<c>""</c>) is NOT_SERVING while any check is unhealthy; a service is
/// NOT_SERVING while a check without a service tag, or one tagged with its full name (such as
/// <c>hello.Greeter</c>), is unhealthy. Degraded counts as serving. Once shutdown began the
/// statuses stay NOT_SERVING. Only changes are set, so Watch streams hear of changes only.
/// </summary>
internal sealed class ShoalHealthPublisher(HealthServiceImpl health, ShoalServiceRegistry registry, IHostApplicationLifetime lifetime) : IHealthCheckPublisher
{
    // Every status starts SERVING (ShoalBuiltInServices.CreateHealth). Locked: reports may overlap when checks are slow.
    private readonly Dictionary<string, ServingStatus> _published = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();

    public Task PublishAsync(HealthReport report, CancellationToken cancellationToken)
    {
        if (lifetime.ApplicationStopping.IsCancellationRequested)
        {
            return Task.CompletedTask;
        }
        var services = registry.Services.Select(static s => s.ServiceName).ToHashSet(StringComparer.Ordinal);
        lock (_gate)
        {
            Set("", StatusOf(report.Entries.Values));
            foreach (var service in services)
            {
                var relevant = report.Entries.Values.Where(e => e.Tags.Contains(service) || !e.Tags.Any(services.Contains));
                Set(service, StatusOf(relevant));
            }
        }
        return Task.CompletedTask;
    }

    private void Set(string service, ServingStatus status)
    {
        if (_published.TryGetValue(service, out var last) ? last != status : status != ServingStatus.Serving)
        {
            health.SetStatus(service, status);
        }
        _published[service] = status;
    }

    private static ServingStatus StatusOf(IEnumerable<HealthReportEntry> entries)
        => entries.Any(static e => e.Status == HealthStatus.Unhealthy) ? ServingStatus.NotServing : ServingStatus.Serving;
}

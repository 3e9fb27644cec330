using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Shoal.Server.Dashboard.Internal;

namespace Shoal.Server.Dashboard;

/// <summary>Embeds Shoal's live dashboard in an ASP.NET Core host (what <c>shoal dashboard</c> runs on its own).</summary>
public static class ShoalDashboardEndpointRouteBuilderExtensions
{
    /// <summary>
    /// Serves the dashboard of an embedded registry under <paramref name="prefix"/>: the page at
    /// <c>prefix/</c> (<c>prefix</c> redirects there) and its server-sent events at <c>prefix/events</c>.
    /// It starts reading the registry when the host has started and stops when the host stops.
    /// The page has no CDN or network dependency beyond this host.
    /// </summary>
    /// <param name="endpoints">The host's routes (a <c>WebApplication</c>).</param>
    /// <param name="prefix">Where the page is, such as <c>/dashboard</c>, or <c>/</c> for the root.</param>
    /// <param name="configure">Sets <see cref="ShoalDashboardOptions.Registry"/> and the rest.</param>
    /// <returns>The routes' group, to add conventions to (authorization, for one).</returns>
    /// <exception cref="ArgumentException">The options are invalid (a registry that is not <c>registry://host:port</c>, a bound out of range).</exception>
    public static IEndpointConventionBuilder MapShoalDashboard(this IEndpointRouteBuilder endpoints, string prefix, Action<ShoalDashboardOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        ArgumentNullException.ThrowIfNull(prefix);
        ArgumentNullException.ThrowIfNull(configure);
        var options = new ShoalDashboardOptions();
        configure(options);
        var authority = options.Validate(out var error) ?? throw new ArgumentException($"ShoalDashboardOptions: {error}", nameof(configure));
        var services = endpoints.ServiceProvider;
        var time = services.GetService<TimeProvider>() ?? TimeProvider.System;
        var lifetime = services.GetRequiredService<IHostApplicationLifetime>();
        var monitor = new DashboardMonitor(authority, options, time);
        lifetime.ApplicationStarted.Register(monitor.Start);
        // The loops stop at once when cancelled; the wait is a bound, not a delay.
        lifetime.ApplicationStopped.Register(() => monitor.DisposeAsync().AsTask().Wait(options.CallTimeout));
        return DashboardEndpoints.Map(endpoints, prefix.TrimEnd('/'), monitor, time, lifetime.ApplicationStopping);
    }
}

using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Shoal.Server.Dashboard.Internal;

/// <summary>The dashboard's routes under its prefix: <c>/</c> (the page) and <c>/events</c> (a snapshot a second as server-sent events).</summary>
internal static class DashboardEndpoints
{
    private const string PageResource = "Shoal.Server.Dashboard.Internal.dashboard.html";
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(1);

    public static RouteGroupBuilder Map(IEndpointRouteBuilder endpoints, string prefix, DashboardMonitor monitor, TimeProvider time, CancellationToken stopping)
    {
        var page = ReadPage();
        var group = endpoints.MapGroup(prefix);
        group.MapGet("/", (HttpContext context) =>
        {
            // The page finds its events relative to itself, so it must be served from a path ending in '/'.
            var path = context.Request.PathBase + context.Request.Path;
            return path.Value is { } value && !value.EndsWith('/')
                ? Results.Redirect(value + "/" + context.Request.QueryString)
                : Results.Content(page, "text/html; charset=utf-8");
        });
        group.MapGet("/events", (HttpContext context) => StreamAsync(context, monitor, time, stopping));
        return group;
    }

    private static async Task StreamAsync(HttpContext context, DashboardMonitor monitor, TimeProvider time, CancellationToken stopping)
    {
        context.Response.ContentType = "text/event-stream";
        context.Response.Headers.CacheControl = "no-cache";
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, stopping);
        var cancellationToken = linked.Token;
        using var timer = new PeriodicTimer(Interval, time);
        try
        {
            do
            {
                var json = DashboardSnapshot.Write(monitor, time.GetUtcNow());
                await context.Response.WriteAsync("data: " + json + "\n\n", cancellationToken).ConfigureAwait(false);
                await context.Response.Body.FlushAsync(cancellationToken).ConfigureAwait(false);
            }
            while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false));
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The page closed or the dashboard stops.
        }
    }

    private static string ReadPage()
    {
        using var stream = typeof(DashboardEndpoints).Assembly.GetManifestResourceStream(PageResource)
            ?? throw new InvalidOperationException($"The dashboard page resource {PageResource} is missing.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}

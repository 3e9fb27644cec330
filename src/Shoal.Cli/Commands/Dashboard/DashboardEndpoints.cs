using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Hosting;

namespace Shoal.Cli.Commands.Dashboard;

/// <summary>The dashboard's two routes: <c>/</c> (the page) and <c>/events</c> (a snapshot a second as server-sent events).</summary>
internal static class DashboardEndpoints
{
    private const string PageResource = "Shoal.Cli.Commands.Dashboard.dashboard.html";
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(1);

    public static void Map(IEndpointRouteBuilder app, DashboardMonitor monitor, TimeProvider time)
    {
        var page = ReadPage();
        var stopping = app.ServiceProvider.GetService(typeof(IHostApplicationLifetime)) is IHostApplicationLifetime lifetime ? lifetime.ApplicationStopping : CancellationToken.None;
        app.MapGet("/", () => Results.Content(page, "text/html; charset=utf-8"));
        app.MapGet("/events", (HttpContext context) => StreamAsync(context, monitor, time, stopping));
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

using Grpc.Core;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Shoal.Server.Dashboard.Internal;

/// <summary>
/// The dashboard's routes under its prefix: <c>/</c> (the page), <c>/events</c> (a snapshot a second as
/// server-sent events) and <c>POST /instances/{id}/drain</c>.
/// </summary>
internal static class DashboardEndpoints
{
    private const string PageResource = "Shoal.Server.Dashboard.Internal.dashboard.html";
    private const string DrainHeader = "X-Shoal-Dashboard";
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
        group.MapPost("/instances/{id}/drain", (string id, HttpContext context) => DrainAsync(id, context, monitor));
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

    /// <summary>
    /// Drains one instance through its host's admin call. Offered only with the registry's token; the
    /// custom header makes a cross-site form or script post fail (it needs a CORS preflight nobody answers).
    /// </summary>
    private static async Task<IResult> DrainAsync(string id, HttpContext context, DashboardMonitor monitor)
    {
        if (!monitor.CanDrain)
        {
            return Results.Problem("This dashboard was started without the registry's token, so it cannot drain instances.", statusCode: StatusCodes.Status403Forbidden);
        }
        if (!string.Equals(context.Request.Headers[DrainHeader], "drain", StringComparison.Ordinal))
        {
            return Results.Problem($"A drain request must carry '{DrainHeader}: drain'.", statusCode: StatusCodes.Status400BadRequest);
        }
        if (monitor.Find(id) is not { } instance || instance.Native.Length == 0)
        {
            return Results.Problem($"No registered instance '{id}' with a native address.", statusCode: StatusCodes.Status404NotFound);
        }
        try
        {
            var reply = await monitor.DrainAsync(instance, context.RequestAborted).ConfigureAwait(false);
            return Results.Json(new DrainResult(id, reply.InstanceId), DashboardJsonContext.Default.DrainResult);
        }
        catch (RpcException e)
        {
            return Results.Problem($"{instance.Native} refused or failed the drain: {e.StatusCode}: {e.Status.Detail}", statusCode: StatusCodes.Status502BadGateway);
        }
        catch (Exception e) when (e is UriFormatException or FormatException or ArgumentException or InvalidOperationException)
        {
            return Results.Problem($"Cannot call {instance.Native}: {e.Message}", statusCode: StatusCodes.Status502BadGateway);
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

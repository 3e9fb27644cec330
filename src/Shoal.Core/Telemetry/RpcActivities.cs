using System.Diagnostics;
using Grpc.Core;

namespace Shoal.Telemetry;

/// <summary>
/// Starts and ends Shoal's RPC spans with the semantic-convention tags, and carries W3C trace
/// context (<c>traceparent</c>, <c>tracestate</c>) in call metadata. Transports call it; every
/// method returns at once, allocating nothing, when no listener samples <see cref="ShoalTelemetry.Source"/>.
/// </summary>
public static class RpcActivities
{
    /// <summary>The W3C trace-context header.</summary>
    public const string TraceParentHeader = "traceparent";

    /// <summary>The W3C trace-state header.</summary>
    public const string TraceStateHeader = "tracestate";

    /// <summary>Starts a server span for <paramref name="fullMethod"/> (<c>/pkg.Service/Method</c>), parented on the caller's <c>traceparent</c> when it sent one.</summary>
    /// <param name="fullMethod">The method's full name.</param>
    /// <param name="system"><c>shoal</c> or <c>grpc</c>.</param>
    /// <param name="headers">The request headers, if any.</param>
    /// <returns>The started span, or null when nobody listens.</returns>
    public static Activity? StartServer(string fullMethod, string system, Metadata? headers)
    {
        if (!ShoalTelemetry.Source.HasListeners())
        {
            return null;
        }
        ActivityContext parent = default;
        if (headers?.GetValue(TraceParentHeader) is { } traceParent)
        {
            ActivityContext.TryParse(traceParent, headers.GetValue(TraceStateHeader), isRemote: true, out parent);
        }
        // With no traceparent, the current span (ASP.NET Core's request, for gRPC) is the parent.
        var activity = ShoalTelemetry.Source.StartActivity(SpanName(fullMethod), ActivityKind.Server, parent);
        Tag(activity, fullMethod, system);
        return activity;
    }

    /// <summary>Starts a client span for a call to <paramref name="fullMethod"/>, a child of the current span.</summary>
    /// <param name="fullMethod">The method's full name.</param>
    /// <param name="system"><c>shoal</c>, <c>grpc</c>, or null when the transport is chosen per attempt.</param>
    /// <param name="target">The address called (<c>server.address</c>/<c>server.port</c>), if known.</param>
    /// <param name="kind"><see cref="ActivityKind.Client"/> for a call on one connection; <see cref="ActivityKind.Internal"/> for a cluster call whose attempts are the client spans.</param>
    /// <returns>The started span, or null when nobody listens.</returns>
    public static Activity? StartClient(string fullMethod, string? system, Uri? target, ActivityKind kind = ActivityKind.Client)
    {
        if (!ShoalTelemetry.Source.HasListeners())
        {
            return null;
        }
        var activity = ShoalTelemetry.Source.StartActivity(SpanName(fullMethod), kind);
        Tag(activity, fullMethod, system);
        if (activity is not null && target is not null && target.Port > 0)
        {
            activity.SetTag("server.address", target.Host);
            activity.SetTag("server.port", target.Port);
        }
        return activity;
    }

    /// <summary>Ends <paramref name="activity"/> with <paramref name="code"/> (<c>rpc.grpc.status_code</c>; an error status unless OK).</summary>
    /// <param name="activity">The span, or null.</param>
    /// <param name="code">The call's status code.</param>
    /// <param name="detail">The status detail, for an error's description.</param>
    public static void Stop(Activity? activity, StatusCode code, string? detail = null)
    {
        if (activity is null)
        {
            return;
        }
        activity.SetTag("rpc.grpc.status_code", (int)code);
        if (code != StatusCode.OK)
        {
            activity.SetStatus(ActivityStatusCode.Error, detail ?? code.ToString());
        }
        activity.Stop();
    }

    /// <summary>
    /// <paramref name="headers"/> with the current span's <c>traceparent</c> (and <c>tracestate</c>)
    /// added, as a copy (the caller's Metadata may be shared); unchanged when there is no current
    /// span or the headers carry one already.
    /// </summary>
    /// <param name="headers">The call's headers, if any.</param>
    /// <returns>The headers to send.</returns>
    public static Metadata? Inject(Metadata? headers)
    {
        if (Activity.Current is not { } current || current.IdFormat != ActivityIdFormat.W3C || headers?.Get(TraceParentHeader) is not null)
        {
            return headers;
        }
        var copy = new Metadata();
        if (headers is not null)
        {
            foreach (var entry in headers)
            {
                copy.Add(entry);
            }
        }
        copy.Add(TraceParentHeader, current.Id!);
        if (!string.IsNullOrEmpty(current.TraceStateString))
        {
            copy.Add(TraceStateHeader, current.TraceStateString);
        }
        return copy;
    }

    /// <summary>The <c>rpc.system</c> of an address: <c>shoal</c> for the native protocol, <c>grpc</c> for http(s).</summary>
    /// <param name="address">The address.</param>
    /// <returns>The system name.</returns>
    public static string SystemOf(Uri address) => address.Scheme == "shoal" ? "shoal" : "grpc";

    /// <summary><c>/pkg.Service/Method</c> becomes <c>pkg.Service/Method</c>, as the conventions name RPC spans.</summary>
    private static string SpanName(string fullMethod) => fullMethod.StartsWith('/') ? fullMethod[1..] : fullMethod;

    private static void Tag(Activity? activity, string fullMethod, string? system)
    {
        if (activity is null || !activity.IsAllDataRequested)
        {
            return;
        }
        if (system is not null)
        {
            activity.SetTag("rpc.system", system);
        }
        var name = SpanName(fullMethod);
        var slash = name.LastIndexOf('/');
        if (slash > 0)
        {
            activity.SetTag("rpc.service", name[..slash]);
            activity.SetTag("rpc.method", name[(slash + 1)..]);
        }
    }
}

using Grpc.Core;
using Shoal.Context;

namespace Shoal.Client.Internal;

/// <summary>
/// The outermost invoker of a <see cref="ShoalChannel"/>: a call made while a server call is
/// current (<see cref="ShoalCallContext.Current"/>), or with a Shoal <see cref="CallOptions.PropagationToken"/>,
/// takes the parent's deadline when it is earlier than its own, is cancelled with the parent, and
/// copies the parent's request headers named in <see cref="ShoalChannelOptions.PropagatedHeaders"/>.
/// </summary>
/// <remarks>
/// A call with no parent goes through untouched. When the call has its own cancellation token as
/// well, a linked source joins the two; it is disposed when the call ends (unary) or is disposed (streams).
/// </remarks>
internal sealed class PropagatingCallInvoker(CallInvoker inner, bool ambient, string[] headerKeys) : CallInvoker
{
    /// <inheritdoc/>
    public override TResponse BlockingUnaryCall<TRequest, TResponse>(Method<TRequest, TResponse> method, string? host, CallOptions options, TRequest request)
    {
        var child = Propagate(options, out var linked);
        try
        {
            return inner.BlockingUnaryCall(method, host, child, request);
        }
        finally
        {
            linked?.Dispose();
        }
    }

    /// <inheritdoc/>
    public override AsyncUnaryCall<TResponse> AsyncUnaryCall<TRequest, TResponse>(Method<TRequest, TResponse> method, string? host, CallOptions options, TRequest request)
    {
        var call = inner.AsyncUnaryCall(method, host, Propagate(options, out var linked), request);
        linked?.DisposeWhen(call.ResponseAsync);
        return call;
    }

    /// <inheritdoc/>
    public override AsyncServerStreamingCall<TResponse> AsyncServerStreamingCall<TRequest, TResponse>(Method<TRequest, TResponse> method, string? host, CallOptions options, TRequest request)
    {
        var call = inner.AsyncServerStreamingCall(method, host, Propagate(options, out var linked), request);
        return linked is null ? call : new AsyncServerStreamingCall<TResponse>(call.ResponseStream, call.ResponseHeadersAsync, call.GetStatus, call.GetTrailers, () =>
        {
            call.Dispose();
            linked.Dispose();
        });
    }

    /// <inheritdoc/>
    public override AsyncClientStreamingCall<TRequest, TResponse> AsyncClientStreamingCall<TRequest, TResponse>(Method<TRequest, TResponse> method, string? host, CallOptions options)
    {
        var call = inner.AsyncClientStreamingCall(method, host, Propagate(options, out var linked));
        return linked is null ? call : new AsyncClientStreamingCall<TRequest, TResponse>(call.RequestStream, call.ResponseAsync, call.ResponseHeadersAsync, call.GetStatus, call.GetTrailers, () =>
        {
            call.Dispose();
            linked.Dispose();
        });
    }

    /// <inheritdoc/>
    public override AsyncDuplexStreamingCall<TRequest, TResponse> AsyncDuplexStreamingCall<TRequest, TResponse>(Method<TRequest, TResponse> method, string? host, CallOptions options)
    {
        var call = inner.AsyncDuplexStreamingCall(method, host, Propagate(options, out var linked));
        return linked is null ? call : new AsyncDuplexStreamingCall<TRequest, TResponse>(call.RequestStream, call.ResponseStream, call.ResponseHeadersAsync, call.GetStatus, call.GetTrailers, () =>
        {
            call.Dispose();
            linked.Dispose();
        });
    }

    /// <summary>
    /// Whether a call with <paramref name="options"/> has a parent to take from: a propagation token,
    /// or (with <paramref name="ambient"/>) a server call current on this flow. One without goes through untouched.
    /// </summary>
    public static bool HasParent(in CallOptions options, bool ambient)
        => options.PropagationToken is not null || (ambient && ShoalCallContext.Current is not null);

    private CallOptions Propagate(CallOptions options, out LinkedCancellation? linked)
    {
        linked = null;
        if (!HasParent(options, ambient))
        {
            return options;
        }
        ServerCallContext? parent;
        ContextPropagationOptions? what;
        if (options.PropagationToken is { } token)
        {
            if (!ShoalCallContext.TryGetPropagated(token, out parent, out what))
            {
                throw new ArgumentException("CallOptions.PropagationToken was not made by a Shoal server call (ServerCallContext.CreatePropagationToken on a Shoal host).", nameof(options));
            }
        }
        else
        {
            parent = ShoalCallContext.Current!;
            what = ContextPropagationOptions.Default;
        }

        var deadline = options.Deadline;
        if (what.IsPropagateDeadline && parent.Deadline != DateTime.MaxValue && (deadline is null || parent.Deadline < deadline.Value))
        {
            // A child never outlives its parent's deadline.
            deadline = parent.Deadline;
        }
        var cancellation = options.CancellationToken;
        if (what.IsPropagateCancellation)
        {
            var parentToken = parent.CancellationToken;
            if (!cancellation.CanBeCanceled)
            {
                cancellation = parentToken;
            }
            else if (parentToken.CanBeCanceled && parentToken != cancellation)
            {
                linked = new LinkedCancellation(cancellation, parentToken);
                cancellation = linked.Token;
            }
        }
        var headers = headerKeys.Length == 0 ? options.Headers : CopyHeaders(parent.RequestHeaders, options.Headers);
        // The token is Shoal's and done with: transports below would not know it.
        var child = options.PropagationToken is null
            ? options
            : new CallOptions(options.Headers, options.Deadline, options.CancellationToken, options.WriteOptions, propagationToken: null, options.Credentials)
                .WithWaitForReady(options.IsWaitForReady);
        child = child.WithCancellationToken(cancellation);
        if (deadline is { } effective)
        {
            child = child.WithDeadline(effective);
        }
        return headers is null ? child : child.WithHeaders(headers);
    }

    private Metadata? CopyHeaders(Metadata parent, Metadata? own)
    {
        Metadata? result = own;
        foreach (var entry in parent)
        {
            if (Array.IndexOf(headerKeys, entry.Key) < 0 || own?.Get(entry.Key) is not null)
            {
                continue;
            }
            if (ReferenceEquals(result, own))
            {
                // Never change the caller's Metadata: it may be reused for other calls.
                result = [];
                foreach (var mine in own ?? [])
                {
                    result.Add(mine);
                }
            }
            result!.Add(entry);
        }
        return result;
    }
}

using System.Collections.Immutable;
using Grpc.Core;
using Microsoft.Extensions.Logging;
using Shoal.Client.Cluster.Endpoints;
using Shoal.Client.Cluster.FaultTolerance.Internal;
using Shoal.Client.Cluster.Internal;

namespace Shoal.Client.Cluster.FaultTolerance;

/// <summary>
/// One unary call as a strategy sees it: the request, its deadline and cancellation, the method's
/// <see cref="MethodPolicy"/>, and the means to make attempts (pick, send, record load feedback),
/// to check whether a retry is allowed, and to build a default response.
/// </summary>
/// <typeparam name="TRequest">The request message type.</typeparam>
/// <typeparam name="TResponse">The response message type.</typeparam>
public sealed partial class ClusterCall<TRequest, TResponse>
    where TRequest : class
    where TResponse : class
{
    private readonly ClusterRuntime _runtime;
    private readonly long _startTimestamp;

    internal ClusterCall(ClusterRuntime runtime, Method<TRequest, TResponse> method, string? host, CallOptions options, TRequest request, MethodPolicy policy)
        : this(runtime, method, host, options, request, policy, runtime.TimeProvider.GetTimestamp())
    {
    }

    /// <summary>A call that began at <paramref name="startTimestamp"/> (its first attempt was made before the call object was needed).</summary>
    internal ClusterCall(ClusterRuntime runtime, Method<TRequest, TResponse> method, string? host, CallOptions options, TRequest request, MethodPolicy policy, long startTimestamp)
    {
        _runtime = runtime;
        Method = method;
        Host = host;
        Options = options;
        Request = request;
        Policy = policy;
        _startTimestamp = startTimestamp;
    }

    /// <summary>The method.</summary>
    public Method<TRequest, TResponse> Method { get; }

    /// <summary>The host override the caller passed, if any.</summary>
    public string? Host { get; }

    /// <summary>The call's options (deadline, headers, cancellation).</summary>
    public CallOptions Options { get; }

    /// <summary>The request.</summary>
    public TRequest Request { get; }

    /// <summary>The policy of this method.</summary>
    public MethodPolicy Policy { get; }

    /// <summary>The service.</summary>
    public string Service => _runtime.Service;

    /// <summary>The cluster's clock.</summary>
    public TimeProvider TimeProvider => _runtime.TimeProvider;

    /// <summary>The cluster's logger.</summary>
    public ILogger Logger => _runtime.Logger;

    /// <summary>The cluster's retry budget.</summary>
    public RetryBudget Budget => _runtime.Budget;

    /// <summary>The call's cancellation.</summary>
    public CancellationToken CancellationToken => Options.CancellationToken;

    /// <summary>The endpoints that may be picked now (broadcast calls them all).</summary>
    public ImmutableArray<ClusterEndpoint> ReadyEndpoints => _runtime.Directory.Snapshot.Ready;

    /// <summary>Whether the call's deadline has passed.</summary>
    public bool IsDeadlineExceeded => _runtime.IsPast(Options.Deadline);

    /// <summary>
    /// Whether a failed attempt may be followed by another, budget aside: not a drop; the method is
    /// idempotent and the code retryable, or the server never started the attempt
    /// (<see cref="AttemptResult{TResponse}.NeverStarted"/>, whatever the method and the code); the
    /// call is neither cancelled nor past its deadline.
    /// </summary>
    public bool IsRetryable(in AttemptResult<TResponse> failed)
        => UnaryOutcome.MayRetry(failed, Policy, CancellationToken.IsCancellationRequested, IsDeadlineExceeded);

    /// <summary>Takes one retry from the budget; false (and a log line) when it is spent.</summary>
    public bool TryTakeRetry()
    {
        if (_runtime.Budget.TryWithdraw())
        {
            ClusterMetrics.Retry(Service, taken: true);
            return true;
        }
        ClusterMetrics.Retry(Service, taken: false);
        ClusterLog.BudgetExhausted(_runtime.Logger, Service, Method.FullName);
        return false;
    }

    /// <summary>
    /// The method's default response: the response marshaller's reading of an empty message
    /// (for Protobuf, the message with every field at its default). Null when the marshaller
    /// cannot read an empty payload.
    /// </summary>
    public TResponse? TryCreateDefaultResponse()
    {
        try
        {
            return Method.ResponseMarshaller.ContextualDeserializer(EmptyDeserializationContext.Instance);
        }
        catch (Exception ex)
        {
            ClusterLog.FailsafeNoDefault(_runtime.Logger, Service, Method.FullName, ex);
            return null;
        }
    }

    /// <summary>The same call for a background retry (failback): its own deadline, not cancelled by the caller.</summary>
    internal ClusterCall<TRequest, TResponse> ForBackground(TimeSpan attemptTimeout)
    {
        var options = new CallOptions(Options.Headers, _runtime.TimeProvider.GetUtcNow().UtcDateTime + attemptTimeout,
            CancellationToken.None, Options.WriteOptions, null, Options.Credentials);
        return new ClusterCall<TRequest, TResponse>(_runtime, Method, Host, options, Request, Policy);
    }
}

using Grpc.Core;

namespace Shoal.Client.Internal;

/// <summary>
/// What a <see cref="ShoalChannel"/> does to a cluster call before the cluster sees it (call-context
/// propagation, the call's span and metrics, the channel's interceptors), as the chain of invokers that
/// does it, and the test of whether a call needs any of it.
/// </summary>
/// <remarks>
/// The channel hands its entry to the cluster's invoker and gives callers that invoker itself. A call
/// that needs none of it (no parent call, nobody listening, no interceptors: most calls) goes straight
/// to the cluster's own work; the others go through <see cref="Chain"/>, which ends in the cluster's
/// work. Each invoker in a chain that only passes the call on costs a generic virtual dispatch, a few
/// percent of a native call at high rates.
/// </remarks>
internal sealed class ChannelEntry(CallInvoker chain, bool intercepted, bool ambient)
{
    /// <summary>The channel's invokers, ending in the cluster's own work.</summary>
    public CallInvoker Chain => chain;

    /// <summary>Whether a call with <paramref name="options"/> needs the chain.</summary>
    public bool Applies(in CallOptions options)
        => intercepted || ClientCallTracing.IsActive || PropagatingCallInvoker.HasParent(options, ambient);
}

using Grpc.Core;

namespace Shoal.Connections;

/// <summary>
/// Told when one unary call ends, before its caller sees the outcome: the cluster client's load
/// feedback (calls in flight, latency, failures) without a continuation on the response.
/// </summary>
/// <remarks>Called exactly once per call, on whichever thread ended it; it must be quick and must not throw.</remarks>
public interface IUnaryCallObserver
{
    /// <summary>The call ended with <paramref name="status"/> after <paramref name="elapsed"/> (from its start to its end).</summary>
    /// <param name="status">The call's final status code.</param>
    /// <param name="elapsed">How long the call took; negative when the call was not timed.</param>
    /// <param name="cancelledByCaller">
    /// Whether the caller ended it (cancelled its token or disposed the call) rather than the server or
    /// the connection: a <see cref="StatusCode.Cancelled"/> the server sent says something about the
    /// server, the caller's own says nothing.
    /// </param>
    void OnUnaryCallCompleted(StatusCode status, TimeSpan elapsed, bool cancelledByCaller);
}

using Grpc.Core;

namespace Shoal.Connections;

/// <summary>
/// A connection's invoker that can report the end of a unary call to an <see cref="IUnaryCallObserver"/>
/// as part of completing it. The cluster client uses it, when a connection's
/// <see cref="IConnection.Invoker"/> offers it, to track load with no extra allocation or thread hop per call.
/// </summary>
/// <remarks>
/// When the observer is an <see cref="IRefusedCallObserver"/>, a unary call that the invoker fails
/// as never started (<see cref="Shoal.Errors.CallNotStarted"/>) is first offered to it, so that a
/// cluster can send it elsewhere; otherwise such a call could not be retried without wrapping every call.
/// </remarks>
public interface IObservingCallInvoker
{
    /// <summary>Starts a unary call like <see cref="CallInvoker.AsyncUnaryCall{TRequest, TResponse}"/>, and tells <paramref name="observer"/> when it ends.</summary>
    /// <typeparam name="TRequest">The request message type.</typeparam>
    /// <typeparam name="TResponse">The response message type.</typeparam>
    /// <param name="method">The method.</param>
    /// <param name="host">The host override, if any.</param>
    /// <param name="options">The call's options.</param>
    /// <param name="request">The request.</param>
    /// <param name="observer">Told once, when the call ends.</param>
    /// <param name="timed">Whether to time the call; when false the observer is told a negative elapsed time (no clock is read).</param>
    /// <returns>The call.</returns>
    AsyncUnaryCall<TResponse> AsyncUnaryCall<TRequest, TResponse>(Method<TRequest, TResponse> method, string? host, CallOptions options, TRequest request, IUnaryCallObserver observer, bool timed = true)
        where TRequest : class
        where TResponse : class;
}

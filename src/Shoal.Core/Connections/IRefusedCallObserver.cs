namespace Shoal.Connections;

/// <summary>
/// An <see cref="IUnaryCallObserver"/> that may take over a unary call its server never started,
/// before the caller sees the refusal: the cluster client uses it to send such a call to another
/// instance while the caller keeps the connection's own call object (so a call that succeeds costs
/// nothing extra). A connection whose <see cref="IObservingCallInvoker"/> is given such an observer
/// offers it every unary call that it fails as never started.
/// </summary>
public interface IRefusedCallObserver : IUnaryCallObserver
{
    /// <summary>
    /// The server never started <paramref name="call"/>; its end was already reported through
    /// <see cref="IUnaryCallObserver.OnUnaryCallCompleted"/>. Returns true to take it over, and
    /// then ends it exactly once through <see cref="IRefusedUnaryCall{TRequest, TResponse}.Complete"/>
    /// or <see cref="IRefusedUnaryCall{TRequest, TResponse}.Fail"/>; false leaves the refusal as its outcome.
    /// Must be quick and must not throw.
    /// </summary>
    /// <typeparam name="TRequest">The request message type.</typeparam>
    /// <typeparam name="TResponse">The response message type.</typeparam>
    /// <param name="call">The refused call.</param>
    bool TryRedirect<TRequest, TResponse>(IRefusedUnaryCall<TRequest, TResponse> call)
        where TRequest : class
        where TResponse : class;
}

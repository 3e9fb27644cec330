using Grpc.Core;

namespace Shoal.Connections;

/// <summary>
/// A unary call its server never started (see <see cref="Shoal.Errors.CallNotStarted"/>), held open by its
/// connection while an <see cref="IRefusedCallObserver"/> sends it elsewhere. The caller still
/// holds the connection's own call object; ending this ends that.
/// </summary>
/// <typeparam name="TRequest">The request message type.</typeparam>
/// <typeparam name="TResponse">The response message type.</typeparam>
public interface IRefusedUnaryCall<TRequest, TResponse>
    where TRequest : class
    where TResponse : class
{
    /// <summary>The method.</summary>
    Method<TRequest, TResponse> Method { get; }

    /// <summary>The host override the caller passed, if any.</summary>
    string? Host { get; }

    /// <summary>The caller's options (deadline, headers, cancellation).</summary>
    CallOptions Options { get; }

    /// <summary>The request.</summary>
    TRequest Request { get; }

    /// <summary>Why the server did not start it (Unavailable, marked as never started).</summary>
    Status Refusal { get; }

    /// <summary>Ends the call with a response from wherever it was sent; ignored when the caller already cancelled it or its deadline passed.</summary>
    void Complete(TResponse response, Metadata? headers, Metadata? trailers);

    /// <summary>Ends the call with a failure; ignored when the call already ended.</summary>
    void Fail(Status status, Metadata? trailers);
}

using Grpc.Core;
using Shoal.Connections;

namespace Shoal.Client.Native.Internal.Client;

/// <summary>
/// A unary call its server never started, offered to an <see cref="IRefusedCallObserver"/> (the
/// cluster client) before the caller sees the refusal: the caller keeps this call object, and the
/// observer ends it with the outcome of the call sent elsewhere.
/// </summary>
internal sealed partial class ClientCall<TRequest, TResponse> : IRefusedUnaryCall<TRequest, TResponse>
{
    /// <summary>The call is in flight (or waiting to be sent).</summary>
    private const int Open = 0;

    /// <summary>The call has its outcome.</summary>
    private const int Completed = 1;

    /// <summary>The server refused the call and an observer is sending it elsewhere; only completion may follow.</summary>
    private const int Redirected = 2;

    Method<TRequest, TResponse> IRefusedUnaryCall<TRequest, TResponse>.Method => _method;

    string? IRefusedUnaryCall<TRequest, TResponse>.Host => _host;

    CallOptions IRefusedUnaryCall<TRequest, TResponse>.Options => _options;

    TRequest IRefusedUnaryCall<TRequest, TResponse>.Request => (TRequest)Task.AsyncState!;

    // Held in the status field, which is unused until the call completes: no extra field per call.
    Status IRefusedUnaryCall<TRequest, TResponse>.Refusal => _status;

    void IRefusedUnaryCall<TRequest, TResponse>.Complete(TResponse response, Metadata? headers, Metadata? trailers)
    {
        SetHeaders(headers);
        TryFinish(Status.DefaultSuccess, trailers, response, dropQueued: false);
    }

    void IRefusedUnaryCall<TRequest, TResponse>.Fail(Status status, Metadata? trailers)
        => TryFinish(status, trailers, null, dropQueued: false);

    /// <summary>
    /// Offers a refusal the server never started to the observer; true when it took the call over.
    /// The call is then held in the <see cref="Redirected"/> state, where the observer's outcome or
    /// the caller's cancellation ends it (whichever comes first), and the observer, told of this
    /// connection's part now, is not told again.
    /// </summary>
    private bool TryRedirect(Status status)
    {
        if (_method.Type != MethodType.Unary || !Shoal.Errors.CallNotStarted.Is(status) || _observer is not IRefusedCallObserver observer)
        {
            return false;
        }
        // The server never saw this call: a cancellation from now on must send it nothing.
        _transport = null;
        _id = 0;
        if (Interlocked.CompareExchange(ref _completed, Redirected, Open) != Open)
        {
            return false;
        }
        lock (this)
        {
            _status = status;
        }
        try
        {
            observer.OnUnaryCallCompleted(status.StatusCode, _observedSince != 0 ? System.Diagnostics.Stopwatch.GetElapsedTime(_observedSince) : NotTimed, cancelledByCaller: false);
            return observer.TryRedirect(this);
        }
        catch (Exception)
        {
            // An observer must not throw; if one does, the refusal is the call's outcome.
            return false;
        }
    }
}

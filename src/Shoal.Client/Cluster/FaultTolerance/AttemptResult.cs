using Grpc.Core;
using Shoal.Client.Cluster.Endpoints;

namespace Shoal.Client.Cluster.FaultTolerance;

/// <summary>The outcome of one attempt (or of a whole strategy): a response, or a status saying why there is none.</summary>
/// <typeparam name="TResponse">The response message type.</typeparam>
public readonly struct AttemptResult<TResponse>
    where TResponse : class
{
    private AttemptResult(Status status, TResponse? response, Metadata? headers, Metadata? trailers, ClusterEndpoint? endpoint, bool isDrop)
    {
        Status = status;
        Response = response;
        Headers = headers;
        Trailers = trailers;
        Endpoint = endpoint;
        IsDrop = isDrop;
    }

    /// <summary>OK on success.</summary>
    public Status Status { get; }

    /// <summary>The response on success.</summary>
    public TResponse? Response { get; }

    /// <summary>The response headers, when the server sent any.</summary>
    public Metadata? Headers { get; }

    /// <summary>The trailers, when the server sent any.</summary>
    public Metadata? Trailers { get; }

    /// <summary>The endpoint that answered, or null when no endpoint was reached.</summary>
    public ClusterEndpoint? Endpoint { get; }

    /// <summary>Whether the picker dropped the call: it must not be retried.</summary>
    public bool IsDrop { get; }

    /// <summary>
    /// Whether the server certainly never started the attempt: it was never sent, or the server
    /// refused it before any handler ran (shutting down, see <see cref="Shoal.Errors.CallNotStarted.Is"/>).
    /// Sending it again elsewhere is safe even for a method that is not idempotent.
    /// </summary>
    public bool NeverStarted => !IsSuccess && Shoal.Errors.CallNotStarted.Is(Status);

    /// <summary>Whether there is a response.</summary>
    public bool IsSuccess => Status.StatusCode == StatusCode.OK;

    /// <summary>A success.</summary>
    public static AttemptResult<TResponse> Success(TResponse response, Metadata? headers, Metadata? trailers, ClusterEndpoint? endpoint)
        => new(Status.DefaultSuccess, response, headers, trailers, endpoint, false);

    /// <summary>A failure with <paramref name="status"/>.</summary>
    public static AttemptResult<TResponse> Failure(Status status, Metadata? trailers = null, ClusterEndpoint? endpoint = null, bool isDrop = false)
        => new(status, null, null, trailers, endpoint, isDrop);
}

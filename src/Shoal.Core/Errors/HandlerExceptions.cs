using Grpc.Core;

namespace Shoal.Errors;

/// <summary>
/// Turns what a server handler threw into the <see cref="Status"/> a client sees,
/// the same way grpc-dotnet does, so both transports report identical statuses.
/// </summary>
public static class HandlerExceptions
{
    /// <summary>The detail grpc-dotnet reports for an unhandled exception.</summary>
    public const string UnhandledDetail = "Exception was thrown by handler.";

    /// <summary>
    /// The status for <paramref name="exception"/>: an <see cref="RpcException"/> keeps its own,
    /// cancellation after the deadline passed is <see cref="StatusCode.DeadlineExceeded"/> (a
    /// downstream call's <c>Cancelled</c> too: the deadline cancelled it, as grpc-dotnet reports it),
    /// cancellation by the client is <see cref="StatusCode.Cancelled"/>, anything else is
    /// <see cref="StatusCode.Unknown"/> (with the exception's type and message when
    /// <paramref name="detailedErrors"/> is on, as grpc-dotnet's <c>EnableDetailedErrors</c>).
    /// </summary>
    public static Status ToStatus(Exception exception, bool deadlineExceeded = false, bool clientCancelled = false, bool detailedErrors = false)
    {
        if (deadlineExceeded && IsCancellation(exception))
        {
            return new Status(StatusCode.DeadlineExceeded, "Deadline Exceeded");
        }
        if (exception is RpcException rpc)
        {
            return rpc.Status;
        }
        if (exception is OperationCanceledException && clientCancelled)
        {
            return new Status(StatusCode.Cancelled, "Call canceled by the client.");
        }
        var detail = detailedErrors
            ? $"{UnhandledDetail} {exception.GetType().Name}: {exception.Message}"
            : UnhandledDetail;
        return new Status(StatusCode.Unknown, detail, exception);
    }

    /// <summary>
    /// Whether a handler stopped because its token was cancelled: an <see cref="OperationCanceledException"/>,
    /// or the <see cref="StatusCode.Cancelled"/> of a call it made with that token (propagated by Shoal's
    /// channel), which fails as soon as the token is.
    /// </summary>
    public static bool IsCancellation(Exception exception)
        => exception is OperationCanceledException or RpcException { StatusCode: StatusCode.Cancelled };
}

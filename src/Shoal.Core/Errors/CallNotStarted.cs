using System.Net.Http;
using System.Net.Sockets;
using Grpc.Core;

namespace Shoal.Errors;

/// <summary>
/// Calls the server never started: the statuses transports give them, and how a client recognises
/// them on either transport, so that it can send them again elsewhere whether or not the method is
/// idempotent.
/// </summary>
/// <remarks>
/// Only the outermost <see cref="Status.DebugException"/> is looked at. A call that broke
/// in flight carries the same socket errors deeper in its chain (grpc-dotnet reports a reset
/// connection as an <see cref="HttpRequestException"/> around an <see cref="IOException"/> around
/// a <see cref="SocketException"/>), and it may have reached its handler.
/// </remarks>
public static class CallNotStarted
{
    /// <summary>HTTP/2's REFUSED_STREAM: the server refused the stream before any application processing (RFC 9113, 8.7).</summary>
    private const long Http2RefusedStream = 0x7;

    /// <summary>An Unavailable status marked as never started (see <see cref="CallNotStartedException"/>).</summary>
    /// <param name="detail">The status detail the caller sees.</param>
    public static Status Status(string detail) => new(StatusCode.Unavailable, detail, new CallNotStartedException(detail));

    /// <summary>
    /// Whether the call that ended with <paramref name="status"/> was certainly never started by the server:
    /// <list type="bullet">
    /// <item>a Shoal transport marked it (<see cref="CallNotStartedException"/>): on the native transport, a
    /// call above the last id of the server's go-away, or one that found the connection draining,
    /// broken or disposed before it was written;</item>
    /// <item>grpc-dotnet could not connect (<c>Error connecting to subchannel</c> with a connection-phase
    /// <see cref="SocketException"/>), or HttpClient failed before the request was sent
    /// (<see cref="HttpRequestError.ConnectionError"/>, <see cref="HttpRequestError.NameResolutionError"/>,
    /// <see cref="HttpRequestError.SecureConnectionError"/>), or the server refused the stream with
    /// HTTP/2 REFUSED_STREAM.</item>
    /// </list>
    /// Anything else, such as a connection that broke while the call was on it, may have run the handler.
    /// </summary>
    public static bool Is(Status status) => status.StatusCode != StatusCode.OK && status.DebugException switch
    {
        CallNotStartedException => true,
        SocketException socket => IsConnectPhase(socket.SocketErrorCode),
        HttpRequestException http => http.HttpRequestError is HttpRequestError.ConnectionError or HttpRequestError.NameResolutionError
            or HttpRequestError.SecureConnectionError
            || http.InnerException is HttpProtocolException { ErrorCode: Http2RefusedStream },
        HttpProtocolException { ErrorCode: Http2RefusedStream } => true,
        _ => false,
    };

    /// <summary>Socket errors that only dialing produces: nothing was sent on that socket.</summary>
    private static bool IsConnectPhase(SocketError error) => error is SocketError.ConnectionRefused or SocketError.HostNotFound
        or SocketError.HostUnreachable or SocketError.NetworkUnreachable or SocketError.AddressNotAvailable or SocketError.TryAgain;
}

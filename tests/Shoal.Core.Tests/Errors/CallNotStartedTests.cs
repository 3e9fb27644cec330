using System.Net.Http;
using System.Net.Sockets;
using Grpc.Core;
using Shoal.Errors;

namespace Shoal.Core.Tests.Errors;

/// <summary>
/// Which failures count as "the server never started the call". The shapes are those the two
/// transports produce (the functional tests see them on real sockets): a marked native status,
/// grpc-dotnet's failed dial, HttpClient's failed connection, and a connection reset mid-call.
/// </summary>
public sealed class CallNotStartedTests
{
    private static Status Unavailable(Exception? debug) => new(StatusCode.Unavailable, "failed", debug);

    [Fact]
    public void MarkedStatus_IsUnavailableAndNeverStarted()
    {
        var status = CallNotStarted.Status("The server is shutting down and did not start this call.");

        Assert.Equal(StatusCode.Unavailable, status.StatusCode);
        Assert.Equal("The server is shutting down and did not start this call.", status.Detail);
        Assert.True(CallNotStarted.Is(status));
    }

    public static TheoryData<string, Exception?, bool> Shapes => new()
    {
        // grpc-dotnet: "Error connecting to subchannel." carries the dial's own socket error.
        { "subchannel refused", new SocketException((int)SocketError.ConnectionRefused), true },
        { "subchannel host not found", new SocketException((int)SocketError.HostNotFound), true },
        // HttpClient failed before sending ("Error starting gRPC call. HttpRequestException: Connection refused").
        { "http connection error", new HttpRequestException(HttpRequestError.ConnectionError, "Connection refused", new SocketException((int)SocketError.ConnectionRefused)), true },
        { "http name resolution", new HttpRequestException(HttpRequestError.NameResolutionError, "no such host"), true },
        { "http tls handshake", new HttpRequestException(HttpRequestError.SecureConnectionError, "handshake failed"), true },
        { "http2 refused stream", new HttpRequestException(HttpRequestError.HttpProtocolError, "refused", new HttpProtocolException(0x7, "REFUSED_STREAM", null)), true },
        // A connection reset while the call was on it: the same socket error, but deep in the chain; the handler may have run.
        { "reset mid-call", new HttpRequestException(HttpRequestError.Unknown, "An error occurred while sending the request.",
            new IOException("The request was aborted.", new IOException("Unable to read data", new SocketException((int)SocketError.ConnectionReset)))), false },
        { "http2 cancel", new HttpRequestException(HttpRequestError.HttpProtocolError, "cancel", new HttpProtocolException(0x8, "CANCEL", null)), false },
        { "response ended", new HttpRequestException(HttpRequestError.ResponseEnded, "The response ended prematurely."), false },
        { "socket reset at the top", new SocketException((int)SocketError.ConnectionReset), false },
        { "native connection broke (no marker)", null, false },
        { "handler error", new InvalidOperationException("boom"), false },
    };

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Failure_OfEachShape_IsNeverStartedOnlyWhenNothingReachedTheServer(string shape, Exception? debug, bool expected)
    {
        Assert.True(expected == CallNotStarted.Is(Unavailable(debug)), shape);
    }

    [Fact]
    public void OkStatus_IsNeverANeverStartedFailure()
    {
        Assert.False(CallNotStarted.Is(new Status(StatusCode.OK, "", new CallNotStartedException())));
    }
}

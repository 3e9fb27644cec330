using Shoal.Client.Native.Protocol;

namespace Shoal.Server.Native;

/// <summary>Limits and timings of the native protocol's server side (docs/security.md explains each limit and what happens when it is hit).</summary>
public sealed class NativeServerOptions
{
    /// <summary>Largest message the server accepts, checked from the frame header before anything is allocated. Default 4 MiB.</summary>
    public int MaxReceiveMessageSize { get; set; } = 4 * 1024 * 1024;

    /// <summary>Largest message the server sends. Default 4 MiB.</summary>
    public int MaxSendMessageSize { get; set; } = 4 * 1024 * 1024;

    /// <summary>
    /// Calls one connection may have running at once, advertised to the client (setting 2), whose
    /// calls past it wait in the client for one to end. A call that reaches the server past it fails
    /// with ResourceExhausted: a call the client cancelled, or whose deadline passed, counts until its
    /// handler returns.
    /// Default 100 (Kestrel's HTTP/2 MaxStreamsPerConnection).
    /// </summary>
    public int MaxConcurrentCallsPerConnection { get; set; } = 100;

    /// <summary>Native connections the server keeps at once; one more is answered with GoAway TooManyConnections and closed. Default 10,000.</summary>
    public int MaxConnections { get; set; } = 10_000;

    /// <summary>
    /// Bytes of large frames (over 64 KiB) that all connections of the server may be assembling or
    /// handling at once: a frame is reserved when its header arrives, until it is handled or, for the
    /// request of a unary or server-streaming call, until its handler returns. A frame that does not
    /// fit is not buffered: its call fails with ResourceExhausted and its payload is skipped. Default
    /// 256 MiB (64 callers each sending a 4 MiB message at the same moment).
    /// </summary>
    public long FrameAssemblyBudget { get; set; } = 256L * 1024 * 1024;

    /// <summary>
    /// Bytes of request-stream messages a connection holds for its handlers, across all its calls,
    /// before they read them (the connection-level receive window, granted to the client). Default 1 MiB
    /// (Kestrel's HTTP/2 InitialConnectionWindowSize).
    /// </summary>
    public int ConnectionWindowSize { get; set; } = 1024 * 1024;

    /// <summary>
    /// Bytes of one request stream's messages a connection holds before the handler reads them (the
    /// per-call receive window, sent to the client as setting 3): how far a client stream runs ahead of
    /// its handler. Default 768 KiB (Kestrel's HTTP/2 InitialStreamWindowSize); at least 64 KiB, at most 16 MiB.
    /// </summary>
    public int StreamWindowSize { get; set; } = ProtocolConstants.DefaultStreamWindowSize;

    /// <summary>
    /// Bytes of encoded frames a connection may hold that the transport has not taken yet. Past it,
    /// streaming writes and responses of asynchronous handlers wait, and the connection reads no new
    /// frames, whatever window the client granted. Default 1 MiB.
    /// </summary>
    public int MaxOutputBufferSize { get; set; } = 1024 * 1024;

    /// <summary>
    /// The slowest a frame that has started to arrive may keep coming, in bytes per second, measured
    /// over each <see cref="MinReceiveDataRateGracePeriod"/>; a slower peer is closed with GoAway
    /// Timeout. 0 turns the check off. Default 240 (Kestrel's MinRequestBodyDataRate).
    /// </summary>
    public double MinReceiveDataRate { get; set; } = 240;

    /// <summary>The period over which <see cref="MinReceiveDataRate"/> is measured (the first one is the grace period). Default 5 s.</summary>
    public TimeSpan MinReceiveDataRateGracePeriod { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// The slowest the client may take the server's output, in bytes per second: each write to the
    /// transport may take its size at this rate, or the grace period if longer; a client that does not
    /// read is disconnected. 0 turns the check off. Default 240 (Kestrel's MinResponseDataRate).
    /// </summary>
    public double MinSendDataRate { get; set; } = 240;

    /// <summary>The least time any write to the transport is given (see <see cref="MinSendDataRate"/>). Default 5 s.</summary>
    public TimeSpan MinSendDataRateGracePeriod { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// How long a connection may have no call open and start none before the server closes it with
    /// GoAway NoError (pings do not count); <see cref="Timeout.InfiniteTimeSpan"/> never. Default 130 s
    /// (Kestrel's KeepAliveTimeout).
    /// </summary>
    public TimeSpan IdleTimeout { get; set; } = TimeSpan.FromSeconds(130);

    /// <summary>
    /// Calls per second a client may cancel, or let expire on the server, when they are more than half
    /// of the calls it starts; past it the connection is closed with GoAway EnhanceYourCalm (the
    /// HTTP/2 rapid-reset defence). 0 turns the check off. Default 200.
    /// </summary>
    public int MaxCallResetsPerSecond { get; set; } = 200;

    /// <summary>How often an idle connection is pinged; <see cref="Timeout.InfiniteTimeSpan"/> disables pings.</summary>
    public TimeSpan KeepAliveInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long a ping may go unanswered before the connection is closed as dead.</summary>
    public TimeSpan KeepAliveTimeout { get; set; } = TimeSpan.FromSeconds(20);

    /// <summary>How long a new connection may take to send its preface.</summary>
    public TimeSpan HandshakeTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Adds the exception type and message to the status detail of unhandled exceptions (as grpc-dotnet's EnableDetailedErrors).</summary>
    public bool EnableDetailedErrors { get; set; }

    /// <summary>Told when each call starts and ends (load measurement); none when null.</summary>
    public INativeCallObserver? CallObserver { get; set; }

    /// <summary>The clock of the connections' timers (tests use a fake one).</summary>
    internal TimeProvider TimeProvider { get; set; } = TimeProvider.System;
}

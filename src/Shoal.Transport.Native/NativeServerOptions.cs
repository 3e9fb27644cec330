namespace Shoal.Transport.Native;

/// <summary>Limits and timings of the native protocol's server side.</summary>
public sealed class NativeServerOptions
{
    /// <summary>Largest message the server accepts, checked from the frame header before anything is allocated. Default 4 MiB.</summary>
    public int MaxReceiveMessageSize { get; set; } = 4 * 1024 * 1024;

    /// <summary>Largest message the server sends. Default 4 MiB.</summary>
    public int MaxSendMessageSize { get; set; } = 4 * 1024 * 1024;

    /// <summary>Calls one connection may have open at once; a call past it fails with ResourceExhausted.</summary>
    public int MaxConcurrentCallsPerConnection { get; set; } = 1000;

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
}

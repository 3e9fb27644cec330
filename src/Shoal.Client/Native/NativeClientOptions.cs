using System.Net.Security;
using Shoal.Client.Native.Protocol;

namespace Shoal.Client.Native;

/// <summary>Limits and timings of the native protocol's client side.</summary>
public sealed class NativeClientOptions
{
    /// <summary>Largest message the client accepts. Default 4 MiB.</summary>
    public int MaxReceiveMessageSize { get; set; } = 4 * 1024 * 1024;

    /// <summary>Largest message the client sends. Default 4 MiB.</summary>
    public int MaxSendMessageSize { get; set; } = 4 * 1024 * 1024;

    /// <summary>
    /// Bytes of response-stream messages the connection holds for the application, across all its
    /// calls, before it reads them (the connection-level receive window, granted to the server). Default 1 MiB.
    /// </summary>
    public int ConnectionWindowSize { get; set; } = 1024 * 1024;

    /// <summary>
    /// Bytes of one response stream's messages the client holds before the application reads them (the
    /// per-call receive window, sent to the server as setting 3): how far a server stream runs ahead of
    /// its reader. Default 768 KiB (Kestrel's HTTP/2 InitialStreamWindowSize); at least 64 KiB, at most 16 MiB.
    /// </summary>
    public int StreamWindowSize { get; set; } = ProtocolConstants.DefaultStreamWindowSize;

    /// <summary>
    /// Bytes of encoded frames the connection may hold that the socket has not taken yet. Past it, new
    /// calls and request-stream writes wait (bounded by their deadline and cancellation). Default 1 MiB.
    /// </summary>
    public int MaxOutputBufferSize { get; set; } = 1024 * 1024;

    /// <summary>How often an idle connection is pinged; <see cref="Timeout.InfiniteTimeSpan"/> disables pings.</summary>
    public TimeSpan KeepAliveInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long a ping may go unanswered before the connection is treated as dead.</summary>
    public TimeSpan KeepAliveTimeout { get; set; } = TimeSpan.FromSeconds(20);

    /// <summary>How long one connection attempt may take.</summary>
    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>TLS settings; null for plaintext. Set for targets that use TLS on the native port.</summary>
    public SslClientAuthenticationOptions? Tls { get; set; }

    /// <summary>
    /// When false (the default), a call with <see cref="global::Grpc.Core.CallOptions.Credentials"/> on a
    /// plaintext connection fails with <c>Unauthenticated</c> instead of sending its token in clear
    /// text. Set true only where the network is trusted (grpc-dotnet's option of the same name).
    /// </summary>
    public bool UnsafeUseInsecureChannelCallCredentials { get; set; }

    /// <summary>The wait before the first reconnect attempt after a failed one; doubles (with jitter) up to <see cref="ReconnectBackoffMax"/>.</summary>
    public TimeSpan ReconnectBackoffInitial { get; set; } = TimeSpan.FromMilliseconds(200);

    /// <summary>The longest wait between reconnect attempts.</summary>
    public TimeSpan ReconnectBackoffMax { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// When false (the default), a unary call's response task (and a response stream's pending
    /// <c>MoveNext</c>) completes on the connection's read loop, once the read's frames are parsed: the
    /// caller's continuation runs without a thread hop and the calls and messages it sends are flushed together. A continuation that blocks (on another call of the same
    /// connection, say) does not deadlock the connection: found running at two checks of the
    /// process's watchdog (10–100 ms apart), it loses the read loop to a thread-pool thread, and the
    /// other calls go on. Set true to run every continuation on the thread pool instead (as
    /// grpc-dotnet does): about a fifth of the throughput at 64 callers on one connection (see
    /// performance.md). With <see cref="DedicatedReceiveThread"/> continuations run on that thread
    /// with no watchdog, and must not block.
    /// </summary>
    public bool RunContinuationsAsynchronously { get; set; }

    /// <summary>
    /// When true, a plaintext connection on Linux gets a dedicated receive thread: it reads the socket
    /// with blocking calls (polling it briefly first, yielding the core between polls) and completes
    /// calls from there, and sends try a non-blocking write before falling back to the thread pool.
    /// This saves the thread wake-ups of asynchronous socket I/O on each round trip (lower latency at
    /// low concurrency) at the cost of a thread per connection, which polls while calls are in flight
    /// and adds about 30 KiB a connection: for a client with one or a few busy connections. False (the
    /// default), on TLS connections and on other platforms, the connection uses asynchronous socket I/O.
    /// </summary>
    public bool DedicatedReceiveThread { get; set; }

    /// <summary>
    /// How long a connection whose calls wait for replies polls its socket before it waits for the
    /// socket engine to wake it. A reply that comes within it is read by the thread already running,
    /// which saves two thread wake-ups per round trip at low concurrency (see performance.md). At most
    /// half the cores' worth of connections poll at once across the process (at least one), and an
    /// idle connection never polls. Default 50 µs; zero turns the poll off; at most
    /// <see cref="MaxReceivePollTime"/>. With <see cref="DedicatedReceiveThread"/> it is that
    /// thread's poll before its blocking read.
    /// </summary>
    public TimeSpan ReceivePollTime { get; set; } = TimeSpan.FromMicroseconds(50);

    /// <summary>The longest <see cref="ReceivePollTime"/> accepted: a poll holds its thread that long.</summary>
    public static readonly TimeSpan MaxReceivePollTime = TimeSpan.FromSeconds(1);

    /// <summary>
    /// When true (the default), a connection on Linux (plaintext or TLS) waits for its replies in Shoal's own
    /// receive engine: an epoll instance with one thread (as many engines per process as it has cores) that reads a connection's reply as soon as it arrives and runs the read loop, and
    /// with it the callers' continuations, on that thread. The runtime's socket engine instead wakes
    /// a thread of its own for each reply and queues the read loop to the thread pool: two thread
    /// wake-ups per round trip instead of one (see performance.md, "The receive engine"). A
    /// continuation that blocks the engine's thread is handed over like a blocked read loop: found on
    /// two checks of the process's watchdog, a new thread takes the engine over. False, and on other
    /// platforms, the connection uses the runtime's asynchronous socket I/O.
    /// <see cref="DedicatedReceiveThread"/> wins over it.
    /// </summary>
    public bool UseReceiveEngine { get; set; } = true;

    /// <summary>The engine a connection waits in; null spreads connections over the process's engines (tests give a connection one of its own).</summary>
    internal Shoal.Client.Native.Internal.Client.ReceiveEngine? ReceiveEngineOverride { get; set; }

    /// <summary>The budget of polls the connections share (the process's; tests give a connection one of its own).</summary>
    internal Shoal.Client.Native.Internal.Client.ReceivePoll ReceivePollBudget { get; set; } = Shoal.Client.Native.Internal.Client.ReceivePoll.Shared;

    /// <summary>
    /// When set, a connection runs over the stream this returns instead of dialing TCP: the seam
    /// through which the fuzzing harness plays a server from memory. Not for production use.
    /// </summary>
    internal Func<Uri, CancellationToken, ValueTask<Stream>>? StreamDialer { get; set; }

    /// <summary>The call id after which a connection retires itself and a fresh one is dialed (lowered by tests).</summary>
    internal uint CallIdLimit { get; set; } = uint.MaxValue - 1024;
}

using System.Security.Cryptography.X509Certificates;
using Shoal.Server.Native;

namespace Shoal.Server;

/// <summary>
/// Where and how a Shoal host serves: the native port and the gRPC port, bound from the
/// <c>Shoal:Server</c> configuration section (appsettings.json, environment, command line).
/// </summary>
public sealed class ShoalServerOptions
{
    /// <summary>The configuration section these options bind from.</summary>
    public const string SectionName = "Shoal:Server";

    /// <summary>The address both transports listen on. Default 127.0.0.1; use 0.0.0.0 to listen on every interface.</summary>
    public string Host { get; set; } = "127.0.0.1";

    /// <summary>The native protocol's TCP port (0 picks a free one; -1 disables the native transport). Default 7000.</summary>
    public int TcpPort { get; set; } = 7000;

    /// <summary>The gRPC (HTTP/2) port (0 picks a free one; -1 disables gRPC). Default 7001.</summary>
    public int GrpcPort { get; set; } = 7001;

    /// <summary>
    /// The plain HTTP/1.1 port that serves Prometheus metrics (<c>/metrics</c>) and the probes
    /// (<c>/healthz</c>, <c>/readyz</c>); never TLS (0 picks a free port). Default -1: off, and no
    /// metrics are collected for it.
    /// </summary>
    public int MetricsPort { get; set; } = -1;

    /// <summary>A certificate to serve TLS with on both ports; plaintext when null (and <see cref="CertificatePath"/> is not set).</summary>
    public X509Certificate2? Certificate { get; set; }

    /// <summary>A PKCS#12 (.pfx) file to serve TLS with on both ports, for configuration files; <see cref="Certificate"/> wins when both are set.</summary>
    public string? CertificatePath { get; set; }

    /// <summary>The password of <see cref="CertificatePath"/>; none when null.</summary>
    public string? CertificatePassword { get; set; }

    /// <summary>TLS from PEM files and required client certificates (section <c>Shoal:Server:Tls</c>).</summary>
    public ShoalServerTlsOptions Tls { get; set; } = new();

    /// <summary>Adds exception type and message to Unknown statuses on both transports.</summary>
    public bool EnableDetailedErrors { get; set; }

    /// <summary>
    /// Whether Kestrel's socket transport runs its continuations on the thread whose socket
    /// operation completed (its <c>UnsafePreferInlineScheduling</c>) instead of handing each received
    /// batch to the thread pool and each send to an I/O queue: a native call then costs one thread hop
    /// instead of three, and the server about a fifth less CPU per call at 1,000 connections with one
    /// call in flight each, but more with one busy connection, whose sends no longer coalesce
    /// (docs/performance.md). Default false, also because inline a handler that blocks its thread
    /// holds its own connection's socket receive: that connection's other calls wait for it (without
    /// this, the native read loop moves to another thread and they go on). Other connections are
    /// served either way.
    /// </summary>
    public bool InlineSocketScheduling { get; set; }

    /// <summary>
    /// Whether Kestrel's socket transport waits for a connection's data before it takes a receive
    /// buffer for it (its <c>WaitForDataBeforeAllocatingBuffer</c>): a zero-byte receive, then the receive
    /// proper, two system calls for every block (<see cref="MemoryPoolBlockSize"/>) the transport receives.
    /// False receives straight into the buffer, one system call per block, at the price of a block held by
    /// every connection while it waits (idle ones too). Default false: with 4 KiB blocks, a 1 MiB request
    /// cost the server about 256 system calls instead of 512 and about a tenth less CPU, an idle connection
    /// 4 KiB more (docs/performance.md, "Large messages on the server"). Kestrel's own default is true.
    /// </summary>
    public bool WaitForDataBeforeReceiveBuffer { get; set; }

    /// <summary>
    /// The size of the blocks Kestrel's socket transport receives into and sends from, on both of the
    /// host's ports: one receive system call fills at most one block. Default 16 KiB: a 1 MiB request
    /// costs the server about 64 receives instead of the 256 of Kestrel's own 4 KiB blocks, and an idle
    /// connection (which holds one block while it waits, see <see cref="WaitForDataBeforeReceiveBuffer"/>)
    /// 12 KiB more (docs/performance.md, "Large messages: fewer copies"). Shoal's pool keeps the blocks it
    /// frees and lets go of those left unused for 10 s, so a flood of large frames makes no pinned garbage
    /// (docs/security.md). 4096 keeps Kestrel's own pool. A multiple of 4 KiB from 4 KiB to 64 KiB.
    /// </summary>
    public int MemoryPoolBlockSize { get; set; } = 16 * 1024;

    /// <summary>
    /// At most this many connections to the gRPC port at once; one past it is closed before anything is
    /// read from it, and the ones already in are served. Default 10,000, the native port's
    /// <see cref="NativeServerOptions.MaxConnections"/>: Kestrel's own limit
    /// (<c>Limits.MaxConcurrentConnections</c>) is unlimited by default and counts each endpoint alike,
    /// the native one too, where it would close a connection before Shoal's limit sends GoAway
    /// <c>TooManyConnections</c>. At least 1.
    /// </summary>
    public int GrpcMaxConnections { get; set; } = 10_000;

    /// <summary>Native protocol limits and timings.</summary>
    public NativeServerOptions Native { get; set; } = new();

    /// <summary>How long calls in flight may run on after shutdown begins.</summary>
    public TimeSpan ShutdownGracePeriod { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Where the host registers itself once started: <c>registry://host:port</c> (the embedded
    /// registry, <c>shoal registry</c>), <c>etcd://h1:p1,h2:p2</c>, or <c>memory</c> (the
    /// <see cref="Shoal.Client.Discovery.InMemory.InMemoryServiceRegistry"/> from DI, for tests). Null or
    /// empty: the host does not register.
    /// </summary>
    public string? Registry { get; set; }

    /// <summary>A file holding the embedded registry's token, sent with every call to a <c>registry://</c> <see cref="Registry"/>; none when null.</summary>
    public string? RegistryTokenFile { get; set; }

    /// <summary>TLS towards a <c>registry://</c> <see cref="Registry"/> served with TLS: its CA bundle, and a client certificate when it requires one.</summary>
    public Shoal.Client.ShoalClientTlsOptions RegistryTls { get; set; } = new();

    /// <summary>The instance id it registers with; a new unique id per process when null.</summary>
    public string? InstanceId { get; set; }

    /// <summary>The zone (failure domain) it registers with; empty when unknown.</summary>
    public string Zone { get; set; } = "";

    /// <summary>The relative share of traffic it asks for (0 takes none). Default 100.</summary>
    public int Weight { get; set; } = 100;

    /// <summary>The software version it registers with; empty when unknown.</summary>
    public string Version { get; set; } = "";

    /// <summary>Free-form labels registered with the instance.</summary>
    public IDictionary<string, string> Metadata { get; set; } = new Dictionary<string, string>(StringComparer.Ordinal);

    /// <summary>The registration lease: a killed process leaves the registry this long after its last keepalive. Default 10 s.</summary>
    public TimeSpan RegistrationTtl { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// On a graceful stop, how long the host keeps serving after it deregistered, before it tells
    /// its connections to drain: the time clients need to see it gone from the registry. Default 2 s.
    /// </summary>
    public TimeSpan DeregisterDelay { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>How the server measures and reports its load (the window, the CPU allotment); see docs/autoscaling.md.</summary>
    public Load.ServerLoadOptions Load { get; set; } = new();
}

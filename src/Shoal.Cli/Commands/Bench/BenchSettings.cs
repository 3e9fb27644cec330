using Shoal.Cli.Commands.Bench.Scenarios;

namespace Shoal.Cli.Commands.Bench;

/// <summary>How one benchmark run loads the Greeter.</summary>
internal sealed record BenchSettings
{
    /// <summary>The default warm-up: long enough for tiered JIT and PGO to finish on a 2-core machine (2 s understates by up to 40%).</summary>
    public static readonly TimeSpan DefaultWarmup = TimeSpan.FromSeconds(10);

    /// <summary>What <c>--instances</c> adds to the default warm-up per server process.</summary>
    public static readonly TimeSpan WarmupPerInstance = TimeSpan.FromSeconds(1);

    /// <summary>
    /// The warm-up when <c>--warmup</c> is not given: <see cref="DefaultWarmup"/>, plus
    /// <see cref="WarmupPerInstance"/> per server with <c>--instances</c>, since every server process
    /// compiles and tiers up the hot path itself, on the same cores (fifty of them on two cores did
    /// 0.009× one instance's throughput after 10 s, against the rate of one server after 60 s).
    /// </summary>
    public static TimeSpan DefaultWarmupFor(int? instances) => DefaultWarmup + (WarmupPerInstance * (instances ?? 0));

    /// <summary>The default longest extension of the warm-up while throughput still rises.</summary>
    public static readonly TimeSpan DefaultWarmupExtension = TimeSpan.FromSeconds(20);

    /// <summary>The default measured time.</summary>
    public static readonly TimeSpan DefaultDuration = TimeSpan.FromSeconds(10);

    /// <summary>The Shoal client's TLS files and registry token (<c>--ca</c>, <c>--cert</c>, <c>--key</c>, <c>--registry-token-file</c>).</summary>
    public ClientCredentials Credentials { get; init; } = ClientCredentials.None;

    /// <summary>Concurrent callers, each an async loop of unary SayHello calls.</summary>
    public int Concurrency { get; init; } = 64;

    /// <summary>Channels (connections) the callers are spread over, round robin.</summary>
    public int Connections { get; init; } = 1;

    /// <summary>The measured time.</summary>
    public TimeSpan Duration { get; init; } = DefaultDuration;

    /// <summary>Calls before measuring starts; not counted.</summary>
    public TimeSpan Warmup { get; init; } = DefaultWarmup;

    /// <summary>
    /// How much longer than <see cref="Warmup"/> the warm-up may go on, second by second, while
    /// throughput is still rising (the JIT not done); zero for a fixed warm-up.
    /// </summary>
    public TimeSpan WarmupExtension { get; init; } = DefaultWarmupExtension;

    /// <summary>What each caller does (<c>--scenario</c>).</summary>
    public BenchScenario Scenario { get; init; } = BenchScenario.Unary;

    /// <summary>Payload bytes per message (<c>--payload</c>); null for the scenario's default.</summary>
    public int? Payload { get; init; }

    /// <summary>Whether native connections read on a dedicated thread each (<c>--native-receive dedicated</c>) or with asynchronous socket I/O; the client's default unless set.</summary>
    public bool DedicatedReceiveThread { get; init; } = new Shoal.Client.Native.NativeClientOptions().DedicatedReceiveThread;

    /// <summary>Whether native connections wait in Shoal's receive engine (<c>--native-receive engine</c>) rather than the runtime's socket I/O; the client's default unless set.</summary>
    public bool UseReceiveEngine { get; init; } = new Shoal.Client.Native.NativeClientOptions().UseReceiveEngine;

    /// <summary>The <c>--native-receive</c> name of a receive path: the dedicated thread wins over the engine.</summary>
    public static string ReceiveName(bool dedicatedReceiveThread, bool useReceiveEngine) =>
        dedicatedReceiveThread ? "dedicated" : useReceiveEngine ? "engine" : "async";

    /// <summary>How long a native connection polls for a reply it expects before it waits (<c>--native-receive-poll</c>); the client's default unless set.</summary>
    public TimeSpan ReceivePollTime { get; init; } = new Shoal.Client.Native.NativeClientOptions().ReceivePollTime;

    /// <summary>Whether native unary calls complete their caller's continuation inline on the receive loop (<c>--native-continuations inline</c>) or on the thread pool; the client's default unless set.</summary>
    public bool InlineContinuations { get; init; } = !new Shoal.Client.Native.NativeClientOptions().RunContinuationsAsynchronously;

    /// <summary>The name each request carries.</summary>
    public string RequestName { get; init; } = "world";
}

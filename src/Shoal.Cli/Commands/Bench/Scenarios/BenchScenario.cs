using Grpc.Core;

namespace Shoal.Cli.Commands.Bench.Scenarios;

/// <summary>
/// What a benchmark run loads (<c>shoal bench --scenario</c>): the method, the shape of its calls,
/// what one operation is, and which of messages/s and MB/s apply.
/// </summary>
internal abstract class BenchScenario
{
    /// <summary>Unary SayHello (the Greeter), the default.</summary>
    public static readonly BenchScenario Unary = new UnaryScenario();

    /// <summary>Every scenario, by name.</summary>
    public static readonly IReadOnlyList<BenchScenario> All = [Unary, new ServerStreamScenario(), new ClientStreamScenario(), new DuplexScenario(), new LargeScenario()];

    /// <summary>Every scenario's name, for <c>--scenario</c>.</summary>
    public static string[] Names => [.. All.Select(s => s.Name)];

    /// <summary>The name given to <c>--scenario</c>.</summary>
    public abstract string Name { get; }

    /// <summary>Concurrent callers when <c>--concurrency</c> is not given.</summary>
    public virtual int DefaultConcurrency => 64;

    /// <summary>Payload bytes per message when <c>--payload</c> is not given; null when the scenario takes none.</summary>
    public virtual int? DefaultPayload => null;

    /// <summary>Whether the run reports messages per second.</summary>
    public virtual bool ReportsMessages => false;

    /// <summary>Whether the run reports MB/s of payload.</summary>
    public virtual bool ReportsBytes => false;

    /// <summary>
    /// Whether each call is one request and one reply, so that a run can pause between calls: with
    /// <c>--compare</c>, <c>shoal-tcp</c> and <c>shoal-cluster</c> are then measured in alternating
    /// slices (<see cref="BenchRunner.RunInterleavedAsync"/>); a stream's run cannot pause and runs in one window.
    /// </summary>
    public virtual bool HasShortCalls => false;

    /// <summary>Whether a plain socket copy of the same bytes runs beside it with <c>--compare</c>.</summary>
    public virtual bool HasSocketCopy => false;

    /// <summary>The method and payload, for the report's first line.</summary>
    public abstract string Describe(int? payload);

    /// <summary>A caller of this scenario on <paramref name="invoker"/>.</summary>
    public abstract IScenarioCaller CreateCaller(CallInvoker invoker, BenchSettings settings);

    /// <summary>The scenario called <paramref name="name"/>.</summary>
    public static BenchScenario Parse(string name) =>
        All.FirstOrDefault(s => s.Name == name) ?? throw new ArgumentException($"No scenario '{name}'; one of {string.Join(", ", Names)}.", nameof(name));

    /// <summary>The payload size of a run: <see cref="BenchSettings.Payload"/>, or this scenario's default.</summary>
    protected int PayloadOf(BenchSettings settings) => settings.Payload ?? DefaultPayload ?? 0;
}

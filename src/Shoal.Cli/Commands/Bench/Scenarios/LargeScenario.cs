using Grpc.Core;
using Shoal.Bench;

namespace Shoal.Cli.Commands.Bench.Scenarios;

/// <summary><c>large</c>: unary echoes of a large payload (default 1 MiB) in the request and in the reply.</summary>
internal sealed class LargeScenario : BenchScenario
{
    /// <inheritdoc/>
    public override string Name => "large";

    /// <summary>Four calls in flight keep one connection busy; 64 queued megabyte calls would take longer than a short window.</summary>
    public override int DefaultConcurrency => 4;

    /// <inheritdoc/>
    public override int? DefaultPayload => 1024 * 1024;

    /// <inheritdoc/>
    public override bool ReportsBytes => true;

    /// <inheritdoc/>
    public override bool HasSocketCopy => true;

    /// <inheritdoc/>
    public override bool HasShortCalls => true;

    /// <inheritdoc/>
    public override string Describe(int? payload) => $"shoal.bench.Benchmark/Echo, {payload ?? DefaultPayload:N0} bytes each way";

    /// <inheritdoc/>
    public override IScenarioCaller CreateCaller(CallInvoker invoker, BenchSettings settings) =>
        new LargeCaller(new Benchmark.BenchmarkClient(invoker), PayloadOf(settings));
}

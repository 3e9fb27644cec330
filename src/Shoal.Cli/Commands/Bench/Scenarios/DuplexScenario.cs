using Grpc.Core;
using Shoal.Bench;

namespace Shoal.Cli.Commands.Bench.Scenarios;

/// <summary><c>duplex</c>: one ping-pong stream per caller (default 64 streams); a round trip is one message each way.</summary>
internal sealed class DuplexScenario : BenchScenario
{
    /// <inheritdoc/>
    public override string Name => "duplex";

    /// <inheritdoc/>
    public override int? DefaultPayload => 16;

    /// <inheritdoc/>
    public override bool ReportsMessages => true;

    /// <inheritdoc/>
    public override bool ReportsBytes => true;

    /// <inheritdoc/>
    public override string Describe(int? payload) => $"shoal.bench.Benchmark/Exchange, {payload ?? DefaultPayload}-byte messages echoed one at a time per stream";

    /// <inheritdoc/>
    public override IScenarioCaller CreateCaller(CallInvoker invoker, BenchSettings settings) =>
        new DuplexCaller(new Benchmark.BenchmarkClient(invoker), PayloadOf(settings));
}

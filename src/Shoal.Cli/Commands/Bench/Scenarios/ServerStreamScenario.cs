using Grpc.Core;
using Shoal.Bench;

namespace Shoal.Cli.Commands.Bench.Scenarios;

/// <summary><c>server-stream</c>: one subscription per caller (default one), the server writing as fast as flow control allows.</summary>
internal sealed class ServerStreamScenario : BenchScenario
{
    /// <inheritdoc/>
    public override string Name => "server-stream";

    /// <inheritdoc/>
    public override int DefaultConcurrency => 1;

    /// <inheritdoc/>
    public override int? DefaultPayload => 16;

    /// <inheritdoc/>
    public override bool ReportsMessages => true;

    /// <inheritdoc/>
    public override bool ReportsBytes => true;

    /// <inheritdoc/>
    public override string Describe(int? payload) => $"shoal.bench.Benchmark/Subscribe, {payload ?? DefaultPayload}-byte messages from the server";

    /// <inheritdoc/>
    public override IScenarioCaller CreateCaller(CallInvoker invoker, BenchSettings settings) =>
        new ServerStreamCaller(new Benchmark.BenchmarkClient(invoker), PayloadOf(settings));
}

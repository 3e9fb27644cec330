using Grpc.Core;
using Shoal.Bench;

namespace Shoal.Cli.Commands.Bench.Scenarios;

/// <summary><c>client-stream</c>: one upload per caller (default one), written as fast as flow control allows.</summary>
internal sealed class ClientStreamScenario : BenchScenario
{
    /// <inheritdoc/>
    public override string Name => "client-stream";

    /// <inheritdoc/>
    public override int DefaultConcurrency => 1;

    /// <inheritdoc/>
    public override int? DefaultPayload => 16;

    /// <inheritdoc/>
    public override bool ReportsMessages => true;

    /// <inheritdoc/>
    public override bool ReportsBytes => true;

    /// <inheritdoc/>
    public override string Describe(int? payload) => $"shoal.bench.Benchmark/Upload, {payload ?? DefaultPayload}-byte messages to the server";

    /// <inheritdoc/>
    public override IScenarioCaller CreateCaller(CallInvoker invoker, BenchSettings settings) =>
        new ClientStreamCaller(new Benchmark.BenchmarkClient(invoker), PayloadOf(settings));
}

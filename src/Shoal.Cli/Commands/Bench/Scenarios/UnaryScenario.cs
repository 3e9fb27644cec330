using Grpc.Core;
using Hello;

namespace Shoal.Cli.Commands.Bench.Scenarios;

/// <summary><c>unary</c>: the Greeter's SayHello with a 5-byte name, one call after another per caller.</summary>
internal sealed class UnaryScenario : BenchScenario
{
    /// <inheritdoc/>
    public override string Name => "unary";

    /// <inheritdoc/>
    public override bool HasShortCalls => true;

    /// <inheritdoc/>
    public override string Describe(int? payload) => "hello.Greeter/SayHello";

    /// <inheritdoc/>
    public override IScenarioCaller CreateCaller(CallInvoker invoker, BenchSettings settings) =>
        new BenchCaller(new Greeter.GreeterClient(invoker), settings.RequestName);
}

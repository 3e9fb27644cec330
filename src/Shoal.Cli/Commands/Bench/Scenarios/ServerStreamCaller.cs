using Grpc.Core;
using Shoal.Bench;

namespace Shoal.Cli.Commands.Bench.Scenarios;

/// <summary>
/// One subscription (<c>Benchmark/Subscribe</c>) that the server fills as fast as flow control
/// allows; each message received is an operation. The call is cancelled when the run ends.
/// </summary>
internal sealed class ServerStreamCaller(Benchmark.BenchmarkClient client, int messageSize) : ScenarioCaller
{
    /// <inheritdoc/>
    protected override async Task RunCallAsync(BenchPhase phase, CancellationToken cancellationToken)
    {
        using var call = client.Subscribe(new SubscribeRequest { MessageSize = messageSize }, cancellationToken: cancellationToken);
        var stream = call.ResponseStream;
        while (await stream.MoveNext(cancellationToken).ConfigureAwait(false))
        {
            var now = phase.Current;
            if (now == BenchPhase.Done)
            {
                return;
            }
            Count(phase, now, start: null, stream.Current.Body.Length);
        }
        throw new InvalidOperationException("The server ended an unbounded subscription.");
    }
}

using System.Diagnostics;
using Google.Protobuf;
using Shoal.Bench;

namespace Shoal.Cli.Commands.Bench.Scenarios;

/// <summary>A loop of unary echoes (<c>Benchmark/Echo</c>) of one payload; a reply of another size is an error.</summary>
internal sealed class LargeCaller(Benchmark.BenchmarkClient client, int payloadSize) : ScenarioCaller
{
    private readonly Payload _request = new() { Body = ByteString.CopyFrom(new byte[payloadSize]) };

    /// <inheritdoc/>
    protected override async Task RunCallAsync(BenchPhase phase, CancellationToken cancellationToken)
    {
        var before = phase.Current;
        var start = Stopwatch.GetTimestamp();
        var reply = await client.EchoAsync(_request, cancellationToken: cancellationToken).ConfigureAwait(false);
        if (reply.Body.Length != payloadSize)
        {
            throw new InvalidOperationException($"The echo carried {reply.Body.Length} bytes instead of {payloadSize}.");
        }
        Count(phase, before, start, 2L * payloadSize);
    }
}

using System.Diagnostics;
using Google.Protobuf;
using Shoal.Bench;

namespace Shoal.Cli.Commands.Bench.Scenarios;

/// <summary>
/// One ping-pong stream (<c>Benchmark/Exchange</c>): write a message, read its echo, again; each
/// round trip is an operation with its latency. When the run ends the stream is completed and must end cleanly.
/// </summary>
internal sealed class DuplexCaller(Benchmark.BenchmarkClient client, int messageSize) : ScenarioCaller
{
    private readonly Payload _message = new() { Body = ByteString.CopyFrom(new byte[messageSize]) };

    /// <inheritdoc/>
    protected override async Task RunCallAsync(BenchPhase phase, CancellationToken cancellationToken)
    {
        using var call = client.Exchange(cancellationToken: cancellationToken);
        var replies = call.ResponseStream;
        while (true)
        {
            var before = phase.Current;
            if (before == BenchPhase.Done)
            {
                break;
            }
            var start = Stopwatch.GetTimestamp();
            await call.RequestStream.WriteAsync(_message).ConfigureAwait(false);
            if (!await replies.MoveNext(cancellationToken).ConfigureAwait(false))
            {
                throw new InvalidOperationException("The server ended the exchange early.");
            }
            Count(phase, before, start, 2L * replies.Current.Body.Length);
        }
        await call.RequestStream.CompleteAsync().ConfigureAwait(false);
        if (await replies.MoveNext(cancellationToken).ConfigureAwait(false))
        {
            throw new InvalidOperationException("The server sent an echo nobody asked for.");
        }
    }
}

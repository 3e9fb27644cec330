using Google.Protobuf;
using Shoal.Bench;

namespace Shoal.Cli.Commands.Bench.Scenarios;

/// <summary>
/// One upload (<c>Benchmark/Upload</c>) written as fast as flow control allows; each completed
/// write is an operation. When the run ends the stream is completed and the server's count of
/// what it received must match what was written (a mismatch is an error).
/// </summary>
internal sealed class ClientStreamCaller(Benchmark.BenchmarkClient client, int messageSize) : ScenarioCaller
{
    private readonly Payload _message = new() { Body = ByteString.CopyFrom(new byte[messageSize]) };

    /// <inheritdoc/>
    protected override async Task RunCallAsync(BenchPhase phase, CancellationToken cancellationToken)
    {
        using var call = client.Upload(cancellationToken: cancellationToken);
        long written = 0;
        while (true)
        {
            var before = phase.Current;
            if (before == BenchPhase.Done)
            {
                break;
            }
            await call.RequestStream.WriteAsync(_message).ConfigureAwait(false);
            written++;
            Count(phase, before, start: null, messageSize);
        }
        await call.RequestStream.CompleteAsync().ConfigureAwait(false);
        var summary = await call.ResponseAsync.ConfigureAwait(false);
        if (summary.Messages != written)
        {
            throw new InvalidOperationException($"The server received {summary.Messages} messages of the {written} written.");
        }
    }
}

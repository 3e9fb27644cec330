using System.Diagnostics;

namespace Shoal.Cli.Commands.Bench.Scenarios;

/// <summary>One caller of <see cref="SocketEcho"/>: request, await the reply, again; one request in flight, as a SayHello caller.</summary>
internal sealed class SocketEchoCaller(SocketEchoConnection connection, bool runContinuationsAsynchronously) : ScenarioCaller
{
    private readonly SocketEchoReply _reply = new(runContinuationsAsynchronously);

    /// <inheritdoc/>
    protected override async Task RunCallAsync(BenchPhase phase, CancellationToken cancellationToken)
    {
        var before = phase.Current;
        var start = Stopwatch.GetTimestamp();
        await connection.CallAsync(_reply).ConfigureAwait(false);
        // Like SayHello's 5-byte name, the echo's bytes are not a payload worth a figure.
        Count(phase, before, start, bytes: 0);
    }
}

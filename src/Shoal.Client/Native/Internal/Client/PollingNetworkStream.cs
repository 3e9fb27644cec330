using System.Net.Sockets;

namespace Shoal.Client.Native.Internal.Client;

/// <summary>
/// The socket stream of a connection on the asynchronous receive path. When the read loop is about
/// to wait for bytes (the pipe's zero-byte read) while the connection's calls wait for replies, it
/// first polls the socket briefly, within <paramref name="budget"/> (<see cref="ReceivePoll"/>); an
/// idle connection waits at once.
/// </summary>
internal sealed class PollingNetworkStream(Socket socket, TimeSpan pollTime, ReceivePoll budget) : NetworkStream(socket, ownsSocket: true)
{
    private readonly long _pollTicks = ReceivePoll.TicksOf(pollTime);

    /// <summary>Whether the connection expects bytes now (calls wait for replies); set by the transport once it exists.</summary>
    public Func<bool>? ExpectsBytes { get; set; }

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (buffer.IsEmpty && _pollTicks > 0 && !cancellationToken.IsCancellationRequested
            && ExpectsBytes is { } expects && expects() && budget.WaitBriefly(Socket, _pollTicks))
        {
            // A zero-byte read only waits for bytes: they are there (or the end is), so the read after it completes at once.
            return new ValueTask<int>(0);
        }
        return base.ReadAsync(buffer, cancellationToken);
    }
}

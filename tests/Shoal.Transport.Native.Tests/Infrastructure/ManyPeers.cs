using System.Diagnostics;

namespace Shoal.Transport.Native.Tests.Infrastructure;

/// <summary>
/// Many raw peers attacking one port of a <see cref="GreeterProcess"/> at once: each connects, sends
/// its opening bytes and then (for a slowloris) one byte more every <see cref="DribbleEvery"/>, until
/// the server closes it. Measures the server's resident memory over the whole attack and reports it
/// per peer.
/// </summary>
public sealed class ManyPeers : IDisposable
{
    /// <summary>How often a dribbling peer sends its next byte.</summary>
    public static readonly TimeSpan DribbleEvery = TimeSpan.FromMilliseconds(300);

    // Kestrel listens with a backlog of 512: connecting in batches keeps SYNs from being dropped.
    private const int ConnectBatch = 100;

    private readonly AttackPeer[] _peers;

    private ManyPeers(AttackPeer[] peers, TimeSpan connectTook)
    {
        _peers = peers;
        ConnectTook = connectTook;
    }

    /// <summary>The peers, connected and opened.</summary>
    public IReadOnlyList<AttackPeer> Peers => _peers;

    /// <summary>How long connecting and opening every peer took.</summary>
    public TimeSpan ConnectTook { get; }

    /// <summary>
    /// Connects <paramref name="count"/> peers to <paramref name="port"/>, each reading what the server
    /// sends for up to <paramref name="readFor"/> and sending <paramref name="opening"/> (may be empty).
    /// </summary>
    public static async Task<ManyPeers> ConnectAsync(int port, int count, byte[] opening, TimeSpan readFor)
    {
        var started = Stopwatch.GetTimestamp();
        var peers = new List<AttackPeer>(count);
        try
        {
            for (var done = 0; done < count; done += ConnectBatch)
            {
                peers.AddRange(await Task.WhenAll(Enumerable.Range(0, Math.Min(ConnectBatch, count - done)).Select(async _ =>
                {
                    var peer = await AttackPeer.ConnectAsync(port);
                    peer.StartReading(readFor);
                    if (opening.Length > 0)
                    {
                        await peer.SendAsync(opening);
                    }
                    return peer;
                })));
            }
        }
        catch
        {
            peers.ForEach(p => p.Dispose());
            throw;
        }
        return new ManyPeers([.. peers], Stopwatch.GetElapsedTime(started));
    }

    /// <summary>
    /// Sends the bytes of <paramref name="slowly"/> one at a time, to every peer at once, one byte every
    /// <see cref="DribbleEvery"/> (cycling through them), until <paramref name="stop"/> or for at most
    /// <paramref name="steps"/> bytes; a peer the server closed just stops taking them.
    /// </summary>
    public async Task DribbleAsync(byte[] slowly, int steps, CancellationToken stop)
    {
        for (var i = 0; i < steps && !stop.IsCancellationRequested; i++)
        {
            var next = new[] { slowly[i % slowly.Length] };
            await Task.WhenAll(_peers.Select(p => p.SendAsync(next)));
            try
            {
                await Task.Delay(DribbleEvery, stop);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    /// <summary>Waits until the server closed every peer; the result says, per peer, whether it did within the connect's <c>readFor</c>.</summary>
    public Task<bool[]> ClosedAsync() => Task.WhenAll(_peers.Select(p => p.ClosedAsync(TimeSpan.Zero)));

    public void Dispose()
    {
        foreach (var peer in _peers)
        {
            peer.Dispose();
        }
    }
}

using Shoal.Connections;
using Shoal.Transport.Native.Tests.Infrastructure;

namespace Shoal.Transport.Native.Tests.Hostile;

/// <summary>
/// A client dialling a peer that drops its connection attempts (here a listener whose accept queue is full; a
/// firewall or a dead host's address does the same) must not tie up a thread per attempt: a cluster client may
/// dial many such instances at once, and the rest of the process needs its thread pool meanwhile. It counts the
/// process's thread-pool threads, so it runs with the hostile-peer tests, alone.
/// </summary>
[Collection(HostileCollection.Name)]
public sealed class UnansweredConnectTests
{
    [Fact]
    public async Task ManyConnectsToAPeerThatDropsThem_LeaveTheThreadPoolFree()
    {
        using var dropping = await DroppingListener.StartAsync();
        var address = new Uri($"shoal://127.0.0.1:{dropping.EndPoint.Port}");
        var connections = Enumerable.Range(0, 32).Select(_ => TestClient.Connect(address, o => o.ConnectTimeout = TimeSpan.FromSeconds(6))).ToList();
        var threadsBefore = ThreadPool.ThreadCount;
        try
        {
            using var asked = new CancellationTokenSource(TimeSpan.FromSeconds(1));
            var dialling = connections.Select(c => c.ConnectAsync(asked.Token).AsTask()).ToList();
            await Task.Delay(TimeSpan.FromSeconds(1));
            var underWay = connections.Count(c => c.State == ConnectionState.Connecting);
            var threadsAdded = ThreadPool.ThreadCount - threadsBefore;

            // Every attempt is under way at once, none waiting for a thread, and the pool did not grow a thread per attempt.
            Assert.True(underWay == 32 && threadsAdded < 8, $"after 1 s {underWay} of 32 connects were under way and the thread pool had grown by {threadsAdded} threads");
            foreach (var d in dialling)
            {
                await Assert.ThrowsAnyAsync<OperationCanceledException>(() => d.Within());
            }
        }
        finally
        {
            foreach (var connection in connections)
            {
                await connection.DisposeAsync();
            }
        }
    }
}

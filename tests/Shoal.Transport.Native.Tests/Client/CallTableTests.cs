using System.Buffers;
using Grpc.Core;
using Shoal.Client.Native.Internal.Client;
using Shoal.Client.Native.Protocol;

namespace Shoal.Transport.Native.Tests.Client;

/// <summary>The client's call table: a starter that finds the server's call limit reached waits, and is always woken when there is room.</summary>
public sealed class CallTableTests
{
    [Fact]
    public async Task WaitForSlot_TableFull_CompletesWhenACallEnds()
    {
        var table = new CallTable { Limit = 1 };
        table.Add(1, new NoCall());

        var waiting = table.WaitForSlotAsync(CancellationToken.None);
        Assert.False(waiting.IsCompleted);
        table.Remove(1);

        await waiting.WaitAsync(TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task WaitForSlot_ServerRaisesItsLimit_WaitersWake()
    {
        var table = new CallTable { Limit = 1 };
        table.Add(1, new NoCall());
        var waiting = table.WaitForSlotAsync(CancellationToken.None);

        table.Limit = 10;

        await waiting.WaitAsync(TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task WaitForSlot_StartersRaceWithEndingCalls_EveryStarterGetsASlot()
    {
        // Starters check the table under one lock (as under the writer's lock) and wait when it is full;
        // one thread ends the calls as they start. A lost wake-up leaves a starter waiting with the
        // table empty. Bounded: at most 400 rounds or 20 s, each round 10 s at most.
        const int Starters = 6;
        var writerLock = new Lock();
        var clock = System.Diagnostics.Stopwatch.StartNew();
        for (var round = 0; round < 400 && clock.Elapsed < TimeSpan.FromSeconds(20); round++)
        {
            var table = new CallTable { Limit = 2 };
            var started = new System.Collections.Concurrent.BlockingCollection<uint>();
            uint nextId = 0;
            foreach (var _ in Enumerable.Range(0, 2))
            {
                var id = ++nextId;
                table.Add(id, new NoCall());
                started.Add(id);
            }
            async Task StartOne()
            {
                await Task.Yield();
                while (true)
                {
                    lock (writerLock)
                    {
                        if (!table.IsFull)
                        {
                            var id = ++nextId;
                            table.Add(id, new NoCall());
                            started.Add(id);
                            return;
                        }
                    }
                    await table.WaitForSlotAsync(CancellationToken.None);
                }
            }
            var ender = Task.Run(() =>
            {
                for (var ended = 0; ended < Starters + 2 && started.TryTake(out var id, TimeSpan.FromSeconds(10)); ended++)
                {
                    table.Remove(id);
                }
            });
            var starters = Enumerable.Range(0, Starters).Select(_ => Task.Run(StartOne)).ToArray();

            var all = Task.WhenAll([.. starters, ender]);
            var finished = await Task.WhenAny(all, Task.Delay(TimeSpan.FromSeconds(10)));

            Assert.True(finished == all, $"round {round}: {starters.Count(t => !t.IsCompleted)} starters still wait with {table.Count} calls in the table");
        }
    }

    [Fact]
    public async Task Find_WhileOtherCallsStartAndEnd_AlwaysFindsTheCallsInFlight()
    {
        // The read loop looks calls up while starters add and cancellations remove others. Calls that
        // stay are always found, as themselves; calls coming and going are found as themselves or not at all.
        var table = new CallTable();
        var stable = new Dictionary<uint, NoCall>();
        for (uint id = 1; id <= 64; id += 2)
        {
            stable[id] = new NoCall();
            table.Add(id, stable[id]);
        }
        var churned = new NoCall[64];
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var churn = Task.Run(() =>
        {
            for (var round = 0; round < 20_000 && !stop.IsCancellationRequested; round++)
            {
                for (uint id = 2; id <= 64; id += 2)
                {
                    Volatile.Write(ref churned[id - 1], new NoCall());
                    table.Add(id, churned[id - 1]);
                }
                for (uint id = 2; id <= 64; id += 2)
                {
                    Assert.Same(churned[id - 1], table.Remove(id));
                }
            }
        });
        var lookups = 0;
        while (!churn.IsCompleted && lookups < 5_000_000)
        {
            for (uint id = 1; id <= 64; id++)
            {
                var before = Volatile.Read(ref churned[id - 1]);
                var found = table.Find(id);
                var after = Volatile.Read(ref churned[id - 1]);
                if (id % 2 == 1)
                {
                    Assert.Same(stable[id], found);
                }
                else
                {
                    Assert.True(found is null || found == before || found == after, $"call {id}: the lookup returned a call that had ended");
                }
                lookups++;
            }
        }
        await churn.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(stable.Count, table.Count);
        Assert.All(stable, pair => Assert.Same(pair.Value, table.Find(pair.Key)));
    }

    [Fact]
    public void RemoveWhere_TakesTheMatchingCallsAndLeavesTheRest()
    {
        var table = new CallTable();
        var calls = Enumerable.Range(1, 40).Select(_ => new NoCall()).ToArray();
        for (uint id = 1; id <= 40; id++)
        {
            table.Add(id, calls[id - 1]);
        }

        var removed = table.RemoveWhere(id => id > 25);

        Assert.Equal(15, removed.Count);
        Assert.Equal(25, table.Count);
        Assert.All(Enumerable.Range(26, 15), id => Assert.Contains(calls[id - 1], removed));
        Assert.All(Enumerable.Range(1, 25), id => Assert.Same(calls[id - 1], table.Find((uint)id)));
        Assert.Null(table.Find(26));
    }

    private sealed class NoCall : IClientCall
    {
        public void OnStarted(ClientTransport transport, uint id)
        {
        }

        public void OnResponseHeaders(in ReadOnlySequence<byte> payload)
        {
        }

        public bool OnMessage(in ReadOnlySequence<byte> payload) => false;

        public void OnOversizedMessage()
        {
        }

        public void OnTrailers(in FrameHeader header, in ReadOnlySequence<byte> payload)
        {
        }

        public void OnWindowUpdate(uint credit)
        {
        }

        public void Fail(Status status)
        {
        }

        public void CompleteDeferred(object? response)
        {
        }
    }
}

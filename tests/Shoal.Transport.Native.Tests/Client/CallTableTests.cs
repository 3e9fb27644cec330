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
        table.Add(1, new NoCall(1));

        var waiting = table.WaitForSlotAsync(CancellationToken.None);
        Assert.False(waiting.IsCompleted);
        table.Remove(1);

        await waiting.WaitAsync(TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task WaitForSlot_ServerRaisesItsLimit_WaitersWake()
    {
        var table = new CallTable { Limit = 1 };
        table.Add(1, new NoCall(1));
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
                table.Add(id, new NoCall(id));
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
                            table.Add(id, new NoCall(id));
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
            stable[id] = new NoCall(id);
            table.Add(id, stable[id]);
        }
        var churned = new NoCall?[64];
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var churn = Task.Run(() =>
        {
            for (var round = 0; round < 20_000 && !stop.IsCancellationRequested; round++)
            {
                for (uint id = 2; id <= 64; id += 2)
                {
                    Volatile.Write(ref churned[id - 1], new NoCall(id) { Round = round });
                    table.Add(id, churned[id - 1]!);
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
                    // Each round adds a new call: a call found was in the table at some moment of the lookup,
                    // so its round lies between the rounds seen before and after it (a locked lookup can wait
                    // on the stripe's lock while the churn runs several rounds).
                    var round = (found as NoCall)?.Round;
                    Assert.True(round is null || (round >= (before?.Round ?? -1) && round <= (after?.Round ?? -1)), $"call {id}: the lookup returned a call of round {round}, which had ended (round {before?.Round} before the lookup, {after?.Round} after it)");
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
        var calls = Enumerable.Range(1, 40).Select(id => new NoCall((uint)id)).ToArray();
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

    [Fact]
    public void Find_TheCallFoundLastIsRemoved_IsNotFoundAgain()
    {
        var table = new CallTable();
        var call = new NoCall(5);
        table.Add(5, call);
        Assert.Same(call, table.Find(5));
        Assert.Same(call, table.Find(5));

        Assert.Same(call, table.Remove(5));

        Assert.Null(table.Find(5));
    }

    [Fact]
    public void Find_TheCallFoundLastIsRemovedWithOthers_IsNotFoundAgain()
    {
        var table = new CallTable();
        table.Add(3, new NoCall(3));
        table.Add(4, new NoCall(4));
        Assert.NotNull(table.Find(4));

        table.RemoveWhere(id => id > 3);

        Assert.Null(table.Find(4));
        Assert.NotNull(table.Find(3));
    }

    [Fact]
    public void Find_CallsInTurn_EachIsFoundAsItself()
    {
        var table = new CallTable();
        var calls = Enumerable.Range(1, 40).Select(id => new NoCall((uint)id)).ToArray();
        foreach (var call in calls)
        {
            table.Add(call.Id, call);
        }

        for (var i = 0; i < 200; i++)
        {
            var id = (uint)(i % 7 == 0 ? 1 : 1 + (i * 13 % 40));
            Assert.Same(calls[id - 1], table.Find(id));
            Assert.Same(calls[id - 1], table.Find(id));
        }
        Assert.Null(table.Find(41));
    }

    [Fact]
    public void Find_ACallRedirectedElsewhere_IsNotFoundUnderItsOldId()
    {
        // A call the server refused gives up its id (0) when it is sent elsewhere; the id is no longer its.
        var table = new CallTable();
        var call = new NoCall(9);
        table.Add(9, call);
        Assert.Same(call, table.Find(9));
        table.Remove(9);
        call.Id = 0;

        Assert.Null(table.Find(9));
        Assert.Null(table.Find(0));
    }

    private sealed class NoCall(uint id) : IClientCall
    {
        public uint Id { get; set; } = id;

        /// <summary>The churn's round that added the call (-1 for a call that stays).</summary>
        public int Round { get; init; } = -1;

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

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

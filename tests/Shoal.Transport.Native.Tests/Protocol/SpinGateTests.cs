using Shoal.Client.Native.Internal;
using Shoal.Transport.Native.Tests.Infrastructure;

namespace Shoal.Transport.Native.Tests.Protocol;

/// <summary>The gate of a stream's queue: one holder at a time, and a contender gets in once it is left.</summary>
public sealed class SpinGateTests
{
    private SpinGate _gate;
    private long _count;
    private int _inside;

    [Fact]
    public async Task Enter_ThreadsRacing_OneHolderAtATimeAndNoUpdateLost()
    {
        // A read-modify-write that is not atomic, under the gate, from more threads than cores: every update
        // is kept only if the holders never overlap, and a holder that loses its core must still get it back.
        const int Threads = 6, Rounds = 1_000_000;
        var overlaps = 0;
        using var start = new Barrier(Threads);
        await Task.WhenAll(Enumerable.Range(0, Threads).Select(_ => Task.Factory.StartNew(() =>
        {
            start.SignalAndWait();
            for (var i = 0; i < Rounds; i++)
            {
                _gate.Enter();
                try
                {
                    if (Interlocked.Increment(ref _inside) != 1)
                    {
                        Interlocked.Increment(ref overlaps);
                    }
                    _count = _count + 1;
                    Interlocked.Decrement(ref _inside);
                }
                finally
                {
                    _gate.Exit();
                }
            }
        }, TaskCreationOptions.LongRunning))).Within();

        Assert.Equal(0, overlaps);
        Assert.Equal((long)Threads * Rounds, _count);
    }

    [Fact]
    public async Task Enter_GateHeld_WaitsUntilItIsLeft()
    {
        _gate.Enter();
        var entered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var contender = Task.Run(() =>
        {
            _gate.Enter();
            entered.SetResult();
            _gate.Exit();
        });

        await Task.Delay(200);
        Assert.False(entered.Task.IsCompleted, "the contender got in while the gate was held");
        _gate.Exit();

        await entered.Task.Within();
        await contender.Within();
    }
}

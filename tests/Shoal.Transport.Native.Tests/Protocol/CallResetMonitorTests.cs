using Microsoft.Extensions.Time.Testing;
using Shoal.Server.Native.Internal;

namespace Shoal.Transport.Native.Tests.Protocol;

public sealed class CallResetMonitorTests
{
    private readonly FakeTimeProvider _time = new();

    [Fact]
    public void ResetsPastTheRate_WhenMostCallsAreReset_AreAFlood()
    {
        var monitor = new CallResetMonitor(200, _time);
        var flood = false;
        var resets = 0;

        while (!flood && resets < 1000)
        {
            resets++;
            flood = monitor.OnReset(callsStarted: resets);
        }

        Assert.True(flood);
        Assert.Equal(201, resets);
    }

    [Fact]
    public void ResetsPastTheRate_ThatAreAMinorityOfCalls_AreNot()
    {
        // A hedging client: 1,000 calls a second, 300 of them cancelled (the losers of hedged pairs).
        var monitor = new CallResetMonitor(200, _time);

        for (var i = 1; i <= 300; i++)
        {
            Assert.False(monitor.OnReset(callsStarted: 1000));
        }
    }

    [Fact]
    public void ResetsSpreadOverSeconds_UnderTheRate_AreNot()
    {
        var monitor = new CallResetMonitor(200, _time);
        long started = 0;

        for (var second = 0; second < 10; second++)
        {
            for (var i = 0; i < 150; i++)
            {
                started++;
                Assert.False(monitor.OnReset(started));
            }
            _time.Advance(TimeSpan.FromSeconds(1));
        }
    }

    [Fact]
    public void ZeroRate_TurnsTheCheckOff()
    {
        var monitor = new CallResetMonitor(0, _time);

        Assert.All(Enumerable.Range(1, 10_000), i => Assert.False(monitor.OnReset(i)));
    }
}

using Microsoft.Extensions.Time.Testing;
using Shoal.Server.Native;
using Shoal.Server.Native.Internal;

namespace Shoal.Transport.Native.Tests.Protocol;

/// <summary>The timed rules of a server connection, driven by fake time: each test ticks the watchdog as the connection's timer would.</summary>
public sealed class ConnectionWatchdogTests
{
    private readonly FakeTimeProvider _time = new();

    private static ConnectionActivity Ready(int openCalls = 0, long callsStarted = 0, bool frameInProgress = false, long bytes = 100, long flushes = 0, int pendingWrite = 0)
        => new(true, openCalls, callsStarted, frameInProgress, bytes, flushes, pendingWrite);

    private ConnectionWatchdog Create(Action<NativeServerOptions>? configure = null)
    {
        var options = new NativeServerOptions
        {
            TimeProvider = _time,
            KeepAliveInterval = Timeout.InfiniteTimeSpan,
            IdleTimeout = Timeout.InfiniteTimeSpan,
        };
        configure?.Invoke(options);
        return new ConnectionWatchdog(options);
    }

    private WatchdogAction TickAfter(ConnectionWatchdog watchdog, TimeSpan elapsed, in ConnectionActivity activity)
    {
        _time.Advance(elapsed);
        return watchdog.Tick(activity, out _);
    }

    [Fact]
    public void NoPrefaceWithinTheHandshakeTimeout_TimesOut()
    {
        var watchdog = Create(o => o.HandshakeTimeout = TimeSpan.FromSeconds(10));
        var waiting = new ConnectionActivity(false, 0, 0, false, 3, 0, 0);

        Assert.Equal(WatchdogAction.None, TickAfter(watchdog, TimeSpan.FromSeconds(9), waiting));
        Assert.Equal(WatchdogAction.HandshakeTimedOut, TickAfter(watchdog, TimeSpan.FromSeconds(2), waiting));
    }

    [Fact]
    public void StalledFrame_IsTooSlowAfterOnePeriodWithoutEnoughBytes()
    {
        var watchdog = Create(o => o.MinReceiveDataRateGracePeriod = TimeSpan.FromSeconds(5));

        for (var second = 0; second < 5; second++)
        {
            Assert.Equal(WatchdogAction.None, TickAfter(watchdog, TimeSpan.FromSeconds(1), Ready(frameInProgress: true, bytes: 4_000_000)));
        }
        // Five seconds of a frame in progress with no byte: under 240 B/s, whatever came before.
        Assert.Equal(WatchdogAction.ReceiveTooSlow, TickAfter(watchdog, TimeSpan.FromSeconds(1), Ready(frameInProgress: true, bytes: 4_000_000)));
    }

    /// <summary>
    /// A tick that comes long after the one before means the server itself stalled (a starved thread
    /// pool delays the timer and the read loop alike, so the bytes that arrived meanwhile are not counted
    /// yet): that gap counts as one tick period, not as time the peer failed to send in.
    /// </summary>
    [Fact]
    public void ALateTick_CountsAsOneTickPeriod_SoTheServersOwnStallIsNotChargedToThePeer()
    {
        var watchdog = Create(o =>
        {
            o.MinReceiveDataRate = 4096;
            o.MinReceiveDataRateGracePeriod = TimeSpan.FromSeconds(1);
        });
        var tick = watchdog.TickPeriod;
        long bytes = 100;

        Assert.Equal(WatchdogAction.None, TickAfter(watchdog, tick, Ready(frameInProgress: true, bytes: bytes)));
        bytes += 2048;
        Assert.Equal(WatchdogAction.None, TickAfter(watchdog, tick, Ready(frameInProgress: true, bytes: bytes)));
        // The server stalls for three seconds: its read loop counted nothing meanwhile.
        Assert.Equal(WatchdogAction.None, TickAfter(watchdog, TimeSpan.FromSeconds(3), Ready(frameInProgress: true, bytes: bytes)));
        bytes += 20_000;
        Assert.Equal(WatchdogAction.None, TickAfter(watchdog, tick, Ready(frameInProgress: true, bytes: bytes)));
        Assert.Equal(WatchdogAction.None, TickAfter(watchdog, tick, Ready(frameInProgress: true, bytes: bytes + 2048)));

        // Ticks on time with nothing arriving are still the peer's: caught within two periods.
        var action = WatchdogAction.None;
        for (var ticks = 0; ticks < 12 && action == WatchdogAction.None; ticks++)
        {
            action = TickAfter(watchdog, tick, Ready(frameInProgress: true, bytes: bytes + 2048));
        }
        Assert.Equal(WatchdogAction.ReceiveTooSlow, action);
    }

    [Fact]
    public void FrameTricklingAboveTheRate_IsNotTooSlow_NorIsAConnectionBetweenFrames()
    {
        var watchdog = Create();
        long bytes = 0;

        for (var second = 0; second < 60; second++)
        {
            bytes += 300;
            Assert.Equal(WatchdogAction.None, TickAfter(watchdog, TimeSpan.FromSeconds(1), Ready(frameInProgress: true, bytes: bytes)));
        }
        for (var second = 0; second < 60; second++)
        {
            Assert.Equal(WatchdogAction.None, TickAfter(watchdog, TimeSpan.FromSeconds(1), Ready(frameInProgress: false, bytes: bytes)));
        }
    }

    [Fact]
    public void FrameTricklingBelowTheRate_IsTooSlowWithinTwoPeriods()
    {
        var watchdog = Create();
        long bytes = 0;
        var action = WatchdogAction.None;
        var seconds = 0;

        while (action == WatchdogAction.None && seconds < 30)
        {
            bytes += 200;
            seconds++;
            action = TickAfter(watchdog, TimeSpan.FromSeconds(1), Ready(frameInProgress: true, bytes: bytes));
        }

        Assert.Equal(WatchdogAction.ReceiveTooSlow, action);
        Assert.InRange(seconds, 5, 10);
    }

    [Fact]
    public void WriteTheClientDoesNotTake_IsTooSlowAfterItsAllowance()
    {
        // 64 KiB at 16 KiB/s: 4 s, more than the 1 s grace period.
        var watchdog = Create(o =>
        {
            o.MinSendDataRate = 16 * 1024;
            o.MinSendDataRateGracePeriod = TimeSpan.FromSeconds(1);
        });
        var stuck = Ready(flushes: 7, pendingWrite: 64 * 1024);

        Assert.Equal(WatchdogAction.None, TickAfter(watchdog, TimeSpan.FromMilliseconds(250), stuck));
        Assert.Equal(WatchdogAction.None, TickAfter(watchdog, TimeSpan.FromSeconds(3.9), stuck));
        Assert.Equal(WatchdogAction.SendTooSlow, TickAfter(watchdog, TimeSpan.FromSeconds(0.2), stuck));
    }

    [Fact]
    public void WritesThatKeepCompleting_AreNeverTooSlow()
    {
        var watchdog = Create(o => o.MinSendDataRateGracePeriod = TimeSpan.FromSeconds(1));

        for (var flush = 1; flush < 100; flush++)
        {
            Assert.Equal(WatchdogAction.None, TickAfter(watchdog, TimeSpan.FromSeconds(0.9), Ready(flushes: flush, pendingWrite: 64 * 1024)));
        }
    }

    [Fact]
    public void NoCallsForTheIdleTimeout_IsIdle_EvenWhenPingsArrive()
    {
        var watchdog = Create(o => o.IdleTimeout = TimeSpan.FromSeconds(130));
        long bytes = 0;

        for (var second = 0; second < 129; second++)
        {
            bytes += 20;
            Assert.Equal(WatchdogAction.None, TickAfter(watchdog, TimeSpan.FromSeconds(1), Ready(bytes: bytes)));
        }

        Assert.Equal(WatchdogAction.Idle, TickAfter(watchdog, TimeSpan.FromSeconds(2), Ready(bytes: bytes + 20)));
    }

    [Fact]
    public void CallsStartedOrOpen_KeepTheConnectionFromBeingIdle()
    {
        var watchdog = Create(o => o.IdleTimeout = TimeSpan.FromSeconds(10));

        for (var tick = 1; tick <= 30; tick++)
        {
            Assert.Equal(WatchdogAction.None, TickAfter(watchdog, TimeSpan.FromSeconds(1), Ready(callsStarted: tick)));
        }
        for (var tick = 1; tick <= 30; tick++)
        {
            Assert.Equal(WatchdogAction.None, TickAfter(watchdog, TimeSpan.FromSeconds(1), Ready(openCalls: 1, callsStarted: 30)));
        }
        Assert.Equal(WatchdogAction.None, TickAfter(watchdog, TimeSpan.FromSeconds(9), Ready(callsStarted: 30)));
        Assert.Equal(WatchdogAction.Idle, TickAfter(watchdog, TimeSpan.FromSeconds(2), Ready(callsStarted: 30)));
    }

    [Fact]
    public void NothingReceivedForTheInterval_SendsAPing_ThenTimesOutWithoutAnAnswer()
    {
        var watchdog = Create(o =>
        {
            o.KeepAliveInterval = TimeSpan.FromSeconds(30);
            o.KeepAliveTimeout = TimeSpan.FromSeconds(20);
        });

        // Bytes stay at 0: nothing at all arrives.
        Assert.Equal(WatchdogAction.None, TickAfter(watchdog, TimeSpan.FromSeconds(29), Ready(bytes: 0)));
        Assert.Equal(WatchdogAction.SendPing, TickAfter(watchdog, TimeSpan.FromSeconds(2), Ready(bytes: 0)));
        Assert.Equal(WatchdogAction.None, TickAfter(watchdog, TimeSpan.FromSeconds(19), Ready(bytes: 0)));
        Assert.Equal(WatchdogAction.KeepAliveTimedOut, TickAfter(watchdog, TimeSpan.FromSeconds(2), Ready(bytes: 0)));
    }

    [Fact]
    public void TickPeriod_IsAQuarterOfTheShortestTiming_BetweenTenMillisecondsAndOneSecond()
    {
        Assert.Equal(TimeSpan.FromSeconds(1), new ConnectionWatchdog(new NativeServerOptions()).TickPeriod);
        Assert.Equal(TimeSpan.FromMilliseconds(125), new ConnectionWatchdog(new NativeServerOptions { IdleTimeout = TimeSpan.FromMilliseconds(500) }).TickPeriod);
        Assert.Equal(TimeSpan.FromMilliseconds(10), new ConnectionWatchdog(new NativeServerOptions { HandshakeTimeout = TimeSpan.FromMilliseconds(1) }).TickPeriod);
    }
}

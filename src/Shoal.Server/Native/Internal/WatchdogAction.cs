namespace Shoal.Server.Native.Internal;

/// <summary>What a server connection's timer tick asks of it (see <see cref="ConnectionWatchdog.Tick"/>).</summary>
internal enum WatchdogAction
{
    /// <summary>Nothing to do.</summary>
    None,

    /// <summary>Send a keepalive ping.</summary>
    SendPing,

    /// <summary>No preface within the handshake timeout: GoAway Timeout.</summary>
    HandshakeTimedOut,

    /// <summary>A keepalive ping went unanswered: GoAway Timeout.</summary>
    KeepAliveTimedOut,

    /// <summary>A frame in progress arrives slower than the minimum rate: GoAway Timeout.</summary>
    ReceiveTooSlow,

    /// <summary>The peer does not take the output at the minimum rate: abort (a GoAway could not reach it).</summary>
    SendTooSlow,

    /// <summary>No call open and none started for the idle timeout: GoAway NoError, close quietly.</summary>
    Idle,
}

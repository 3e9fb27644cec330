namespace Shoal.Client.Native.Internal;

/// <summary>What a keepalive tick asks of the connection (see <see cref="KeepAliveMonitor.Tick"/>).</summary>
internal enum KeepAliveAction
{
    /// <summary>Nothing to do.</summary>
    None,

    /// <summary>Send a ping now.</summary>
    SendPing,

    /// <summary>The last ping went unanswered for the timeout: the peer is gone.</summary>
    TimedOut,
}

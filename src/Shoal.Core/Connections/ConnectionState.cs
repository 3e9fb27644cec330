namespace Shoal.Connections;

/// <summary>The state of one connection to one instance, as the cluster client sees it.</summary>
public enum ConnectionState
{
    /// <summary>Created, not yet asked to connect.</summary>
    Idle,

    /// <summary>A connection attempt is under way.</summary>
    Connecting,

    /// <summary>Connected; new calls may be started.</summary>
    Ready,

    /// <summary>The server asked for no new calls (graceful shutdown); calls in flight still finish.</summary>
    Draining,

    /// <summary>The last attempt failed or the connection broke; a reconnect will be tried with backoff.</summary>
    TransientFailure,

    /// <summary>Disposed; it will never carry a call again.</summary>
    Shutdown,
}

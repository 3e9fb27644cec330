namespace Shoal.Client.Native.Internal.Client;

/// <summary>What <see cref="ClientTransport.StartCall"/> did with a call.</summary>
internal enum StartOutcome
{
    /// <summary>Its CallStart frame is queued; it has an id.</summary>
    Started,

    /// <summary>It could not start (the status says why); nothing was sent.</summary>
    Failed,

    /// <summary>The connection's output is over its limit; nothing was sent, try again once there is room.</summary>
    OutputFull,

    /// <summary>The connection has as many calls as the server accepts at once; nothing was sent, try again when one ends.</summary>
    CallLimit,
}

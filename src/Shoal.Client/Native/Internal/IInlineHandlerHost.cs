namespace Shoal.Client.Native.Internal;

/// <summary>A read loop that runs application code inline (server handlers, client continuations) and can hand itself over to another thread (see <see cref="InlineHandlerWatchdog"/>).</summary>
internal interface IInlineHandlerHost
{
    /// <summary>
    /// Called by the watchdog every period: hands the read loop over when the same handler has run
    /// inline since the previous call. Returns whether a handler is running inline now.
    /// </summary>
    bool CheckInlineHandler();
}

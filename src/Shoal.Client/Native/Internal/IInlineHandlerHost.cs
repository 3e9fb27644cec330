namespace Shoal.Client.Native.Internal;

/// <summary>A read loop that runs application code inline (server handlers, client continuations) and can hand itself over to another thread (see <see cref="InlineHandlerWatchdog"/>).</summary>
internal interface IInlineHandlerHost
{
    /// <summary>
    /// Called by the watchdog every period: hands the read loop over when the same handler has run
    /// inline since the previous call. Returns whether a handler is running inline now.
    /// </summary>
    bool CheckInlineHandler();

    /// <summary>
    /// Called where a read loop's frame completes a task the application awaits (a stream reader's
    /// next message): runs <paramref name="completion"/> on the read loop, under the watchdog, either
    /// now or at the end of the read's batch, and returns true; false when not on this read loop or
    /// when continuations are not to run inline (the caller then completes the task asynchronously).
    /// </summary>
    bool TryCompleteInline(IDeferredCompletion completion, object? state);
}

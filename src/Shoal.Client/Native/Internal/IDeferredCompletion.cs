namespace Shoal.Client.Native.Internal;

/// <summary>A completion a read loop runs inline (see <see cref="IInlineHandlerHost.TryCompleteInline"/>): a call's response, a stream reader's next message.</summary>
internal interface IDeferredCompletion
{
    /// <summary>Completes the waiting task with <paramref name="state"/>, which runs its continuation on this thread.</summary>
    void CompleteDeferred(object? state);
}

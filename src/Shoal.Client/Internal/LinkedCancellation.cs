namespace Shoal.Client.Internal;

/// <summary>A child call's own cancellation joined with its parent's; disposed once, when the call ends.</summary>
internal sealed class LinkedCancellation(CancellationToken own, CancellationToken parent) : IDisposable
{
    private readonly CancellationTokenSource _source = CancellationTokenSource.CreateLinkedTokenSource(own, parent);

    public CancellationToken Token => _source.Token;

    /// <summary>Disposes the source when <paramref name="call"/> ends, however it ends.</summary>
    public void DisposeWhen(Task call)
        => call.ContinueWith(static (_, state) => ((LinkedCancellation)state!).Dispose(), this,
            CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);

    public void Dispose() => _source.Dispose();
}

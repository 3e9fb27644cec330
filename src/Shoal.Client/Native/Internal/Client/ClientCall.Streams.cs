using Grpc.Core;

namespace Shoal.Client.Native.Internal.Client;

/// <summary>
/// The call is its own request writer and response reader, so the streams can be handed out before
/// the call has an id (while the connection is still connecting); they forward once it started.
/// </summary>
internal sealed partial class ClientCall<TRequest, TResponse> : IClientStreamWriter<TRequest>, IAsyncStreamReader<TResponse>
{
    public CancellationToken CallToken => _callCts?.Token ?? CancellationToken.None;

    public WriteOptions? WriteOptions { get; set; }

    public TResponse Current => (_responses ?? throw new InvalidOperationException("MoveNext has not returned true.")).Current;

    public Exception? WriteError()
    {
        if (!IsCompleted)
        {
            return null;
        }
        return _status.StatusCode == StatusCode.OK
            ? new InvalidOperationException("Can't write the message because the call is complete.")
            : new RpcException(_status, _trailers ?? []);
    }

    public void OnMessageEncoded()
    {
    }

    public Task WriteAsync(TRequest message) => WriteAsync(message, CancellationToken.None);

    public Task WriteAsync(TRequest message, CancellationToken cancellationToken)
    {
        if (_requests is { } requests)
        {
            return requests.WriteAsync(message, cancellationToken);
        }
        return WriteWhenStartedAsync(message, cancellationToken);
    }

    private async Task WriteWhenStartedAsync(TRequest message, CancellationToken cancellationToken)
    {
        await WaitStartedAsync(cancellationToken).ConfigureAwait(false);
        await (_requests ?? throw WriteError() ?? new InvalidOperationException("The call has no request stream.")).WriteAsync(message, cancellationToken).ConfigureAwait(false);
    }

    public Task CompleteAsync()
    {
        if (_requests is { } requests)
        {
            return requests.CompleteAsync();
        }
        return CompleteWhenStartedAsync();
    }

    private async Task CompleteWhenStartedAsync()
    {
        await WaitStartedAsync(CancellationToken.None).ConfigureAwait(false);
        if (_requests is { } requests)
        {
            await requests.CompleteAsync().ConfigureAwait(false);
        }
    }

    public Task<bool> MoveNext(CancellationToken cancellationToken)
    {
        if (_responses is { } responses)
        {
            return responses.MoveNext(cancellationToken);
        }
        return MoveNextWhenStartedAsync(cancellationToken);
    }

    private async Task<bool> MoveNextWhenStartedAsync(CancellationToken cancellationToken)
    {
        await WaitStartedAsync(cancellationToken).ConfigureAwait(false);
        if (_responses is { } responses)
        {
            return await responses.MoveNext(cancellationToken).ConfigureAwait(false);
        }
        throw new RpcException(_status);
    }

    private Task WaitStartedAsync(CancellationToken cancellationToken)
        => (_started?.Task ?? System.Threading.Tasks.Task.CompletedTask).WaitAsync(cancellationToken);
}

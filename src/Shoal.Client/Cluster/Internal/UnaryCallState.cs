using Grpc.Core;
using Shoal.Client.Cluster.FaultTolerance;

namespace Shoal.Client.Cluster.Internal;

/// <summary>Turns a strategy's final <see cref="AttemptResult{TResponse}"/> into what <see cref="AsyncUnaryCall{TResponse}"/> exposes, and cancels the call when it is disposed.</summary>
internal sealed class UnaryCallState<TResponse>
    where TResponse : class
{
    private readonly CancellationTokenSource _cancellation;
    private Task<AttemptResult<TResponse>>? _result;

    public UnaryCallState(CancellationToken callerToken)
    {
        _cancellation = callerToken.CanBeCanceled
            ? CancellationTokenSource.CreateLinkedTokenSource(callerToken)
            : new CancellationTokenSource();
        Token = _cancellation.Token;
    }

    public CancellationToken Token { get; }

    public void Run(Task<AttemptResult<TResponse>> result)
    {
        _result = result;
        // Release the link to the caller's token once the call is over.
        _ = result.ContinueWith(static (_, state) => ((CancellationTokenSource)state!).Dispose(), _cancellation,
            CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
    }

    public async Task<TResponse> ResponseAsync()
    {
        var result = await ResultAsync().ConfigureAwait(false);
        if (result.IsSuccess)
        {
            return result.Response!;
        }
        throw new RpcException(result.Status, result.Trailers ?? Metadata.Empty);
    }

    public async Task<Metadata> HeadersAsync()
    {
        var result = await ResultAsync().ConfigureAwait(false);
        return result.Headers ?? Metadata.Empty;
    }

    /// <summary>The strategy's result; a strategy that throws (a bug, never a failed call) becomes an Internal status.</summary>
    private async Task<AttemptResult<TResponse>> ResultAsync()
    {
        try
        {
            return UnaryOutcome.Final(await _result!.ConfigureAwait(false), Token.IsCancellationRequested);
        }
        catch (Exception ex)
        {
            return UnaryOutcome.StrategyFailed<TResponse>(ex);
        }
    }

    public Status GetStatus()
    {
        var task = _result!;
        if (!task.IsCompleted)
        {
            throw new InvalidOperationException("Unable to get the status because the call is not complete.");
        }
        return task.IsCompletedSuccessfully ? UnaryOutcome.Final(task.Result, Token.IsCancellationRequested).Status : new Status(StatusCode.Internal, "The call failed.", task.Exception);
    }

    public Metadata GetTrailers()
    {
        var task = _result!;
        if (!task.IsCompleted)
        {
            throw new InvalidOperationException("Unable to get the trailers because the call is not complete.");
        }
        return task.IsCompletedSuccessfully ? UnaryOutcome.Final(task.Result, Token.IsCancellationRequested).Trailers ?? Metadata.Empty : Metadata.Empty;
    }

    public void Dispose()
    {
        try
        {
            _cancellation.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // The call is over already.
        }
    }
}

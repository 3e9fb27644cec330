using Grpc.Core;

namespace Shoal.Server.Native.Internal;

/// <summary>
/// The handler of each method kind behind authorization. An open method calls its handler
/// directly; otherwise the handler runs only after the call is authorized, and the call's service
/// scope lives until the handler ends.
/// </summary>
internal sealed partial class NativeCallAuthorizer
{
    public UnaryServerMethod<TRequest, TResponse> Guard<TRequest, TResponse>(UnaryServerMethod<TRequest, TResponse> handler)
        where TRequest : class
        where TResponse : class
        => (request, context) => IsOpen ? handler(request, context) : RunAsync(handler, request, context);

    public ClientStreamingServerMethod<TRequest, TResponse> Guard<TRequest, TResponse>(ClientStreamingServerMethod<TRequest, TResponse> handler)
        where TRequest : class
        where TResponse : class
        => (requests, context) => IsOpen ? handler(requests, context) : RunAsync(handler, requests, context);

    public ServerStreamingServerMethod<TRequest, TResponse> Guard<TRequest, TResponse>(ServerStreamingServerMethod<TRequest, TResponse> handler)
        where TRequest : class
        where TResponse : class
        => (request, responses, context) => IsOpen ? handler(request, responses, context) : RunAsync(handler, request, responses, context);

    public DuplexStreamingServerMethod<TRequest, TResponse> Guard<TRequest, TResponse>(DuplexStreamingServerMethod<TRequest, TResponse> handler)
        where TRequest : class
        where TResponse : class
        => (requests, responses, context) => IsOpen ? handler(requests, responses, context) : RunAsync(handler, requests, responses, context);

    private async Task<TResponse> RunAsync<TRequest, TResponse>(UnaryServerMethod<TRequest, TResponse> handler, TRequest request, ServerCallContext context)
        where TRequest : class
        where TResponse : class
    {
        var scope = await AuthorizeAsync(context).ConfigureAwait(false);
        try
        {
            return await handler(request, context).ConfigureAwait(false);
        }
        finally
        {
            await DisposeAsync(scope).ConfigureAwait(false);
        }
    }

    private async Task<TResponse> RunAsync<TRequest, TResponse>(ClientStreamingServerMethod<TRequest, TResponse> handler, IAsyncStreamReader<TRequest> requests, ServerCallContext context)
        where TRequest : class
        where TResponse : class
    {
        var scope = await AuthorizeAsync(context).ConfigureAwait(false);
        try
        {
            return await handler(requests, context).ConfigureAwait(false);
        }
        finally
        {
            await DisposeAsync(scope).ConfigureAwait(false);
        }
    }

    private async Task RunAsync<TRequest, TResponse>(ServerStreamingServerMethod<TRequest, TResponse> handler, TRequest request, IServerStreamWriter<TResponse> responses, ServerCallContext context)
        where TRequest : class
        where TResponse : class
    {
        var scope = await AuthorizeAsync(context).ConfigureAwait(false);
        try
        {
            await handler(request, responses, context).ConfigureAwait(false);
        }
        finally
        {
            await DisposeAsync(scope).ConfigureAwait(false);
        }
    }

    private async Task RunAsync<TRequest, TResponse>(DuplexStreamingServerMethod<TRequest, TResponse> handler, IAsyncStreamReader<TRequest> requests, IServerStreamWriter<TResponse> responses, ServerCallContext context)
        where TRequest : class
        where TResponse : class
    {
        var scope = await AuthorizeAsync(context).ConfigureAwait(false);
        try
        {
            await handler(requests, responses, context).ConfigureAwait(false);
        }
        finally
        {
            await DisposeAsync(scope).ConfigureAwait(false);
        }
    }

    private static ValueTask DisposeAsync(Microsoft.Extensions.DependencyInjection.AsyncServiceScope? scope)
        => scope is { } owned ? owned.DisposeAsync() : ValueTask.CompletedTask;
}

using Grpc.Core;
using Shoal.Internal;

namespace Shoal.Context;

/// <summary>
/// The server call a piece of code runs for, on either transport: Shoal's hosts set it around every
/// handler (and it flows with the handler's awaits), so a client call made from a handler can take
/// the handler's deadline and cancellation without being handed them, the way grpc-dotnet's
/// <c>EnableCallContextPropagation()</c> reads the current <c>HttpContext</c>.
/// </summary>
/// <remarks>
/// Work a handler starts in the background flows the same context (an <see cref="AsyncLocal{T}"/>),
/// and so is cancelled when the handler's call ends if it calls through a propagating channel;
/// start such work under <see cref="ExecutionContext.SuppressFlow"/> or from a channel with
/// propagation off.
/// </remarks>
public static class ShoalCallContext
{
    private static readonly AsyncLocal<ServerCallContext?> Ambient = new();

    /// <summary>The server call whose handler is running on this asynchronous flow; null outside handlers.</summary>
    public static ServerCallContext? Current => Ambient.Value;

    /// <summary>Makes <paramref name="context"/> the current call (transports call this before a handler runs).</summary>
    /// <param name="context">The call whose handler is about to run.</param>
    /// <returns>The previous current call, to hand to <see cref="Exit"/>.</returns>
    public static ServerCallContext? Enter(ServerCallContext context)
    {
        var previous = Ambient.Value;
        Ambient.Value = context;
        return previous;
    }

    /// <summary>Restores the current call that <see cref="Enter"/> returned (a handler's synchronous part returned).</summary>
    /// <param name="previous">What <see cref="Enter"/> returned.</param>
    public static void Exit(ServerCallContext? previous) => Ambient.Value = previous;

    /// <summary>
    /// A token that carries <paramref name="context"/>'s deadline and cancellation (as <paramref name="options"/>
    /// says) to a child call through <see cref="CallOptions.PropagationToken"/>; Shoal's channels honour it on
    /// both transports. Transports whose context cannot make one themselves return this from
    /// <c>CreatePropagationToken</c>.
    /// </summary>
    /// <param name="context">The parent call.</param>
    /// <param name="options">What to propagate; <see cref="ContextPropagationOptions.Default"/> (deadline and cancellation) when null.</param>
    /// <returns>The token.</returns>
    /// <exception cref="NotSupportedException">The runtime cannot define types at run time (native AOT).</exception>
    public static ContextPropagationToken CreatePropagationToken(ServerCallContext context, ContextPropagationOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(context);
        return PropagationTokenFactory.Create(context, options ?? ContextPropagationOptions.Default);
    }

    /// <summary>The parent call and options of a token made by <see cref="CreatePropagationToken"/>; false for any other token.</summary>
    /// <param name="token">The token from <see cref="CallOptions.PropagationToken"/>.</param>
    /// <param name="context">The parent call.</param>
    /// <param name="options">What to propagate.</param>
    /// <returns>Whether the token is Shoal's.</returns>
    public static bool TryGetPropagated(ContextPropagationToken token, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out ServerCallContext? context, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out ContextPropagationOptions? options)
        => PropagationTokenFactory.TryGet(token, out context, out options);
}

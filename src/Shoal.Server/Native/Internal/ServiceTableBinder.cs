using Grpc.Core;

namespace Shoal.Server.Native.Internal;

/// <summary>The <see cref="ServiceBinderBase"/> that generated <c>BindService</c> methods fill a <see cref="NativeServiceTable"/> through.</summary>
internal sealed class ServiceTableBinder(NativeServiceTable table) : ServiceBinderBase
{
    public override void AddMethod<TRequest, TResponse>(Method<TRequest, TResponse> method, UnaryServerMethod<TRequest, TResponse>? handler)
        => table.Add(new UnaryMethod<TRequest, TResponse>(method, InterceptorChain.Wrap(table.Interceptors, handler ?? throw new ArgumentNullException(nameof(handler)))));

    public override void AddMethod<TRequest, TResponse>(Method<TRequest, TResponse> method, ClientStreamingServerMethod<TRequest, TResponse>? handler)
        => table.Add(new ClientStreamingMethod<TRequest, TResponse>(method, InterceptorChain.Wrap(table.Interceptors, handler ?? throw new ArgumentNullException(nameof(handler)))));

    public override void AddMethod<TRequest, TResponse>(Method<TRequest, TResponse> method, ServerStreamingServerMethod<TRequest, TResponse>? handler)
        => table.Add(new ServerStreamingMethod<TRequest, TResponse>(method, InterceptorChain.Wrap(table.Interceptors, handler ?? throw new ArgumentNullException(nameof(handler)))));

    public override void AddMethod<TRequest, TResponse>(Method<TRequest, TResponse> method, DuplexStreamingServerMethod<TRequest, TResponse>? handler)
        => table.Add(new DuplexStreamingMethod<TRequest, TResponse>(method, InterceptorChain.Wrap(table.Interceptors, handler ?? throw new ArgumentNullException(nameof(handler)))));
}

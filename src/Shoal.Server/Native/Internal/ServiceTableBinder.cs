using Grpc.Core;

namespace Shoal.Server.Native.Internal;

/// <summary>The <see cref="ServiceBinderBase"/> that generated <c>BindService</c> methods fill a <see cref="NativeServiceTable"/> through.</summary>
internal sealed class ServiceTableBinder(NativeServiceTable table) : ServiceBinderBase
{
    public override void AddMethod<TRequest, TResponse>(Method<TRequest, TResponse> method, UnaryServerMethod<TRequest, TResponse>? handler)
    {
        var wrapped = InterceptorChain.Wrap(table.Interceptors, handler ?? throw new ArgumentNullException(nameof(handler)));
        table.Add(new UnaryMethod<TRequest, TResponse>(method, Authorizer(method)?.Guard(wrapped) ?? wrapped));
    }

    public override void AddMethod<TRequest, TResponse>(Method<TRequest, TResponse> method, ClientStreamingServerMethod<TRequest, TResponse>? handler)
    {
        var wrapped = InterceptorChain.Wrap(table.Interceptors, handler ?? throw new ArgumentNullException(nameof(handler)));
        table.Add(new ClientStreamingMethod<TRequest, TResponse>(method, Authorizer(method)?.Guard(wrapped) ?? wrapped));
    }

    public override void AddMethod<TRequest, TResponse>(Method<TRequest, TResponse> method, ServerStreamingServerMethod<TRequest, TResponse>? handler)
    {
        var wrapped = InterceptorChain.Wrap(table.Interceptors, handler ?? throw new ArgumentNullException(nameof(handler)));
        table.Add(new ServerStreamingMethod<TRequest, TResponse>(method, Authorizer(method)?.Guard(wrapped) ?? wrapped));
    }

    public override void AddMethod<TRequest, TResponse>(Method<TRequest, TResponse> method, DuplexStreamingServerMethod<TRequest, TResponse>? handler)
    {
        var wrapped = InterceptorChain.Wrap(table.Interceptors, handler ?? throw new ArgumentNullException(nameof(handler)));
        table.Add(new DuplexStreamingMethod<TRequest, TResponse>(method, Authorizer(method)?.Guard(wrapped) ?? wrapped));
    }

    /// <summary>Authorization runs outside the interceptors, as ASP.NET Core's middleware runs before grpc-dotnet's pipeline.</summary>
    private NativeCallAuthorizer? Authorizer(IMethod method) => table.Authorization?.ForMethod(method.FullName);
}

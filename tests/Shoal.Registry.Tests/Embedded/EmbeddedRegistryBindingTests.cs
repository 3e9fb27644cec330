using Grpc.Core;
using Microsoft.Extensions.DependencyInjection;
using Shoal.Client.Discovery.Embedded.Protocol;
using Shoal.Client.Discovery.InMemory;
using Shoal.Server.Registry;

namespace Shoal.Registry.Tests.Embedded;

/// <summary>The registry binds like any generated service, so either transport can serve it.</summary>
public sealed class EmbeddedRegistryBindingTests
{
    [Fact]
    public void BindService_AnyServiceBinder_BindsTheSixMethods()
    {
        using var store = new RegistryStore();
        var binder = new RecordingBinder();

        RegistryService.BindService(binder, new EmbeddedRegistryService(store));

        Assert.Equal(
            ["/shoal.registry.v1.RegistryService/Deregister:Unary", "/shoal.registry.v1.RegistryService/KeepAlive:Unary",
             "/shoal.registry.v1.RegistryService/List:Unary", "/shoal.registry.v1.RegistryService/ListLeases:Unary",
             "/shoal.registry.v1.RegistryService/Register:Unary",
             "/shoal.registry.v1.RegistryService/Watch:ServerStreaming"],
            binder.Methods.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void AddShoalEmbeddedRegistry_ResolvedTwice_OneServiceOverOneStoreWithTheGracePeriod()
    {
        var services = new ServiceCollection();
        services.AddShoalEmbeddedRegistry(o => o.MinTtl = TimeSpan.FromSeconds(1));
        using var provider = services.BuildServiceProvider();

        Assert.Same(provider.GetRequiredService<EmbeddedRegistryService>(), provider.GetRequiredService<EmbeddedRegistryService>());
        var store = provider.GetRequiredService<RegistryStore>();
        Assert.True(store.IsRecovering);
        Assert.Equal(TimeSpan.FromSeconds(1), store.Register(Support.TestInstances.Create("a-1"), TimeSpan.FromMilliseconds(10)).Ttl);
    }

    private sealed class RecordingBinder : ServiceBinderBase
    {
        public List<string> Methods { get; } = [];

        public override void AddMethod<TRequest, TResponse>(Method<TRequest, TResponse> method, UnaryServerMethod<TRequest, TResponse>? handler)
            => Methods.Add($"{method.FullName}:{method.Type}");

        public override void AddMethod<TRequest, TResponse>(Method<TRequest, TResponse> method, ServerStreamingServerMethod<TRequest, TResponse>? handler)
            => Methods.Add($"{method.FullName}:{method.Type}");

        public override void AddMethod<TRequest, TResponse>(Method<TRequest, TResponse> method, ClientStreamingServerMethod<TRequest, TResponse>? handler)
            => Methods.Add($"{method.FullName}:{method.Type}");

        public override void AddMethod<TRequest, TResponse>(Method<TRequest, TResponse> method, DuplexStreamingServerMethod<TRequest, TResponse>? handler)
            => Methods.Add($"{method.FullName}:{method.Type}");
    }
}

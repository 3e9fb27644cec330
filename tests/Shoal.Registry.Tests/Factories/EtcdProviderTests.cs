using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Shoal.Client;
using Shoal.Discovery;
using Shoal.Registry.Etcd;

namespace Shoal.Registry.Tests.Factories;

/// <summary>etcd plugs in with one call on each side; without it, etcd:// fails naming the package and the call.</summary>
public sealed class EtcdProviderTests
{
    [Fact]
    public void ForTarget_EtcdWithoutUseEtcd_NamesThePackageAndTheCall()
    {
        var ex = Assert.Throws<NotSupportedException>(() => ShoalChannel.ForTarget("etcd://127.0.0.1:2379/hello.Greeter"));

        Assert.Contains("Shoal.Registry.Etcd", ex.Message, StringComparison.Ordinal);
        Assert.Contains("UseEtcd()", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void UseEtcd_CalledTwice_AddsOneEtcdResolver()
    {
        var options = new ShoalChannelOptions().UseEtcd().UseEtcd();

        Assert.Single(options.ResolverFactories.OfType<EtcdResolverFactory>());
        Assert.IsType<EtcdResolverFactory>(options.GetResolverFactory("etcd"));
    }

    [Fact]
    public async Task ForTarget_EtcdAfterUseEtcd_CreatesAChannel()
    {
        await using var channel = ShoalChannel.ForTarget("etcd://127.0.0.1:1/hello.Greeter", new ShoalChannelOptions().UseEtcd());

        Assert.NotNull(channel);
    }

    [Fact]
    public async Task AddShoalEtcd_Services_RegistersTheRegistryProviderAndTheClientResolver()
    {
        var services = new ServiceCollection().AddShoalEtcd().AddShoalEtcd();
        await using var provider = services.BuildServiceProvider();

        var registries = provider.GetServices<IServiceRegistryFactory>().ToArray();
        var registry = Assert.Single(registries);
        Assert.True(registry.Supports("etcd"));
        Assert.True(registry.TryValidate("etcd://127.0.0.1:2379,127.0.0.1:22379", out _));
        Assert.False(registry.TryValidate("etcd://no-port", out var error));
        Assert.NotNull(error);
        Assert.IsType<EtcdResolverFactory>(Assert.Single(provider.GetServices<IServiceResolverFactory>()));
        var client = provider.GetRequiredService<IOptionsMonitor<ShoalClientOptions>>().Get("any");
        Assert.Contains(client.Channel.ResolverFactories, f => f is EtcdResolverFactory);
    }
}

using Grpc.Core;
using Shoal.Client.Discovery.Dns;
using Shoal.Client.Discovery.Embedded;
using Shoal.Client.Discovery.Static;
using Shoal.Registry.Etcd;
using Shoal.Targets;

namespace Shoal.Registry.Tests.Factories;

public sealed class ResolverFactoryTests
{
    [Theory]
    [InlineData("static", true, false, false, false)]
    [InlineData("dns", false, true, false, false)]
    [InlineData("registry", false, false, true, false)]
    [InlineData("etcd", false, false, false, true)]
    [InlineData("shoal", false, false, false, false)]
    public void Supports_EachFactoryClaimsOnlyItsScheme(string scheme, bool isStatic, bool isDns, bool isRegistry, bool isEtcd)
    {
        Assert.Equal(isStatic, new StaticResolverFactory().Supports(scheme));
        Assert.Equal(isDns, new DnsResolverFactory().Supports(scheme));
        Assert.Equal(isRegistry, new EmbeddedRegistryResolverFactory(_ => throw new InvalidOperationException()).Supports(scheme));
        Assert.Equal(isEtcd, new EtcdResolverFactory().Supports(scheme));
    }

    [Fact]
    public async Task Create_RegistryTarget_AsksForAnInvokerForTheFirstHost()
    {
        string? asked = null;
        var factory = new EmbeddedRegistryResolverFactory(hostPort =>
        {
            asked = hostPort;
            return new NoCallInvoker();
        });

        await using var resolver = factory.Create(ShoalTarget.Parse("registry://127.0.0.1:7070/hello.Greeter"));

        Assert.IsType<EmbeddedRegistryClient>(resolver);
        Assert.Equal("127.0.0.1:7070", asked);
    }

    [Fact]
    public async Task Create_EtcdTarget_UsesEveryHostAndThePrefixOption()
    {
        EtcdRegistryOptions? seen = null;
        var factory = new EtcdResolverFactory(o => seen = o);

        await using var resolver = factory.Create(ShoalTarget.Parse("etcd://127.0.0.1:2379,127.0.0.1:22379/hello.Greeter?prefix=/apps/"));

        var registry = Assert.IsType<EtcdServiceRegistry>(resolver);
        Assert.Equal(["http://127.0.0.1:2379/", "http://127.0.0.1:22379/"], seen!.Endpoints.Select(e => e.ToString()));
        Assert.Equal("/apps/hello.Greeter/a-1", registry.KeyFor("hello.Greeter", "a-1"));
    }

    [Theory]
    [InlineData("etcd://127.0.0.1:2379")]
    [InlineData("etcd://127.0.0.1:2379/")]
    [InlineData("etcd://127.0.0.1:2379,127.0.0.1:22379?prefix=/apps/")]
    [InlineData("etcd://127.0.0.1:2379/hello.Greeter")]
    public async Task FromAddress_ServerRegistryAddress_ParsesWithOrWithoutAService(string address)
    {
        EtcdRegistryOptions? seen = null;

        await using var registry = EtcdServiceRegistry.FromAddress(address, o => seen = o);

        Assert.Equal("http://127.0.0.1:2379/", seen!.Endpoints[0].ToString());
        Assert.Equal(address.Contains("prefix") ? "/apps/" : "/shoal/services/", seen.Prefix);
    }

    [Fact]
    public void FromAddress_NotEtcd_FormatException()
    {
        Assert.Throws<FormatException>(() => EtcdServiceRegistry.FromAddress("registry://127.0.0.1:7070"));
        Assert.Throws<FormatException>(() => EtcdServiceRegistry.FromAddress("etcd://no-port"));
    }

    [Fact]
    public void Create_WrongScheme_FormatException()
    {
        Assert.Throws<FormatException>(() => new StaticResolverFactory().Create(ShoalTarget.Parse("dns:///x.local:1")));
        Assert.Throws<FormatException>(() => new DnsResolverFactory().Create(ShoalTarget.Parse("static://127.0.0.1:1")));
        Assert.Throws<FormatException>(() => new EtcdResolverFactory().Create(ShoalTarget.Parse("static://127.0.0.1:1")));
        Assert.Throws<FormatException>(() => new EmbeddedRegistryResolverFactory(_ => new NoCallInvoker()).Create(ShoalTarget.Parse("static://127.0.0.1:1")));
    }

    [Fact]
    public void EtcdOptions_BadPrefixOrEndpoint_ArgumentException()
    {
        Assert.Throws<ArgumentException>(() => new EtcdServiceRegistry(new EtcdRegistryOptions()));
        Assert.Throws<ArgumentException>(() => new EtcdServiceRegistry(new EtcdRegistryOptions { Endpoints = [new Uri("http://127.0.0.1:2379")], Prefix = "shoal" }));
        Assert.Throws<ArgumentException>(() => new EtcdServiceRegistry(new EtcdRegistryOptions { Endpoints = [new Uri("tcp://127.0.0.1:2379")] }));
    }

    private sealed class NoCallInvoker : CallInvoker
    {
        public override TResponse BlockingUnaryCall<TRequest, TResponse>(Method<TRequest, TResponse> method, string? host, CallOptions options, TRequest request)
            => throw new NotSupportedException();

        public override AsyncUnaryCall<TResponse> AsyncUnaryCall<TRequest, TResponse>(Method<TRequest, TResponse> method, string? host, CallOptions options, TRequest request)
            => throw new NotSupportedException();

        public override AsyncServerStreamingCall<TResponse> AsyncServerStreamingCall<TRequest, TResponse>(Method<TRequest, TResponse> method, string? host, CallOptions options, TRequest request)
            => throw new NotSupportedException();

        public override AsyncClientStreamingCall<TRequest, TResponse> AsyncClientStreamingCall<TRequest, TResponse>(Method<TRequest, TResponse> method, string? host, CallOptions options)
            => throw new NotSupportedException();

        public override AsyncDuplexStreamingCall<TRequest, TResponse> AsyncDuplexStreamingCall<TRequest, TResponse>(Method<TRequest, TResponse> method, string? host, CallOptions options)
            => throw new NotSupportedException();
    }
}

using Grpc.Core;
using Grpc.Net.Client;
using Shoal.Client.Discovery.Embedded;
using Shoal.Client.Discovery.Embedded.Protocol;
using Shoal.Registry.Tests.Support;

namespace Shoal.Registry.Tests.Embedded;

/// <summary>The registry server's answers to bad requests, over real gRPC on loopback.</summary>
public sealed class EmbeddedRegistryServiceTests : IAsyncLifetime
{
    private RegistryHost _host = null!;
    private GrpcChannel _channel = null!;
    private RegistryService.RegistryServiceClient _client = null!;

    public async Task InitializeAsync()
    {
        _host = await RegistryHost.StartAsync();
        _channel = GrpcChannel.ForAddress(_host.Address);
        _client = new RegistryService.RegistryServiceClient(_channel);
    }

    public async Task DisposeAsync()
    {
        _channel.Dispose();
        await _host.DisposeAsync();
    }

    [Fact]
    public async Task Register_NoInstance_InvalidArgument()
    {
        var error = await Assert.ThrowsAsync<RpcException>(() => _client.RegisterAsync(new RegisterRequest { TtlMs = 1000 }).ResponseAsync);

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.Contains("no instance", error.Status.Detail);
    }

    [Fact]
    public async Task Register_NonPositiveTtl_InvalidArgument()
    {
        var request = new RegisterRequest { Instance = InstanceMessages.ToMessage(TestInstances.Create("a-1")), TtlMs = 0 };

        var error = await Assert.ThrowsAsync<RpcException>(() => _client.RegisterAsync(request).ResponseAsync);

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.Contains("ttl_ms", error.Status.Detail);
    }

    [Fact]
    public async Task Register_InstanceWithoutServicesOrWithABadAddress_InvalidArgumentAndNothingStored()
    {
        var noServices = InstanceMessages.ToMessage(TestInstances.Create("a-1"));
        noServices.Services.Clear();
        var badAddress = InstanceMessages.ToMessage(TestInstances.Create("a-2"));
        badAddress.Addresses["grpc"] = "::nonsense::";

        var first = await Assert.ThrowsAsync<RpcException>(() => _client.RegisterAsync(new RegisterRequest { Instance = noServices, TtlMs = 1000 }).ResponseAsync);
        var second = await Assert.ThrowsAsync<RpcException>(() => _client.RegisterAsync(new RegisterRequest { Instance = badAddress, TtlMs = 1000 }).ResponseAsync);

        Assert.Equal(StatusCode.InvalidArgument, first.StatusCode);
        Assert.Equal(StatusCode.InvalidArgument, second.StatusCode);
        Assert.Equal(0, _host.Store.Count);
    }

    [Fact]
    public async Task WatchAndList_NoService_InvalidArgument()
    {
        using var call = _client.Watch(new WatchRequest());
        var watch = await Assert.ThrowsAsync<RpcException>(() => call.ResponseStream.MoveNext(CancellationToken.None));
        var list = await Assert.ThrowsAsync<RpcException>(() => _client.ListAsync(new ListRequest()).ResponseAsync);

        Assert.Equal(StatusCode.InvalidArgument, watch.StatusCode);
        Assert.Equal(StatusCode.InvalidArgument, list.StatusCode);
    }

    [Fact]
    public async Task KeepAliveAndDeregister_UnknownLease_AnswerNotFound()
    {
        var keepAlive = await _client.KeepAliveAsync(new KeepAliveRequest { LeaseId = 42 });
        var deregister = await _client.DeregisterAsync(new DeregisterRequest { LeaseId = 42 });

        Assert.False(keepAlive.Found);
        Assert.False(deregister.Found);
    }

    [Fact]
    public async Task Register_ThenList_ReturnsTheInstanceAndTheGrantedTtl()
    {
        var registered = await _client.RegisterAsync(new RegisterRequest { Instance = InstanceMessages.ToMessage(TestInstances.Create("a-1")), TtlMs = 10 });
        var list = await _client.ListAsync(new ListRequest { Service = "hello.Greeter" });

        Assert.Equal(100, registered.TtlMs);
        Assert.Equal("a-1", Assert.Single(list.Instances).InstanceId);
        Assert.True((await _client.KeepAliveAsync(new KeepAliveRequest { LeaseId = registered.LeaseId })).Found);
    }
}

using Grpc.Net.Client;
using Shoal.Client.Discovery.Embedded.Protocol;
using Shoal.Registry.Tests.Support;

namespace Shoal.Registry.Tests.Embedded;

/// <summary>The Watch stream on the wire: whole sets for clients that ask for none, deltas for those that do.</summary>
public sealed class EmbeddedRegistryWatchProtocolTests : IAsyncLifetime
{
    private const string Service = "hello.Greeter";
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);
    private RegistryHost _host = null!;
    private GrpcChannel _channel = null!;
    private RegistryService.RegistryServiceClient _client = null!;

    public async Task InitializeAsync()
    {
        _host = await RegistryHost.StartAsync(startupGrace: TimeSpan.Zero);
        _channel = GrpcChannel.ForAddress(_host.Address);
        _client = new RegistryService.RegistryServiceClient(_channel);
    }

    public async Task DisposeAsync()
    {
        _channel.Dispose();
        await _host.DisposeAsync();
    }

    [Fact]
    public async Task Watch_ClientAsksForNoDeltas_EveryMessageIsTheWholeSet()
    {
        var (lease, _) = _host.Store.Register(TestInstances.Create("a-1"), TimeSpan.FromMinutes(1));
        using var cts = new CancellationTokenSource(Wait);
        using var call = _client.Watch(new WatchRequest { Service = Service }, cancellationToken: cts.Token);

        Assert.True(await call.ResponseStream.MoveNext(cts.Token));
        var first = call.ResponseStream.Current;
        _host.Store.Register(TestInstances.Create("a-2"), TimeSpan.FromMinutes(1));
        Assert.True(await call.ResponseStream.MoveNext(cts.Token));
        var second = call.ResponseStream.Current;
        _host.Store.Deregister(lease);
        Assert.True(await call.ResponseStream.MoveNext(cts.Token));
        var third = call.ResponseStream.Current;

        Assert.All(new[] { first, second, third }, m => Assert.False(m.Delta));
        Assert.Equal(["a-1"], first.Instances.Select(i => i.InstanceId));
        Assert.Equal(["a-1", "a-2"], second.Instances.Select(i => i.InstanceId).Order(StringComparer.Ordinal));
        Assert.Equal(["a-2"], third.Instances.Select(i => i.InstanceId));
    }

    [Fact]
    public async Task Watch_ClientAsksForDeltas_WholeSetFirstThenOnlyWhatChanged()
    {
        var (lease, _) = _host.Store.Register(TestInstances.Create("a-1"), TimeSpan.FromMinutes(1));
        using var cts = new CancellationTokenSource(Wait);
        using var call = _client.Watch(new WatchRequest { Service = Service, Deltas = true }, cancellationToken: cts.Token);

        Assert.True(await call.ResponseStream.MoveNext(cts.Token));
        var first = call.ResponseStream.Current;
        _host.Store.Register(TestInstances.Create("a-2"), TimeSpan.FromMinutes(1));
        Assert.True(await call.ResponseStream.MoveNext(cts.Token));
        var added = call.ResponseStream.Current;
        _host.Store.Deregister(lease);
        Assert.True(await call.ResponseStream.MoveNext(cts.Token));
        var removed = call.ResponseStream.Current;

        Assert.False(first.Delta);
        Assert.Equal(["a-1"], first.Instances.Select(i => i.InstanceId));
        Assert.True(added.Delta);
        Assert.Equal(first.Version, added.BaseVersion);
        Assert.Equal(["a-2"], added.Instances.Select(i => i.InstanceId));
        Assert.Empty(added.RemovedIds);
        Assert.True(removed.Delta);
        Assert.Equal(added.Version, removed.BaseVersion);
        Assert.Empty(removed.Instances);
        Assert.Equal(["a-1"], removed.RemovedIds);
        Assert.Equal(_host.Store.Id, removed.RegistryId);
    }
}

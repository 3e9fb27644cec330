using Grpc.Core;
using Grpc.Core.Interceptors;
using Grpc.Net.Client;
using Shoal.Client.Discovery.Embedded;
using Shoal.Client.Discovery.Embedded.Protocol;
using Shoal.Instances;
using Shoal.Registry.Tests.Support;

namespace Shoal.Registry.Tests.Embedded;

/// <summary>
/// A registry with a token, over real gRPC on loopback: a stranger (no token, or a wrong one) can
/// neither write nor read, a member cannot take over or touch another member's instance, and one
/// connection's leases and watches are capped.
/// </summary>
public sealed class EmbeddedRegistryAccessTests : IAsyncLifetime
{
    private const string Service = "hello.Greeter";
    private const string Token = "members-only-3f9a1c";
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);
    private readonly string _tokenFile = Path.Combine(Path.GetTempPath(), $"shoal-registry-token-{Guid.NewGuid():N}");
    private RegistryHost _host = null!;
    private GrpcChannel _channel = null!;

    public async Task InitializeAsync()
    {
        await File.WriteAllTextAsync(_tokenFile, Token + "\n");
        _host = await RegistryHost.StartAsync(startupGrace: TimeSpan.Zero, access: o =>
        {
            o.TokenFile = _tokenFile;
            o.MaxLeasesPerConnection = 3;
            o.MaxWatchesPerConnection = 2;
        });
        _channel = GrpcChannel.ForAddress(_host.Address);
    }

    public async Task DisposeAsync()
    {
        _channel.Dispose();
        await _host.DisposeAsync();
        File.Delete(_tokenFile);
    }

    [Fact]
    public async Task Stranger_EveryCallWithoutTheToken_UnauthenticatedAndNothingChanges()
    {
        var (leaseId, _) = _host.Store.Register(TestInstances.Create("real-1"), TimeSpan.FromMinutes(1));
        var stranger = Client(token: null);

        var register = await Refused(stranger.RegisterAsync(Request("real-1")).ResponseAsync);
        var keepAlive = await Refused(stranger.KeepAliveAsync(new KeepAliveRequest { LeaseId = leaseId }).ResponseAsync);
        var deregister = await Refused(stranger.DeregisterAsync(new DeregisterRequest { LeaseId = leaseId }).ResponseAsync);
        var list = await Refused(stranger.ListAsync(new ListRequest { Service = Service }).ResponseAsync);
        var leases = await Refused(stranger.ListLeasesAsync(new ListLeasesRequest()).ResponseAsync);
        var watch = await Refused(ReadOneAsync(stranger.Watch(new WatchRequest { Service = Service })));

        Assert.All([register, keepAlive, deregister, list, leases, watch], e => Assert.Equal(StatusCode.Unauthenticated, e.StatusCode));
        Assert.Contains("requires a token", register.Status.Detail);
        Assert.True(_host.Store.Contains(leaseId));
        var instance = Assert.Single(_host.Store.Snapshot(Service).Instances);
        Assert.Equal("real-1", instance.InstanceId);
        Assert.Equal(1, _host.Store.Count);
    }

    [Theory]
    [InlineData("Bearer members-only-3f9a1")]
    [InlineData("Bearer members-only-3f9a1c-and-more")]
    [InlineData("Basic members-only-3f9a1c")]
    [InlineData("members-only-3f9a1c")]
    [InlineData("Bearer ")]
    public async Task Stranger_WrongTokenOrScheme_Unauthenticated(string authorization)
    {
        var stranger = new RegistryService.RegistryServiceClient(_channel);
        var headers = new Metadata { { "authorization", authorization } };

        var error = await Refused(stranger.RegisterAsync(Request("intruder"), headers).ResponseAsync);

        Assert.Equal(StatusCode.Unauthenticated, error.StatusCode);
        Assert.Equal(0, _host.Store.Count);
    }

    [Fact]
    public async Task Member_WithTheToken_RegistersKeepsAliveListsWatchesAndDeregisters()
    {
        var member = Client(Token);

        var registered = await member.RegisterAsync(Request("m-1"));
        var kept = await member.KeepAliveAsync(new KeepAliveRequest { LeaseId = registered.LeaseId });
        var listed = await member.ListAsync(new ListRequest { Service = Service });
        var leases = await member.ListLeasesAsync(new ListLeasesRequest { Service = Service });
        using var watch = member.Watch(new WatchRequest { Service = Service });
        Assert.True(await watch.ResponseStream.MoveNext().WaitAsync(Wait));
        var removed = await member.DeregisterAsync(new DeregisterRequest { LeaseId = registered.LeaseId });

        Assert.True(kept.Found);
        Assert.Equal("m-1", Assert.Single(listed.Instances).InstanceId);
        Assert.Equal("m-1", Assert.Single(leases.Leases).Instance.InstanceId);
        Assert.Equal("m-1", Assert.Single(watch.ResponseStream.Current.Instances).InstanceId);
        Assert.True(removed.Found);
        Assert.Equal(0, _host.Store.Count);
    }

    [Fact]
    public async Task Member_RegistersAnIdHeldByAnotherLiveLease_AlreadyExistsAndTheHolderKeepsIt()
    {
        var holder = Client(Token);
        var other = Client(Token);
        var held = await holder.RegisterAsync(Request("taken-1"));

        var error = await Refused(other.RegisterAsync(Request("taken-1", intruder: true)).ResponseAsync);

        Assert.Equal(StatusCode.AlreadyExists, error.StatusCode);
        Assert.Contains("taken-1", error.Status.Detail);
        Assert.True((await holder.KeepAliveAsync(new KeepAliveRequest { LeaseId = held.LeaseId })).Found);
        var instance = Assert.Single(_host.Store.Snapshot(Service).Instances);
        Assert.DoesNotContain(instance.Addresses.Values, a => a.Host == "10.9.9.9");
    }

    [Fact]
    public async Task Member_KeepAliveOrDeregisterOfAGuessedLeaseId_NotFoundAndTheLeaseLives()
    {
        var holder = Client(Token);
        var other = Client(Token);
        var held = await holder.RegisterAsync(Request("owned-1"));

        // Lease ids are random 63-bit numbers: the neighbours of a known id are not leases.
        foreach (var guess in new[] { held.LeaseId + 1, held.LeaseId - 1, 1L, 2L })
        {
            Assert.False((await other.KeepAliveAsync(new KeepAliveRequest { LeaseId = guess })).Found);
            Assert.False((await other.DeregisterAsync(new DeregisterRequest { LeaseId = guess })).Found);
        }

        Assert.True(_host.Store.Contains(held.LeaseId));
        Assert.Single(_host.Store.Snapshot(Service).Instances);
    }

    [Fact]
    public async Task Member_PastTheLeaseCapOfItsConnection_ResourceExhaustedUntilOneEnds()
    {
        var member = Client(Token);
        var leases = new List<long>();
        for (var i = 0; i < 3; i++)
        {
            leases.Add((await member.RegisterAsync(Request($"cap-{i}"))).LeaseId);
        }

        var error = await Refused(member.RegisterAsync(Request("cap-3")).ResponseAsync);
        await member.DeregisterAsync(new DeregisterRequest { LeaseId = leases[0] });
        var after = await member.RegisterAsync(Request("cap-3"));

        Assert.Equal(StatusCode.ResourceExhausted, error.StatusCode);
        Assert.True(after.LeaseId != 0);
        Assert.Equal(3, _host.Store.Count);
    }

    [Fact]
    public async Task Member_PastTheWatchCapOfItsConnection_ResourceExhaustedUntilOneEnds()
    {
        var member = Client(Token);
        using var first = member.Watch(new WatchRequest { Service = Service });
        using var second = member.Watch(new WatchRequest { Service = Service });
        Assert.True(await first.ResponseStream.MoveNext().WaitAsync(Wait));
        Assert.True(await second.ResponseStream.MoveNext().WaitAsync(Wait));

        var error = await Refused(ReadOneAsync(member.Watch(new WatchRequest { Service = Service })));
        first.Dispose();
        var reopened = await ReadWithinAsync(member, Wait);

        Assert.Equal(StatusCode.ResourceExhausted, error.StatusCode);
        Assert.True(reopened);
    }

    [Fact]
    public async Task Client_WithTheTokenOption_RegistersAndWatchesThroughTheRegistry()
    {
        await using var client = new EmbeddedRegistryClient(_channel.CreateCallInvoker(), new EmbeddedRegistryClientOptions { Token = RegistryToken.ReadFile(_tokenFile) });
        await using var probe = WatchProbe.Start(client, Service);

        await using var registration = await client.RegisterAsync(TestInstances.Create("via-client"), TimeSpan.FromSeconds(10));

        Assert.True(registration.IsLeaseHeld);
        await probe.WaitForAsync(s => s.Has("via-client"), Wait, "via-client registered");
    }

    [Fact]
    public async Task Client_WithoutAToken_RegisterThrowsUnauthenticated()
    {
        await using var client = new EmbeddedRegistryClient(_channel.CreateCallInvoker());

        var error = await Assert.ThrowsAsync<RpcException>(() => client.RegisterAsync(TestInstances.Create("no-token"), TimeSpan.FromSeconds(10)));

        Assert.Equal(StatusCode.Unauthenticated, error.StatusCode);
        Assert.Equal(0, _host.Store.Count);
    }

    private RegistryService.RegistryServiceClient Client(string? token)
    {
        var invoker = _channel.CreateCallInvoker();
        return new RegistryService.RegistryServiceClient(token is null ? invoker : invoker.Intercept(m =>
        {
            m.Add("authorization", "Bearer " + token);
            return m;
        }));
    }

    private static RegisterRequest Request(string id, bool intruder = false)
    {
        var instance = TestInstances.Create(id);
        if (intruder)
        {
            instance = instance with { Addresses = instance.Addresses.SetItem(TransportKind.Native, new Uri("shoal://10.9.9.9:7000")) };
        }
        return new RegisterRequest { Instance = InstanceMessages.ToMessage(instance), TtlMs = 60_000 };
    }

    private static async Task ReadOneAsync(AsyncServerStreamingCall<InstanceSetMessage> call)
    {
        using (call)
        {
            await call.ResponseStream.MoveNext().WaitAsync(Wait);
        }
    }

    // The server counts a watch until its handler returns, which follows the client's cancel by a moment.
    private static async Task<bool> ReadWithinAsync(RegistryService.RegistryServiceClient member, TimeSpan bound)
    {
        var deadline = DateTime.UtcNow + bound;
        for (var attempt = 0; attempt < 100 && DateTime.UtcNow < deadline; attempt++)
        {
            using var call = member.Watch(new WatchRequest { Service = Service });
            try
            {
                return await call.ResponseStream.MoveNext().WaitAsync(Wait);
            }
            catch (RpcException ex) when (ex.StatusCode == StatusCode.ResourceExhausted)
            {
                await Task.Delay(50);
            }
        }
        return false;
    }

    private static async Task<RpcException> Refused(Task call) => await Assert.ThrowsAsync<RpcException>(() => call.WaitAsync(Wait));
}

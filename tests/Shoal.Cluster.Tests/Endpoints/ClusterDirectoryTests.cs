using System.Collections.Immutable;
using Microsoft.Extensions.Time.Testing;
using Shoal.Client.Cluster.Endpoints;
using Shoal.Cluster.Tests.Fakes;
using Shoal.Connections;
using Shoal.Instances;
using static Shoal.Cluster.Tests.Fakes.TestInstances;

namespace Shoal.Cluster.Tests.Endpoints;

public sealed class ClusterDirectoryTests : IAsyncLifetime
{
    private readonly FakeTimeProvider _time = new();
    private readonly FakeConnectionFactory _factory = new();
    private readonly FakeResolver _resolver = new();
    private ClusterDirectory _directory = null!;

    public Task InitializeAsync()
    {
        _directory = new ClusterDirectory(Service, _resolver, [_factory], timeProvider: _time);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _directory.DisposeAsync();

    [Fact]
    public void InstanceSet_NewInstances_ConnectsAndPublishesThemReady()
    {
        _directory.Apply(Set(1, Instance(7000), Instance(7010)));

        Assert.Equal(2, _directory.Snapshot.Ready.Length);
        Assert.All(_factory.Connections.Values, c => Assert.Equal(1, c.ConnectCalls));
        Assert.True(_directory.Snapshot.HasInstanceSet);
    }

    [Theory]
    [InlineData(ConnectionState.TransientFailure)]
    [InlineData(ConnectionState.Draining)]
    [InlineData(ConnectionState.Shutdown)]
    [InlineData(ConnectionState.Connecting)]
    public void ConnectionLeavesReady_SnapshotDropsItAtOnce(ConnectionState state)
    {
        _directory.Apply(Set(1, Instance(7000), Instance(7010)));
        var published = new List<EndpointSnapshot>();
        _directory.SnapshotChanged += published.Add;

        _factory[Native(7000).ToString()].SetState(state);

        // Synchronously, inside the state callback: no timer, no poll.
        var snapshot = Assert.Single(published);
        Assert.Equal(7010, Assert.Single(snapshot.Ready).Address.Port);
        Assert.Equal(2, snapshot.All.Length);
    }

    [Fact]
    public void ConnectionRecovers_EndpointIsReadyAgain()
    {
        _directory.Apply(Set(1, Instance(7000)));
        var connection = _factory[Native(7000).ToString()];
        connection.SetState(ConnectionState.TransientFailure);
        Assert.Empty(_directory.Snapshot.Ready);

        connection.SetState(ConnectionState.Ready);

        Assert.Single(_directory.Snapshot.Ready);
    }

    [Fact]
    public void ConnectionGoesIdle_IsDialledAgain()
    {
        _directory.Apply(Set(1, Instance(7000)));
        var connection = _factory[Native(7000).ToString()];

        connection.SetState(ConnectionState.Idle);

        Assert.Equal(2, connection.ConnectCalls);
        Assert.Single(_directory.Snapshot.Ready);
    }

    [Fact]
    public void InstanceRemoved_NoCallsInFlight_ConnectionDisposedAtOnce()
    {
        _directory.Apply(Set(1, Instance(7000), Instance(7010)));
        var leaving = _factory[Native(7010).ToString()];

        _directory.Apply(Set(2, Instance(7000)));

        Assert.True(leaving.IsDisposed);
        Assert.Single(_directory.Snapshot.All);
    }

    [Fact]
    public void InstanceRemoved_CallInFlight_ConnectionDisposedWhenTheCallEnds()
    {
        _directory.Apply(Set(1, Instance(7000)));
        var endpoint = _directory.Snapshot.Ready[0];
        var connection = _factory[Native(7000).ToString()];
        endpoint.Start();

        _directory.Apply(Set(2));
        Assert.False(connection.IsDisposed);
        Assert.Empty(_directory.Snapshot.Ready);

        endpoint.Complete(TimeSpan.FromMilliseconds(5), success: true);
        Assert.True(connection.IsDisposed);
    }

    [Fact]
    public void InstanceRemoved_CallNeverEnds_ConnectionDisposedAfterGrace()
    {
        _directory.Apply(Set(1, Instance(7000)));
        _directory.Snapshot.Ready[0].Start();
        var connection = _factory[Native(7000).ToString()];

        _directory.Apply(Set(2));
        _time.Advance(TimeSpan.FromSeconds(30));

        Assert.True(connection.IsDisposed);
    }

    [Fact]
    public void InstanceChangesWeight_SameConnectionKept()
    {
        _directory.Apply(Set(1, Instance(7000)));
        var endpoint = _directory.Snapshot.All[0];

        _directory.Apply(Set(2, Instance(7000, weight: 300)));

        Assert.Same(endpoint, _directory.Snapshot.All[0]);
        Assert.Equal(300, endpoint.Instance.Weight);
        Assert.Single(_factory.Created);
    }

    [Fact]
    public void InstanceChangesWeight_NewSnapshotIsPublishedSoPickersRebuild()
    {
        _directory.Apply(Set(1, Instance(7000), Instance(7010)));
        var before = _directory.Snapshot.Version;

        _directory.Apply(Set(2, Instance(7000, weight: 300), Instance(7010)));

        Assert.True(_directory.Snapshot.Version > before);
    }

    [Fact]
    public void SameSetAgain_NoNewSnapshot()
    {
        _directory.Apply(Set(1, Instance(7000)));
        var before = _directory.Snapshot.Version;

        _directory.Apply(Set(2, Instance(7000)));

        Assert.Equal(before, _directory.Snapshot.Version);
    }

    [Fact]
    public async Task NoFactoryForNative_FallsBackToGrpcAddress()
    {
        var grpcOnly = new FakeConnectionFactory("http");
        await using var directory = new ClusterDirectory(Service, _resolver, [grpcOnly], timeProvider: _time);

        directory.Apply(Set(1, Instance(7000)));

        Assert.Equal(new Uri("http://127.0.0.1:7001"), Assert.Single(directory.Snapshot.Ready).Address);
    }

    [Fact]
    public void InstanceWithNoUsableAddress_IsSkipped()
    {
        var odd = Instance(7000) with { Addresses = ImmutableDictionary<TransportKind, Uri>.Empty.Add(TransportKind.Native, new Uri("quic://127.0.0.1:7000")) };

        _directory.Apply(Set(1, odd, Instance(7010)));

        Assert.Equal(7010, Assert.Single(_directory.Snapshot.All).Address.Port);
    }

    [Fact]
    public void InstanceOfAnotherService_IsIgnored()
    {
        var other = Instance(7000) with { Services = ["shop.Orders"] };

        _directory.Apply(Set(1, other));

        Assert.Empty(_directory.Snapshot.All);
    }

    [Fact]
    public async Task Start_ResolverPushesSets_DirectoryFollows()
    {
        _directory.Start();
        _resolver.Push(Set(1, Instance(7000)));
        await _directory.FirstSetApplied.WithTimeout();
        Assert.Single(_directory.Snapshot.Ready);

        var changed = _directory.WaitForChangeAsync();
        _resolver.Push(Set(2, Instance(7000), Instance(7010)));
        await changed.WithTimeout();

        Assert.Equal(2, _directory.Snapshot.Ready.Length);
    }

    [Fact]
    public async Task Dispose_DisposesEveryConnection()
    {
        _directory.Apply(Set(1, Instance(7000), Instance(7010)));

        await _directory.DisposeAsync();

        Assert.All(_factory.Connections.Values, c => Assert.True(c.IsDisposed));
    }
}

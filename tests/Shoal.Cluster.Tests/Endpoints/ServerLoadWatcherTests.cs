using Grpc.Core;
using Microsoft.Extensions.Options;
using Shoal.Client.Cluster.LoadBalancing;
using Shoal.Cluster.Tests.Fakes;
using Shoal.Cluster.Tests.LoadBalancing;
using static Shoal.Cluster.Tests.Fakes.TestInstances;
using Shoal.Client.Cluster;

namespace Shoal.Cluster.Tests.Endpoints;

public sealed class ServerLoadWatcherTests
{
    [Fact]
    public async Task Unimplemented_StopsTheWatcherForGood()
    {
        var reporter = new FakeLoadReporter();
        await using var rig = new BalancerRig(LoadBalancerNames.P2cEwma, ServerLoadBalancingTests.ServerLoadOptions(), loadReporter: reporter);
        rig.Apply(Instance(7000));
        reporter.For(7000).Fail(new RpcException(new Status(StatusCode.Unimplemented, "no LoadReporter")));

        var watcher = rig.Endpoint(7000).LoadWatcher!;
        await watcher.Completion.WithTimeout();
        rig.Time.Advance(TimeSpan.FromMinutes(10));

        Assert.Equal(1, reporter.For(7000).Watches);
        Assert.True(rig.Endpoint(7000).ServerLoadUnsupported);
        Assert.Null(rig.Endpoint(7000).ServerLoad);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task StreamFailsOrEnds_WatchesAgainAfterABackoff(bool fails)
    {
        var reporter = new FakeLoadReporter();
        await using var rig = new BalancerRig(LoadBalancerNames.P2cEwma, ServerLoadBalancingTests.ServerLoadOptions(), loadReporter: reporter);
        rig.Apply(Instance(7000));
        var feed = reporter.For(7000);
        feed.Send(FakeLoadReporter.Load(0.5));
        await Wait.UntilAsync(() => rig.Endpoint(7000).ServerLoad is not null, "the first report");
        if (fails)
        {
            feed.Fail(new RpcException(new Status(StatusCode.Unavailable, "connection reset")));
        }
        else
        {
            feed.End();
        }
        feed.Send(FakeLoadReporter.Load(0.25));

        // Not before the backoff (at least 0.8 s): fake time has not moved.
        await Wait.UntilAsync(() => feed.Items.Reader.Count == 1, "the stream to end");
        Assert.Equal(1, feed.Watches);
        await Wait.UntilAsync(() =>
        {
            rig.Time.Advance(TimeSpan.FromMilliseconds(250));
            return rig.Endpoint(7000).ServerLoad?.Utilization == 0.25;
        }, "the second watch's report");
        Assert.Equal(2, feed.Watches);
        Assert.False(rig.Endpoint(7000).LoadWatcher!.Completion.IsCompleted);
    }

    [Fact]
    public async Task RemovedEndpoint_ItsWatcherIsCancelledAndStopped_TheOthersGoOn()
    {
        var reporter = new FakeLoadReporter();
        await using var rig = new BalancerRig(LoadBalancerNames.P2cEwma, ServerLoadBalancingTests.ServerLoadOptions(), loadReporter: reporter);
        rig.Apply(Instance(7000), Instance(7010));
        await Wait.UntilAsync(() => reporter.For(7000).Watches == 1 && reporter.For(7010).Watches == 1, "both watches");
        var removed = rig.Endpoint(7010);

        rig.Apply(Instance(7000));

        await removed.LoadWatcher!.Completion.WithTimeout();
        await Wait.UntilAsync(() => reporter.For(7010).Cancelled == 1, "the removed endpoint's watch to be cancelled");
        Assert.Equal(0, reporter.For(7000).Cancelled);
        Assert.False(rig.Endpoint(7000).LoadWatcher!.Completion.IsCompleted);
    }

    [Fact]
    public async Task DirectoryDisposed_EveryWatchIsCancelled()
    {
        var reporter = new FakeLoadReporter();
        var rig = new BalancerRig(LoadBalancerNames.P2cEwma, ServerLoadBalancingTests.ServerLoadOptions(), loadReporter: reporter);
        rig.Apply(Instance(7000), Instance(7010));
        await Wait.UntilAsync(() => reporter.For(7000).Watches == 1 && reporter.For(7010).Watches == 1, "both watches");
        var watchers = rig.Directory.Snapshot.All.Select(e => e.LoadWatcher!).ToArray();

        await rig.DisposeAsync();

        Assert.All(watchers, w => Assert.True(w.Completion.IsCompleted));
        Assert.Equal(1, reporter.For(7000).Cancelled);
        Assert.Equal(1, reporter.For(7010).Cancelled);
    }

    [Fact]
    public async Task WatcherWaitsForTheConnection_WatchesOnceItIsReady()
    {
        var reporter = new FakeLoadReporter();
        await using var rig = new BalancerRig(LoadBalancerNames.P2cEwma, ServerLoadBalancingTests.ServerLoadOptions(), loadReporter: reporter);
        rig.Factory.ReadyOnConnect = false;
        rig.Apply(Instance(7000));
        var connection = rig.Connection(7000);

        Assert.Equal(0, reporter.For(7000).Watches);
        connection.SetState(Shoal.Connections.ConnectionState.Ready);

        await Wait.UntilAsync(() => reporter.For(7000).Watches == 1, "the watch to open");
    }

    [Fact]
    public void Invoker_UseServerLoadWithoutAReporter_FailsNamingTheOption()
    {
        var options = new ClusterOptions();
        options.LoadBalancing.UseServerLoad = true;

        var error = Assert.Throws<OptionsValidationException>(() => new ClusterCallInvoker(Service, new FakeResolver(), [new FakeConnectionFactory()], options));

        Assert.Contains("LoadBalancing:UseServerLoad", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(true, 1)]
    [InlineData(false, 0)]
    public async Task Invoker_WatchesServerLoadOnlyWhenAsked(bool useServerLoad, int expectedWatches)
    {
        var reporter = new FakeLoadReporter();
        var options = ClusterHarness.PlainOptions(policy: LoadBalancerNames.P2cEwma);
        options.LoadBalancing.UseServerLoad = useServerLoad;
        await using var invoker = new ClusterCallInvoker(Service, new FakeResolver(), [new FakeConnectionFactory()], options,
            new ClusterDependencies { LoadReporter = reporter, Random = new Random(3) });
        invoker.Directory.Apply(Set(1, Instance(7000)));
        await Wait.UntilAsync(() => invoker.Snapshot.Ready.Length == 1, "the endpoint");
        if (useServerLoad)
        {
            await Wait.UntilAsync(() => reporter.For(7000).Watches == 1, "the watch");
        }

        Assert.Equal(expectedWatches, reporter.For(7000).Watches);
        Assert.Equal(useServerLoad, invoker.Snapshot.All[0].LoadWatcher is not null);
    }
}

using Microsoft.Extensions.Configuration;
using Shoal.Client.Cluster.LoadBalancing;
using Shoal.Cluster.Tests.Fakes;
using static Shoal.Cluster.Tests.Fakes.TestInstances;
using Shoal.Client.Cluster;

namespace Shoal.Cluster.Tests.LoadBalancing;

public sealed class ServerLoadBalancingTests
{
    [Theory]
    [InlineData(4)]
    [InlineData(16)]
    public async Task P2cEwma_OneServerAt95PercentCpu_GetsClearlyFewerCallsThanTwoAt20(int concurrency)
    {
        var reporter = new FakeLoadReporter();
        await using var rig = new BalancerRig(LoadBalancerNames.P2cEwma, ServerLoadOptions(), loadReporter: reporter);
        rig.Apply(Instance(7000), Instance(7010), Instance(7020));
        await ReportAsync(rig, reporter, (7000, 0.95), (7010, 0.2), (7020, 0.2));

        const int calls = 6_000;
        var counts = rig.Simulate(calls, concurrency, _ => TimeSpan.FromMilliseconds(5));

        // Equal latencies: without server load each gets a third.
        Assert.True(counts.GetValueOrDefault(7000) < calls / 10, $"the busy server got {counts.GetValueOrDefault(7000)} of {calls}");
        Assert.True(counts.GetValueOrDefault(7010) > calls * 4 / 10, $"7010 got {counts.GetValueOrDefault(7010)} of {calls}");
        Assert.True(counts.GetValueOrDefault(7020) > calls * 4 / 10, $"7020 got {counts.GetValueOrDefault(7020)} of {calls}");
    }

    [Fact]
    public async Task P2cEwma_EqualUtilisation_SplitsAsWithoutReports()
    {
        var reporter = new FakeLoadReporter();
        await using var rig = new BalancerRig(LoadBalancerNames.P2cEwma, ServerLoadOptions(), loadReporter: reporter);
        rig.Apply(Instance(7000), Instance(7010), Instance(7020));
        await ReportAsync(rig, reporter, (7000, 0.7), (7010, 0.7), (7020, 0.7));

        var counts = rig.Simulate(6_000, 8, _ => TimeSpan.FromMilliseconds(5));

        Assert.All(counts.Values, c => Assert.InRange(c, 1_500, 2_500));
    }

    [Theory]
    [InlineData(LoadBalancerNames.P2cEwma)]
    [InlineData(LoadBalancerNames.LeastRequest)]
    public async Task UseServerLoadOff_ReportsPresent_PicksExactlyAsWithoutReports(string policy)
    {
        var reporter = new FakeLoadReporter();
        await using var withReports = new BalancerRig(policy, new LoadBalancingOptions { WarmupPeriod = TimeSpan.Zero }, seed: 7, loadReporter: reporter);
        await using var without = new BalancerRig(policy, new LoadBalancingOptions { WarmupPeriod = TimeSpan.Zero }, seed: 7);
        withReports.Apply(Instance(7000), Instance(7010), Instance(7020));
        without.Apply(Instance(7000), Instance(7010), Instance(7020));
        await ReportAsync(withReports, reporter, (7000, 0.95, 40), (7010, 0.2, 0), (7020, 0.5, 3));

        var latency = (int port) => TimeSpan.FromMilliseconds(port == 7010 ? 9 : 4);
        var a = withReports.Simulate(5_000, 8, latency);
        var b = without.Simulate(5_000, 8, latency);

        Assert.Equal(b.OrderBy(p => p.Key), a.OrderBy(p => p.Key));
    }

    [Fact]
    public async Task LeastRequest_ServerInFlightFromOtherClients_SteersAwayAndUtilisationBreaksTies()
    {
        var reporter = new FakeLoadReporter();
        await using var rig = new BalancerRig(LoadBalancerNames.LeastRequest, ServerLoadOptions(), loadReporter: reporter);
        rig.Apply(Instance(7000), Instance(7010), Instance(7020));
        // Nothing in flight from this client anywhere: 7000 is busy with others' calls, 7010 and 7020 tie on calls.
        await ReportAsync(rig, reporter, (7000, 0.3, 50), (7010, 0.2, 0), (7020, 0.6, 0));

        var counts = rig.Pick(1_000);

        Assert.Equal(1_000, counts.GetValueOrDefault(7010));
    }

    [Fact]
    public async Task LeastRequest_ServerInFlightBelowTheClients_TheClientsCountStands()
    {
        var reporter = new FakeLoadReporter();
        await using var rig = new BalancerRig(LoadBalancerNames.LeastRequest, ServerLoadOptions(), loadReporter: reporter);
        rig.Apply(Instance(7000), Instance(7010));
        await ReportAsync(rig, reporter, (7000, 0.1, 0), (7010, 0.9, 0));
        for (var i = 0; i < 5; i++)
        {
            rig.Endpoint(7000).Start();
        }

        var counts = rig.Pick(100);

        // 7000 has the lower utilisation but five calls of ours in flight (its report says 0: a window old).
        Assert.Equal(100, counts.GetValueOrDefault(7010));
    }

    [Fact]
    public async Task StaleReport_ThreeWindowsWithoutANewOne_IsIgnored()
    {
        var reporter = new FakeLoadReporter();
        await using var rig = new BalancerRig(LoadBalancerNames.LeastRequest, ServerLoadOptions(), loadReporter: reporter);
        rig.Apply(Instance(7000), Instance(7010));
        await ReportAsync(rig, reporter, (7000, 0.95), (7010, 0.2));
        Assert.Equal(100, rig.Pick(100).GetValueOrDefault(7010));

        rig.Time.Advance(TimeSpan.FromSeconds(14));
        Assert.NotNull(rig.Endpoint(7000).ServerLoad);
        Assert.Equal(100, rig.Pick(100).GetValueOrDefault(7010));

        rig.Time.Advance(TimeSpan.FromSeconds(2));
        Assert.Null(rig.Endpoint(7000).ServerLoad);
        Assert.Null(rig.Endpoint(7010).ServerLoad);
        var counts = rig.Pick(2_000);
        Assert.InRange(counts.GetValueOrDefault(7000), 800, 1_200);
    }

    [Fact]
    public async Task NewReport_ReplacesTheOld_AndTheBusyServerGetsTrafficBack()
    {
        var reporter = new FakeLoadReporter();
        await using var rig = new BalancerRig(LoadBalancerNames.LeastRequest, ServerLoadOptions(), loadReporter: reporter);
        rig.Apply(Instance(7000), Instance(7010));
        await ReportAsync(rig, reporter, (7000, 0.95), (7010, 0.2));
        Assert.Equal(100, rig.Pick(100).GetValueOrDefault(7010));

        reporter.For(7000).Send(FakeLoadReporter.Load(0.1));
        await Wait.UntilAsync(() => rig.Endpoint(7000).ServerLoad?.Utilization == 0.1, "the new report");

        Assert.Equal(100, rig.Pick(100).GetValueOrDefault(7000));
    }

    [Theory]
    [InlineData(LoadBalancerNames.P2cEwma)]
    [InlineData(LoadBalancerNames.LeastRequest)]
    public async Task Picks_WithFreshReports_AllocateNothing(string policy)
    {
        var reporter = new FakeLoadReporter();
        await using var rig = new BalancerRig(policy, ServerLoadOptions(), loadReporter: reporter);
        rig.Apply(Instance(7000), Instance(7010), Instance(7020));
        await ReportAsync(rig, reporter, (7000, 0.9, 4L), (7010, 0.3, 1L), (7020, 0.5, 2L));
        rig.Simulate(100, 4, _ => TimeSpan.FromMilliseconds(3));
        var picker = rig.Picker;
        var context = new PickContext("/hello.Greeter/SayHello");

        // The least of three runs: a real allocation per pick shows in every run (10,000 times over),
        // while the runtime's one-off allocations on this thread (tiering, on-stack replacement) do not.
        var allocated = Enumerable.Range(0, 3).Min(_ => AllocatedByPicks(picker, context));

        Assert.Equal(0, allocated);
    }

    private static long AllocatedByPicks(IPicker picker, PickContext context)
    {
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 10_000; i++)
        {
            picker.Pick(context);
        }
        return GC.GetAllocatedBytesForCurrentThread() - before;
    }

    [Fact]
    public void Configuration_UseServerLoad_Binds()
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["LoadBalancing:UseServerLoad"] = "true" }).Build();
        var options = new ClusterOptions();

        configuration.Bind(options);

        Assert.True(options.LoadBalancing.UseServerLoad);
        Assert.False(new ClusterOptions().LoadBalancing.UseServerLoad);
        Assert.True(new ClusterOptionsValidator().Validate(null, options).Succeeded);
    }

    internal static LoadBalancingOptions ServerLoadOptions() => new() { WarmupPeriod = TimeSpan.Zero, UseServerLoad = true };

    internal static Task ReportAsync(BalancerRig rig, FakeLoadReporter reporter, params (int Port, double Utilization)[] reports)
        => ReportAsync(rig, reporter, reports.Select(r => (r.Port, r.Utilization, 0L)).ToArray());

    internal static async Task ReportAsync(BalancerRig rig, FakeLoadReporter reporter, params (int Port, double Utilization, long InFlight)[] reports)
    {
        foreach (var (port, utilization, inFlight) in reports)
        {
            reporter.For(port).Send(FakeLoadReporter.Load(utilization, inFlight));
        }
        foreach (var (port, utilization, _) in reports)
        {
            await Wait.UntilAsync(() => rig.Endpoint(port).ServerLoad?.Utilization == utilization, $"the report of {port}");
        }
    }
}

using System.Text.Json;
using Google.Protobuf.WellKnownTypes;
using Microsoft.Extensions.Time.Testing;
using Shoal.Server.Dashboard;
using Shoal.Server.Dashboard.Internal;
using Shoal.Client.Discovery.Embedded.Protocol;
using Shoal.Client.Load.Protocol;

namespace Shoal.Server.Tests.Dashboard;

/// <summary>The dashboard's state from registry listings it is given, and the JSON it sends; no registry, no load streams (no native addresses).</summary>
public sealed class DashboardMonitorTests
{
    private static readonly DateTimeOffset Start = new(2026, 12, 3, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task Listings_InstanceJoinsThenLeaves_EventsInOrderAndSnapshotFollows()
    {
        var time = new FakeTimeProvider(Start);
        await using var monitor = new DashboardMonitor("127.0.0.1:1", new ShoalDashboardOptions(), time);

        monitor.Apply(Listing(("a-1", "svc.A", "eu-1"), ("b-1", "svc.B", "")));
        time.Advance(TimeSpan.FromSeconds(1));
        monitor.Apply(Listing(("b-1", "svc.B", "")));

        var (instances, _, events, error) = monitor.Snapshot();
        Assert.Null(error);
        Assert.Equal(["b-1"], instances.Select(i => i.Id));
        Assert.Equal(["joined a-1", "joined b-1", "left a-1"], events.Select(e => $"{e.Kind} {e.InstanceId}"));
        Assert.Equal(Start.AddSeconds(1), events[^1].At);
    }

    [Fact]
    public async Task Events_MoreThanTheBound_KeepsTheLatest()
    {
        await using var monitor = new DashboardMonitor("127.0.0.1:1", new ShoalDashboardOptions { MaxEvents = 3 }, new FakeTimeProvider(Start));

        for (var i = 0; i < 4; i++)
        {
            monitor.Apply(Listing(($"x-{i}", "svc.X", "")));
        }

        // Each listing's joins come before its leaves: j0, j1 l0, j2 l1, j3 l2; the last 3 are kept.
        Assert.Equal(["left x-1", "joined x-3", "left x-2"], monitor.Snapshot().Events.Select(e => $"{e.Kind} {e.InstanceId}"));
    }

    [Fact]
    public async Task Snapshot_ReportWithNaNAndBadDuration_WritesZerosAndValidJson()
    {
        await using var monitor = new DashboardMonitor("127.0.0.1:1", new ShoalDashboardOptions(), new FakeTimeProvider(Start));
        monitor.Apply(Listing(("a-1", "svc.A", "eu-1")));
        monitor.Snapshot().Instances[0].OnReport(new LoadReport
        {
            Sequence = 7,
            RequestsPerSecond = double.NaN,
            CpuUtilization = double.PositiveInfinity,
            InFlight = 3,
            LatencyP50 = Duration.FromTimeSpan(TimeSpan.FromMilliseconds(2)),
            LatencyP99 = new Duration { Seconds = long.MaxValue },
            Errors = 1,
        });

        using var document = JsonDocument.Parse(DashboardSnapshot.Write(monitor, Start));

        var service = Assert.Single(document.RootElement.GetProperty("services").EnumerateArray());
        Assert.Equal("svc.A", service.GetProperty("name").GetString());
        var instance = Assert.Single(service.GetProperty("instances").EnumerateArray());
        Assert.Equal("eu-1", instance.GetProperty("zone").GetString());
        var load = instance.GetProperty("load");
        Assert.Equal(7, load.GetProperty("sequence").GetInt64());
        Assert.Equal(0, load.GetProperty("calls_per_second").GetDouble());
        Assert.Equal(0, load.GetProperty("cpu").GetDouble());
        Assert.Equal(3, load.GetProperty("in_flight").GetInt64());
        Assert.Equal(2, load.GetProperty("p50_ms").GetDouble(), 3);
        Assert.Equal(0, load.GetProperty("p99_ms").GetDouble());
        Assert.Equal(Start.ToUnixTimeMilliseconds(), document.RootElement.GetProperty("time_unix_ms").GetInt64());
    }

    private static ListLeasesResponse Listing(params (string Id, string Service, string Zone)[] instances)
    {
        var response = new ListLeasesResponse();
        foreach (var (id, service, zone) in instances)
        {
            // No native address: the monitor lists the instance and opens no load stream.
            response.Leases.Add(new LeaseMessage { Instance = new Instance { InstanceId = id, Services = { service }, Zone = zone }, TtlMs = 10_000 });
        }
        return response;
    }
}

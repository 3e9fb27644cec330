using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Grpc.Core;
using Shoal.Telemetry;

namespace Shoal.Core.Tests.Telemetry;

/// <summary>
/// <see cref="RpcMetrics"/> with and without a listener. No other test of this assembly listens to
/// the Shoal meter, and the tests of one class run one at a time.
/// </summary>
public sealed class RpcMetricsTests
{
    [Fact]
    public void ServerCall_NoListener_RecordsNothingAndAllocatesNothing()
    {
        Assert.False(RpcMetrics.ServerEnabled);
        Assert.False(RpcMetrics.ClientEnabled);
        // Warm the code path, then measure: a call without a listener allocates nothing.
        RpcMetrics.ServerCompleted(RpcMetrics.ServerStarted("/pkg.Svc/M", RpcMetrics.Native), "/pkg.Svc/M", RpcMetrics.Native, StatusCode.OK);
        var tokens = 0L;
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 1000; i++)
        {
            var token = RpcMetrics.ServerStarted("/pkg.Svc/M", RpcMetrics.Native);
            tokens |= token;
            RpcMetrics.ServerCompleted(token, "/pkg.Svc/M", RpcMetrics.Native, StatusCode.OK);
        }
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(0, tokens);
        Assert.Equal(0, allocated);
    }

    [Fact]
    public void ServerCall_Listener_RecordsDurationWithTheConventionTagsAndTracksInFlight()
    {
        var durations = new ConcurrentQueue<(double Value, Dictionary<string, object?> Tags)>();
        var active = new ConcurrentQueue<long>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == ShoalTelemetry.MeterName && instrument.Name is "rpc.server.duration" or "rpc.server.active_requests")
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<double>((instrument, value, tags, _) =>
            durations.Enqueue((value, tags.ToArray().ToDictionary(t => t.Key, t => t.Value))));
        listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) => active.Enqueue(value));
        listener.Start();

        var token = RpcMetrics.ServerStarted("/pkg.Svc/Method", RpcMetrics.Grpc);
        Assert.NotEqual(0, token);
        RpcMetrics.ServerCompleted(token, "/pkg.Svc/Method", RpcMetrics.Grpc, StatusCode.NotFound);

        var (duration, tags) = Assert.Single(durations);
        Assert.True(duration >= 0);
        Assert.Equal("grpc", tags["rpc.system"]);
        Assert.Equal("pkg.Svc", tags["rpc.service"]);
        Assert.Equal("Method", tags["rpc.method"]);
        Assert.Equal("grpc", tags["shoal.transport"]);
        Assert.Equal(5, tags["rpc.grpc.status_code"]);
        Assert.Equal([1L, -1L], active.ToArray());
    }
}

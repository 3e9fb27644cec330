using Grpc.Core;
using Shoal.Autoscaling.Actuators;
using Shoal.Autoscaling.Hosting.Tests.Infrastructure;
using Shoal.Client.Autoscaling.Protocol;

namespace Shoal.Autoscaling.Hosting.Tests;

public sealed class AutoscalerStatusServiceTests
{
    [Fact]
    public async Task Get_AfterTicksUnderLoad_ServesTheAutoscalersOwnTicks()
    {
        await using var cluster = await TestCluster.StartAsync();
        var greeter = await cluster.StartGreeterAsync();
        await using var autoscaler = ShoalAutoscaler.Create(
            new ShoalAutoscalerOptions
            {
                Registry = cluster.Registry,
                Service = "hello.Greeter",
                Capacity = 1,
                MinReplicas = 1,
                MaxReplicas = 1000,
                Interval = TimeSpan.FromMilliseconds(200),
                LeadTime = TimeSpan.FromSeconds(1),
            },
            actuator: new DryRunActuator(initialReplicas: 1));
        autoscaler.Start();
        await using var load = new LoadLoop(greeter.NativeTarget);
        await RegistryLoadSignalSourceTests.WaitForAsync(autoscaler.Signals, l => l.Instances == 1 && l.RequestsPerSecond > 2);
        var first = await autoscaler.TickAsync();
        var second = await autoscaler.TickAsync();

        var reply = await new AutoscalerStatusService(autoscaler).Get(new GetStatusRequest(), context: null!);

        Assert.Equal("hello.Greeter", reply.Service);
        Assert.Equal("dry-run", reply.Actuator);
        Assert.Equal(0.999, reply.Quantile, precision: 9);
        Assert.Equal((1, 1000, 200L), (reply.MinReplicas, reply.MaxReplicas, reply.IntervalMs));
        Assert.Equal(2, reply.Ticks.Count);
        foreach (var (tick, decision) in reply.Ticks.Zip([first, second]))
        {
            var d = decision.Decision;
            Assert.Equal(d.Time.ToUnixTimeMilliseconds(), tick.TimeUnixMs);
            Assert.Equal((d.CurrentLoad, d.Forecast, d.Capacity), (tick.LoadRps, tick.ForecastRps, tick.CapacityRps));
            Assert.Equal((d.CurrentReplicas, d.Desired, d.Recommended), (tick.CurrentReplicas, tick.DesiredReplicas, tick.RecommendedReplicas));
            Assert.Equal(decision.Load.Instances, tick.ReadyReplicas);
            Assert.Equal(d.Reason.ToString(), tick.Reason);
            Assert.Equal(d.Upper.HasValue, tick.HasUpperRps);
            Assert.Equal(d.Upper ?? 0, tick.UpperRps);
        }
        Assert.True(reply.Ticks[1].DesiredReplicas > 1, $"desired {reply.Ticks[1].DesiredReplicas} under a load above one replica's capacity");

        var latest = await new AutoscalerStatusService(autoscaler).Get(new GetStatusRequest { MaxTicks = 1 }, context: null!);
        Assert.Equal(reply.Ticks[1], Assert.Single(latest.Ticks));
    }

    [Fact]
    public async Task Get_NegativeMaxTicks_InvalidArgument()
    {
        await using var autoscaler = ShoalAutoscaler.Create(
            new ShoalAutoscalerOptions { Registry = "static://127.0.0.1:1", Service = "hello.Greeter" },
            actuator: new DryRunActuator(initialReplicas: 1));

        var e = await Assert.ThrowsAsync<RpcException>(() => new AutoscalerStatusService(autoscaler).Get(new GetStatusRequest { MaxTicks = -1 }, context: null!));

        Assert.Equal(StatusCode.InvalidArgument, e.StatusCode);
    }
}

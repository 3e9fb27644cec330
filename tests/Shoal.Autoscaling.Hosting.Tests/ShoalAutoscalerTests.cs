using System.Diagnostics;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Shoal.Autoscaling.Actuators;
using Shoal.Autoscaling.Hosting.Tests.Infrastructure;
using Shoal.Autoscaling.Policy;

namespace Shoal.Autoscaling.Hosting.Tests;

public sealed class ShoalAutoscalerTests
{
    [Fact]
    public async Task Tick_LoadAboveOneReplicasCapacity_AsksTheActuatorToScaleUp()
    {
        await using var cluster = await TestCluster.StartAsync();
        var greeter = await cluster.StartGreeterAsync();
        var actuator = new DryRunActuator(initialReplicas: 1);
        await using var autoscaler = ShoalAutoscaler.Create(
            new ShoalAutoscalerOptions
            {
                Registry = cluster.Registry,
                Service = "hello.Greeter",
                Capacity = 1,
                MaxReplicas = 1000,
                Interval = TimeSpan.FromMilliseconds(200),
                LeadTime = TimeSpan.FromSeconds(1),
            },
            actuator: actuator);
        var decided = new List<AutoscaleDecision>();
        autoscaler.Decided += (_, d) => decided.Add(d);
        autoscaler.Start();
        await using var load = new LoadLoop(greeter.NativeTarget);

        await RegistryLoadSignalSourceTests.WaitForAsync(autoscaler.Signals, l => l.Instances == 1 && l.RequestsPerSecond > 2);
        var decision = await autoscaler.TickAsync();

        Assert.Equal(1, decision.Load.Instances);
        Assert.True(decision.Load.RequestsPerSecond > 2);
        Assert.Equal(1, decision.Decision.CurrentReplicas);
        Assert.True(decision.Decision.Desired > 1, $"desired {decision.Decision.Desired}");
        Assert.NotEqual(ScalingReason.Hold, decision.Decision.Reason);
        Assert.Equal("dry-run", decision.Actuator);
        Assert.Equal(decision.Decision.Desired, await actuator.GetReplicasAsync());
        Assert.Same(decision, Assert.Single(decided));
    }

    [Fact]
    public async Task AddShoalAutoscaler_ConfigurationSection_BindsOptionsAndRunsAsHostedService()
    {
        await using var cluster = await TestCluster.StartAsync();
        await cluster.StartGreeterAsync();
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Shoal:Autoscaler:Registry"] = cluster.Registry,
            ["Shoal:Autoscaler:Service"] = "hello.Greeter",
            ["Shoal:Autoscaler:Actuator"] = "dry-run",
            ["Shoal:Autoscaler:MinReplicas"] = "2",
            ["Shoal:Autoscaler:MaxReplicas"] = "4",
            ["Shoal:Autoscaler:Capacity"] = "100",
            ["Shoal:Autoscaler:Interval"] = "00:00:00.2",
        });
        builder.Services.AddShoalAutoscaler(builder.Configuration);
        using var host = builder.Build();
        var options = host.Services.GetRequiredService<IOptions<ShoalAutoscalerOptions>>().Value;
        var autoscaler = host.Services.GetRequiredService<ShoalAutoscaler>();
        var decided = new TaskCompletionSource<AutoscaleDecision>(TaskCreationOptions.RunContinuationsAsynchronously);
        // The first decision from the load signal (ticks before its stream delivers hold the bounds and carry no capacity).
        autoscaler.Decided += (_, d) =>
        {
            if (d.Decision.Reason != ScalingReason.NoMetrics)
            {
                decided.TrySetResult(d);
            }
        };

        await host.StartAsync().WaitAsync(TestCluster.Timeout);
        try
        {
            var decision = await decided.Task.WaitAsync(TestCluster.Timeout);
            Assert.Equal("dry-run", decision.Actuator);
            // Min 2 replicas: the first decision lifts the dry-run's one replica to two.
            Assert.Equal(2, decision.Decision.Desired);
            Assert.Equal(100, decision.Decision.Capacity);
        }
        finally
        {
            await host.StopAsync().WaitAsync(TestCluster.Timeout);
        }
        Assert.Equal(TimeSpan.FromMilliseconds(200), options.Interval);
        Assert.Equal($"{cluster.Registry}/hello.Greeter", options.LoadTarget());
    }

    [Fact]
    public async Task AddShoalAutoscaler_InvalidConfiguration_FailsStartNamingTheKeys()
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Shoal:Autoscaler:Registry"] = "registry://127.0.0.1:1",
            ["Shoal:Autoscaler:Service"] = "hello.Greeter",
            ["Shoal:Autoscaler:Actuator"] = "bogus",
            ["Shoal:Autoscaler:MinReplicas"] = "3",
            ["Shoal:Autoscaler:MaxReplicas"] = "2",
        });
        builder.Services.AddShoalAutoscaler(builder.Configuration);
        using var host = builder.Build();

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync().WaitAsync(TestCluster.Timeout));

        Assert.Contains("Shoal:Autoscaler:Actuator", error.Message, StringComparison.Ordinal);
        Assert.Contains("MinReplicas", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AddShoalAutoscaler_ActuatorWithoutProvider_FailsStartNamingThePackageAndTheCall()
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Shoal:Autoscaler:Registry"] = "registry://127.0.0.1:1",
            ["Shoal:Autoscaler:Service"] = "hello.Greeter",
            ["Shoal:Autoscaler:Actuator"] = "kubernetes",
        });
        builder.Services.AddShoalAutoscaler(builder.Configuration);
        using var host = builder.Build();

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync().WaitAsync(TestCluster.Timeout));

        Assert.Contains("Shoal.Autoscaling.Kubernetes", error.Message, StringComparison.Ordinal);
        Assert.Contains("services.AddShoalKubernetesActuator(", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AddShoalAutoscaler_RegisteredProvider_CreatesTheActuatorTheConfiguredNameSelects()
    {
        var actuator = new DryRunActuator(initialReplicas: 4);
        var selected = new FixedActuatorProvider("fake", actuator);
        var other = new FixedActuatorProvider("other", new DryRunActuator());
        var services = new ServiceCollection();
        services.AddSingleton<IScaleActuatorProvider>(other);
        services.AddSingleton<IScaleActuatorProvider>(selected);
        services.AddShoalAutoscaler(configure: o =>
        {
            o.Registry = "registry://127.0.0.1:1";
            o.Service = "hello.Greeter";
            o.Actuator = "fake";
        });
        await using var provider = services.BuildServiceProvider();

        var autoscaler = provider.GetRequiredService<ShoalAutoscaler>();

        Assert.Same(actuator, autoscaler.Actuator);
        Assert.Equal(1, selected.Created);
        Assert.Equal(0, other.Created);
    }

    [Fact]
    public async Task Run_Cancelled_StopsPromptly()
    {
        await using var cluster = await TestCluster.StartAsync();
        await using var autoscaler = ShoalAutoscaler.Create(new ShoalAutoscalerOptions { Registry = cluster.GreeterTarget, Interval = TimeSpan.FromMilliseconds(100), Capacity = 10 });
        using var stop = new CancellationTokenSource();
        var ticks = 0;
        autoscaler.Decided += (_, _) =>
        {
            if (Interlocked.Increment(ref ticks) == 2)
            {
                stop.Cancel();
            }
        };
        var watch = Stopwatch.StartNew();

        await autoscaler.RunAsync(stop.Token).WaitAsync(TestCluster.Timeout);

        Assert.True(ticks >= 2);
        Assert.True(watch.Elapsed < TestCluster.Timeout);
    }
}

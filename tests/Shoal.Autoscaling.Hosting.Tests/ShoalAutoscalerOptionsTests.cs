using Shoal.Autoscaling.Actuators;
using Shoal.Autoscaling.Hosting.Tests.Infrastructure;

namespace Shoal.Autoscaling.Hosting.Tests;

public sealed class ShoalAutoscalerOptionsTests
{
    [Theory]
    [InlineData("registry://127.0.0.1:7000", "hello.Greeter", "registry://127.0.0.1:7000/hello.Greeter")]
    [InlineData("registry://127.0.0.1:7000/", "hello.Greeter", "registry://127.0.0.1:7000/hello.Greeter")]
    [InlineData("registry://127.0.0.1:7000/other.Service", "hello.Greeter", "registry://127.0.0.1:7000/other.Service")]
    [InlineData("etcd://a:2379,b:2379?transport=grpc", "hello.Greeter", "etcd://a:2379,b:2379/hello.Greeter?transport=grpc")]
    [InlineData("static://127.0.0.1:7000,127.0.0.1:7002", "hello.Greeter", "static://127.0.0.1:7000,127.0.0.1:7002")]
    [InlineData("dns:///greeter:7000", "", "dns:///greeter:7000")]
    public void LoadTarget_RegistryAndService_ComposeTheClusterTarget(string registry, string service, string expected)
    {
        var options = new ShoalAutoscalerOptions { Registry = registry, Service = service };
        Assert.Equal(expected, options.LoadTarget());
    }

    [Fact]
    public void Check_DefaultsWithARegistry_AreValid()
    {
        Assert.Empty(ShoalAutoscalerOptionsValidator.Check(new ShoalAutoscalerOptions { Registry = "registry://127.0.0.1:7000", Service = "hello.Greeter" }));
    }

    [Theory]
    [InlineData("Registry", "")]
    [InlineData("Registry/Service", "registry://127.0.0.1:7000")]
    [InlineData("names one instance", "shoal://127.0.0.1:7000")]
    public void Check_BadRegistry_NamesTheKey(string expected, string registry)
    {
        var failures = ShoalAutoscalerOptionsValidator.Check(new ShoalAutoscalerOptions { Registry = registry });
        Assert.Contains(failures, f => f.Contains(expected, StringComparison.Ordinal));
    }

    [Fact]
    public void Check_EveryBadSetting_IsNamed()
    {
        var options = new ShoalAutoscalerOptions
        {
            Registry = "registry://127.0.0.1:7000",
            Service = "hello.Greeter",
            Actuator = "fake",
            MinReplicas = 0,
            Capacity = -1,
            Interval = TimeSpan.Zero,
            ForecastInterval = TimeSpan.FromSeconds(-1),
            InitialReplicas = -1,
            GrowthMemory = TimeSpan.FromSeconds(-1),
        };

        var failures = string.Join("\n", ShoalAutoscalerOptionsValidator.Check(options, [new FixedActuatorProvider("fake", new DryRunActuator(), "Fake:Deployment is not set.")]));

        Assert.Contains("Shoal:Autoscaler:Fake:Deployment is not set.", failures, StringComparison.Ordinal);
        Assert.Contains("MinReplicas", failures, StringComparison.Ordinal);
        Assert.Contains("Capacity", failures, StringComparison.Ordinal);
        Assert.Contains("Interval", failures, StringComparison.Ordinal);
        Assert.Contains("InitialReplicas", failures, StringComparison.Ordinal);
        Assert.Contains("GrowthMemory", failures, StringComparison.Ordinal);
    }

    [Fact]
    public void Check_LocalWithoutCommand_NamesTheCommand()
    {
        var failures = ShoalAutoscalerOptionsValidator.Check(new ShoalAutoscalerOptions { Registry = "registry://127.0.0.1:7000/hello.Greeter", Actuator = "local" });
        Assert.Contains(failures, f => f.Contains("Local:Command", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("kubernetes", "Shoal.Autoscaling.Kubernetes", "services.AddShoalKubernetesActuator(")]
    [InlineData("containers", "Shoal.Autoscaling.Containers", "services.AddShoalContainerActuator(")]
    public void Check_ProviderActuatorNotRegistered_NamesThePackageAndTheCall(string actuator, string package, string call)
    {
        var failure = Assert.Single(ShoalAutoscalerOptionsValidator.Check(new ShoalAutoscalerOptions { Registry = "registry://127.0.0.1:7000/hello.Greeter", Actuator = actuator }));

        Assert.StartsWith($"Shoal:Autoscaler:Actuator is '{actuator}'", failure, StringComparison.Ordinal);
        Assert.Contains("registered: dry-run, local", failure, StringComparison.Ordinal);
        Assert.Contains(package, failure, StringComparison.Ordinal);
        Assert.Contains(call, failure, StringComparison.Ordinal);
    }

    [Fact]
    public void Check_ProviderOfThatNameRegistered_IsValidAndOnlyTheSelectedOneIsChecked()
    {
        var options = new ShoalAutoscalerOptions { Registry = "registry://127.0.0.1:7000/hello.Greeter", Actuator = "fake" };

        var failures = ShoalAutoscalerOptionsValidator.Check(options, [new FixedActuatorProvider("fake", new DryRunActuator()), new FixedActuatorProvider("other", new DryRunActuator(), "Other:X is bad.")]);

        Assert.Empty(failures);
    }
}

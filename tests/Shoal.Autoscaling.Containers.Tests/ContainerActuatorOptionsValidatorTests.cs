using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Shoal.Autoscaling.Actuators;

namespace Shoal.Autoscaling.Containers.Tests;

/// <summary>The settings the container actuator refuses, and its one-line registration.</summary>
public sealed class ContainerActuatorOptionsValidatorTests
{
    private static readonly ContainerActuatorOptions Valid = new() { Image = "localhost/shoal/greeter:dev" };

    [Fact]
    public void Defaults_WithAnImage_AreValid()
    {
        Assert.Empty(ContainerActuatorOptionsValidator.Check(Valid));
        Assert.Empty(ContainerActuatorOptionsValidator.Check(Valid with { Volumes = ["/srv/shop:/data", "shop-data:/data:ro"] }));
    }

    public static TheoryData<ContainerActuatorOptions, string> Invalid() => new()
    {
        { Valid with { Endpoint = new Uri("ftp://host/") }, "Endpoint" },
        { Valid with { Image = " " }, "Image" },
        { Valid with { Image = "two words" }, "Image" },
        { Valid with { InstancePrefix = "-dash" }, "InstancePrefix" },
        { Valid with { InstancePrefix = "a/b" }, "InstancePrefix" },
        { Valid with { Owner = "" }, "Owner" },
        { Valid with { Network = "my net" }, "Network" },
        { Valid with { Volumes = ["/srv/shop"] }, "Volumes" },
        { Valid with { Volumes = ["/srv/shop:data"] }, "Volumes" },
        { Valid with { Volumes = [":/data"] }, "Volumes" },
        { Valid with { Environment = new Dictionary<string, string> { ["A=B"] = "x" } }, "Environment" },
        { Valid with { Labels = new Dictionary<string, string> { [ContainerScaleActuator.RunLabel] = "x" } }, "Labels" },
        { Valid with { PublishedPorts = [7000, 7000] }, "PublishedPorts" },
        { Valid with { PublishedPorts = [0] }, "PublishedPorts" },
        { Valid with { PublishAddress = "localhost" }, "PublishAddress" },
        { Valid with { GracePeriod = TimeSpan.Zero }, "GracePeriod" },
        { Valid with { RestartDelay = TimeSpan.FromSeconds(-1) }, "RestartDelay" },
        { Valid with { RequestTimeout = TimeSpan.Zero }, "RequestTimeout" },
    };

    [Theory]
    [MemberData(nameof(Invalid))]
    public void OneBadSetting_Checked_IsNamedAlone(ContainerActuatorOptions options, string setting)
    {
        var failure = Assert.Single(ContainerActuatorOptionsValidator.Check(options));
        Assert.StartsWith(setting, failure, StringComparison.Ordinal);
    }

    [Fact]
    public void BadSettings_GivenToTheActuator_ThrowWithEveryProblem()
    {
        var options = Valid with { Image = "", GracePeriod = TimeSpan.Zero };

        var failure = Assert.Throws<ArgumentException>(() => new ContainerScaleActuator(options));

        Assert.Contains("Image", failure.Message, StringComparison.Ordinal);
        Assert.Contains("GracePeriod", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Registration_OneCall_AddsTheContainersProviderThatCreatesTheActuator()
    {
        var services = new ServiceCollection().AddShoalContainerActuator(Valid with { Endpoint = new Uri("unix:///nonexistent/podman.sock") });
        await using var provider = services.BuildServiceProvider();

        var actuators = Assert.Single(provider.GetServices<IScaleActuatorProvider>());
        Assert.Equal("containers", actuators.Name);
        Assert.Empty(actuators.Check());
        await using var actuator = Assert.IsType<ContainerScaleActuator>(actuators.Create(new ScaleActuatorContext()));

        Assert.Equal("containers", actuator.Name);
        Assert.Equal(0, await actuator.GetReplicasAsync());
    }

    [Fact]
    public void Registration_FromConfigurationWithoutImage_ProviderNamesTheMissingKey()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Shoal:Autoscaler:Containers:Network"] = "shoal",
        }).Build();
        using var provider = new ServiceCollection().AddShoalContainerActuator(configuration).BuildServiceProvider();

        var failure = Assert.Single(Assert.Single(provider.GetServices<IScaleActuatorProvider>()).Check());

        Assert.StartsWith("Containers:Image", failure, StringComparison.Ordinal);
    }

    [Fact]
    public void Registration_WithBadSettings_ThrowsBeforeAnythingRuns()
    {
        Assert.Throws<ArgumentException>(() => new ServiceCollection().AddShoalContainerActuator(Valid with { Owner = " " }));
    }
}

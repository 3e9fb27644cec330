using Docker.DotNet;
using Docker.DotNet.Models;
using Grpc.Core;
using Shoal.Autoscaling.Actuators;
using Shoal.Autoscaling.Containers.Tests.Infrastructure;
using Shoal.Tests.Containers;
using Xunit.Abstractions;

namespace Shoal.Autoscaling.Containers.Tests;

/// <summary>The actuator scaling real Greeter containers through podman's Docker Engine API.</summary>
[Collection(PodmanCollection.Name)]
[Trait("Category", "Containers")]
public sealed class ContainerScaleActuatorTests(PodmanService podman, GreeterImage image, ITestOutputHelper output)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task ScaleToTwoThenOne_TheRemovedContainerFinishesItsCallInFlight_ThenDisposeRemovesOnlyItsContainers()
    {
        await RequireAsync();
        var prefix = Podman.UniqueName("grt");
        var network = Podman.UniqueName("shoal-net");
        await Podman.RunAsync("network", "create", "--label", $"{PodmanService.RunLabel}={podman.RunId}", network);
        var events = new EventLog();
        var actuator = Create(prefix, network: network, grace: TimeSpan.FromSeconds(20));
        actuator.Changed += events.Add;
        using var docker = Client();
        var foreign = await ForeignContainerAsync(docker, $"{prefix}-foreign");
        try
        {
            await actuator.ScaleAsync(2);
            var two = actuator.Instances;
            Assert.Equal([$"{prefix}-1", $"{prefix}-2"], two.Select(i => i.Id));
            Assert.Equal(2, await actuator.GetReplicasAsync());
            foreach (var instance in two)
            {
                var reply = await Greeting.WhenServingAsync(instance.Ports[7000], Patience);
                Assert.Equal(instance.Id, reply.Instance);
            }

            // Arguments and environment got the instance id, the labels mark the owner and the run, the network is the one asked for.
            var inspected = await docker.Containers.InspectContainerAsync(two[1].ContainerId);
            Assert.Contains($"{prefix}-2", inspected.Args);
            Assert.Contains($"SHOAL_INSTANCE={prefix}-2", inspected.Config.Env);
            Assert.Equal("tests", inspected.Config.Labels[ContainerScaleActuator.OwnerLabel]);
            Assert.Equal(actuator.RunId, inspected.Config.Labels[ContainerScaleActuator.RunLabel]);
            Assert.Contains(network, inspected.NetworkSettings.Networks.Keys);

            // Scale to 1 with a 5 s call in flight on the newest container (2 s to reach it): the call completes, the container drains and goes.
            var slow = Greeting.SayHelloAsync(two[1].Ports[7000], TimeSpan.FromSeconds(5));
            await Task.Delay(TimeSpan.FromSeconds(2));
            Assert.False(slow.IsCompleted, "the slow call ended early");
            await actuator.ScaleAsync(1);
            Assert.Equal("Hello container", (await slow.WaitAsync(Patience)).Message);
            await actuator.WhenIdleAsync().WaitAsync(Patience);
            Assert.Equal(two[0].Id, Assert.Single(actuator.Instances).Id);
            Assert.Contains(events.Snapshot(), e => e.Kind == ScaleEventKind.InstanceStopped && e.Instance == two[1].Id);
            Assert.DoesNotContain(events.Snapshot(), e => e.Kind is ScaleEventKind.InstanceKilled or ScaleEventKind.InstanceCrashed);
            Assert.Equal([two[0].ContainerId], await OwnedAsync(docker, actuator.RunId));
        }
        finally
        {
            try
            {
                await actuator.DisposeAsync().AsTask().WaitAsync(Patience);
                Assert.Empty(await OwnedAsync(docker, actuator.RunId));
                // A container with the same owner label that this actuator did not start is still there.
                Assert.True((await docker.Containers.InspectContainerAsync(foreign)).State.Running);
            }
            finally
            {
                await docker.Containers.RemoveContainerAsync(foreign, new ContainerRemoveParameters { Force = true });
                await Podman.TryRunAsync("network", "rm", "--force", network);
            }
        }
        output.WriteLine(string.Join('\n', events.Snapshot()));
    }

    [Fact]
    public async Task KilledContainer_IsReplacedUnderTheSameIdAndServesAgain()
    {
        await RequireAsync();
        var events = new EventLog();
        await using var actuator = Create(Podman.UniqueName("crash"), grace: TimeSpan.FromSeconds(5));
        actuator.Changed += events.Add;
        using var docker = Client();

        await actuator.ScaleAsync(1);
        var first = Assert.Single(actuator.Instances);
        await Greeting.WhenServingAsync(first.Ports[7000], Patience);
        await docker.Containers.KillContainerAsync(first.ContainerId, new ContainerKillParameters { Signal = "SIGKILL" });

        var replaced = await Eventually.GetAsync("the replacement", Patience, () => Task.FromResult(actuator.Instances is [{ Restarts: 1 } i] ? i : null));
        Assert.Equal(first.Id, replaced.Id);
        Assert.NotEqual(first.ContainerId, replaced.ContainerId);
        Assert.Equal(first.Id, (await Greeting.WhenServingAsync(replaced.Ports[7000], Patience)).Instance);
        await Eventually.UntilAsync("the restart event", Patience, () => Task.FromResult(events.Snapshot().Any(e => e.Kind == ScaleEventKind.InstanceRestarted)));
        var kinds = events.Snapshot().Select(e => e.Kind).ToArray();
        Assert.Equal([ScaleEventKind.Scaled, ScaleEventKind.InstanceStarted, ScaleEventKind.InstanceCrashed, ScaleEventKind.InstanceRestarted], kinds);
        // The crashed container was removed, not left behind.
        Assert.Equal([replaced.ContainerId], await OwnedAsync(docker, actuator.RunId));
    }

    [Fact]
    public async Task ContainerStillDrainingAtTheEndOfTheGracePeriod_IsKilled()
    {
        await RequireAsync();
        var events = new EventLog();
        await using var actuator = Create(Podman.UniqueName("slow"), grace: TimeSpan.FromSeconds(2));
        actuator.Changed += events.Add;
        using var docker = Client();

        await actuator.ScaleAsync(1);
        var instance = Assert.Single(actuator.Instances);
        await Greeting.WhenServingAsync(instance.Ports[7000], Patience);
        // The Greeter drains for up to 10 s; a 30 s call keeps it past the actuator's 2 s grace period.
        var slow = Greeting.SayHelloAsync(instance.Ports[7000], TimeSpan.FromSeconds(30));
        await Task.Delay(TimeSpan.FromSeconds(2));
        await actuator.ScaleAsync(0);
        await actuator.WhenIdleAsync().WaitAsync(Patience);

        Assert.Contains(events.Snapshot(), e => e.Kind == ScaleEventKind.InstanceKilled && e.Instance == instance.Id);
        Assert.Contains(events.Snapshot(), e => e.Kind == ScaleEventKind.InstanceStopped && e.Instance == instance.Id);
        await Assert.ThrowsAsync<RpcException>(() => slow.WaitAsync(Patience));
        Assert.Empty(await OwnedAsync(docker, actuator.RunId));
    }

    [Fact]
    public async Task NameTakenByAContainerOfAnotherOwner_ScalingFailsAndLeavesItAlone()
    {
        await RequireAsync();
        var prefix = Podman.UniqueName("taken");
        using var docker = Client();
        var foreign = await ForeignContainerAsync(docker, $"{prefix}-1", owner: "someone-else");
        try
        {
            await using var actuator = Create(prefix, grace: TimeSpan.FromSeconds(2));
            var failure = await Assert.ThrowsAsync<InvalidOperationException>(() => actuator.ScaleAsync(1));
            Assert.Contains($"'{prefix}-1'", failure.Message, StringComparison.Ordinal);
            Assert.True((await docker.Containers.InspectContainerAsync(foreign)).State.Running);
        }
        finally
        {
            await docker.Containers.RemoveContainerAsync(foreign, new ContainerRemoveParameters { Force = true });
        }
    }

    [Fact]
    public async Task LeftoverOfTheSameOwnerWithTheInstanceName_IsRemovedAndReplaced()
    {
        await RequireAsync();
        var prefix = Podman.UniqueName("left");
        using var docker = Client();
        var leftover = await ForeignContainerAsync(docker, $"{prefix}-1", owner: "tests");
        await using var actuator = Create(prefix, grace: TimeSpan.FromSeconds(2));

        await actuator.ScaleAsync(1);

        var instance = Assert.Single(actuator.Instances);
        Assert.NotEqual(leftover, instance.ContainerId);
        await Assert.ThrowsAsync<DockerContainerNotFoundException>(() => docker.Containers.InspectContainerAsync(leftover));
    }

    private async Task RequireAsync()
    {
        await podman.RequireAsync();
        await image.RequireAsync();
    }

    private ContainerScaleActuator Create(string prefix, TimeSpan grace, string? network = null) => new(new ContainerActuatorOptions
    {
        Endpoint = podman.Endpoint,
        Image = image.Name,
        Arguments = ["--tcp-port", "7000", "--grpc-port", "7001", "--instance-id", "{instance}"],
        Environment = new Dictionary<string, string> { ["SHOAL_INSTANCE"] = "{instance}" },
        Labels = new Dictionary<string, string> { [PodmanService.RunLabel] = podman.RunId },
        Network = network,
        PublishedPorts = [7000],
        Owner = "tests",
        InstancePrefix = prefix,
        GracePeriod = grace,
        RestartDelay = TimeSpan.FromMilliseconds(200),
    });

    private DockerClient Client() => new DockerClientConfiguration(podman.Endpoint).CreateClient();

    private static async Task<string[]> OwnedAsync(DockerClient docker, string run)
    {
        var containers = await docker.Containers.ListContainersAsync(new ContainersListParameters
        {
            All = true,
            Filters = new Dictionary<string, IDictionary<string, bool>> { ["label"] = new Dictionary<string, bool> { [$"{ContainerScaleActuator.RunLabel}={run}"] = true } },
        });
        return containers.Select(c => c.ID).ToArray();
    }

    /// <summary>Starts a Greeter container the actuator did not start, with the given owner label.</summary>
    private async Task<string> ForeignContainerAsync(DockerClient docker, string name, string owner = "tests")
    {
        var created = await docker.Containers.CreateContainerAsync(new CreateContainerParameters
        {
            Name = name,
            Image = image.Name,
            Labels = new Dictionary<string, string> { [ContainerScaleActuator.OwnerLabel] = owner, [PodmanService.RunLabel] = podman.RunId },
        });
        await docker.Containers.StartContainerAsync(created.ID, new ContainerStartParameters());
        return created.ID;
    }

    /// <summary>The events an actuator raised, safe to read while it raises more.</summary>
    private sealed class EventLog
    {
        private readonly List<ScaleEvent> _events = [];

        public void Add(object? sender, ScaleEvent e)
        {
            lock (_events)
            {
                _events.Add(e);
            }
        }

        public ScaleEvent[] Snapshot()
        {
            lock (_events)
            {
                return _events.ToArray();
            }
        }
    }
}

using Shoal.Client.Discovery.Embedded;
using Shoal.Client.Discovery.Embedded.Protocol;
using Shoal.Client.Discovery.Internal;
using Shoal.Registry.Tests.Support;

namespace Shoal.Registry.Tests.Embedded;

/// <summary>The client side of the delta watch: messages in, full versioned sets out.</summary>
public sealed class WatchStateTests
{
    private const string Service = "hello.Greeter";
    private const string RegistryId = "run-1";

    [Fact]
    public void Apply_WholeSetThenDeltas_EachSetIsCompleteAndVersionsFollowTheRegistry()
    {
        var state = new WatchState(Service);

        var first = state.Apply(Whole(3, "a-1", "a-2"));
        var second = state.Apply(Delta(3, 4, upserted: ["a-3"], removed: ["a-1"]));
        var third = state.Apply(Delta(4, 6, upserted: [], removed: ["a-2"]));

        Assert.True(first.HasExactly("a-1", "a-2"));
        Assert.True(second.HasExactly("a-2", "a-3"));
        Assert.True(third.HasExactly("a-3"));
        Assert.Equal([3L, 4L, 6L], new[] { first.Version, second.Version, third.Version });
    }

    [Fact]
    public void Apply_DeltaReplacingAnInstance_SetHoldsTheNewVersionOfIt()
    {
        var state = new WatchState(Service);
        state.Apply(Whole(1, "a-1"));
        var changed = InstanceMessages.ToMessage(TestInstances.Create("a-1") with { Weight = 9 });
        var delta = Delta(1, 2, upserted: [], removed: []);
        delta.Instances.Add(changed);

        var set = state.Apply(delta);

        Assert.Equal(9, Assert.Single(set.Instances).Weight);
    }

    [Fact]
    public void Apply_WholeSetAgainAfterABreak_UnchangedInstancesAreNotConvertedAgain()
    {
        var state = new WatchState(Service);
        var before = state.Apply(Whole(5, "a-1", "a-2"));

        state.StreamBroken();
        var after = state.Apply(Whole(6, "a-1", "a-2", "a-3"));

        Assert.Same(before.Instances.Single(i => i.InstanceId == "a-1"), after.Instances.Single(i => i.InstanceId == "a-1"));
        Assert.True(after.HasExactly("a-1", "a-2", "a-3"));
    }

    [Fact]
    public void Apply_DeltaOnAnotherVersion_ThrowsSoTheWatchStartsAgain()
    {
        var state = new WatchState(Service);
        state.Apply(Whole(3, "a-1"));

        var error = Assert.Throws<InvalidOperationException>(() => state.Apply(Delta(2, 4, upserted: ["a-2"], removed: [])));

        Assert.Contains("watching again", error.Message);
        Assert.True(state.Last!.HasExactly("a-1"));
    }

    [Fact]
    public void Apply_DeltaFirstOnANewStream_Throws()
    {
        var state = new WatchState(Service);
        state.Apply(Whole(3, "a-1"));
        state.StreamBroken();

        Assert.Throws<InvalidOperationException>(() => state.Apply(Delta(3, 4, upserted: ["a-2"], removed: [])));
    }

    [Fact]
    public void Apply_RegistryRecoveringAfterABreak_KeepsMissingInstancesUntilTheGraceEnds()
    {
        var state = new WatchState(Service);
        var before = state.Apply(Whole(7, "a-1", "a-2"));
        state.StreamBroken();

        var restarted = Whole(1, "a-1");
        restarted.RegistryId = "run-2";
        restarted.Recovering = true;
        var recovering = state.Apply(restarted);
        var graceOver = Delta(1, 1, upserted: [], removed: []);
        graceOver.RegistryId = "run-2";
        var settled = state.Apply(graceOver);

        Assert.True(recovering.HasExactly("a-1", "a-2"));
        Assert.True(recovering.Version > before.Version);
        Assert.True(settled.HasExactly("a-1"));
        Assert.True(settled.Version >= recovering.Version);
    }

    private static InstanceSetMessage Whole(long version, params string[] ids)
    {
        var message = new InstanceSetMessage { Service = Service, Version = version, RegistryId = RegistryId };
        message.Instances.AddRange(ids.Select(id => InstanceMessages.ToMessage(TestInstances.Create(id))));
        return message;
    }

    private static InstanceSetMessage Delta(long baseVersion, long version, string[] upserted, string[] removed)
    {
        var message = new InstanceSetMessage { Service = Service, Version = version, RegistryId = RegistryId, Delta = true, BaseVersion = baseVersion };
        message.Instances.AddRange(upserted.Select(id => InstanceMessages.ToMessage(TestInstances.Create(id))));
        message.RemovedIds.AddRange(removed);
        return message;
    }
}

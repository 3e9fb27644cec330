using Shoal.Client.Discovery.Static;
using Shoal.Instances;
using Shoal.Targets;

namespace Shoal.Registry.Tests.Static;

public sealed class StaticServiceResolverTests
{
    [Fact]
    public async Task Watch_StaticTarget_YieldsOneSetOfNativeAddressesThenWaits()
    {
        var resolver = new StaticResolverFactory().Create(ShoalTarget.Parse("static://127.0.0.1:7000,127.0.0.1:7002"));
        using var cts = new CancellationTokenSource();
        await using var enumerator = resolver.WatchAsync("hello.Greeter", cts.Token).GetAsyncEnumerator(cts.Token);

        Assert.True(await enumerator.MoveNextAsync());
        var set = enumerator.Current;
        var next = enumerator.MoveNextAsync().AsTask();

        Assert.Equal(1, set.Version);
        Assert.False(set.IsStale);
        Assert.Equal(["shoal://127.0.0.1:7000/", "shoal://127.0.0.1:7002/"], set.Instances.Select(i => i.AddressFor(TransportKind.Native)!.ToString()));
        Assert.All(set.Instances, i => Assert.True(i.Serves("hello.Greeter")));
        Assert.False(next.IsCompleted);
        await cts.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => next);
    }

    [Fact]
    public void SetFor_GrpcTransportAndIpv6_BuildsHttpAddressesWithBrackets()
    {
        var resolver = StaticServiceResolver.FromTarget(ShoalTarget.Parse("static://[::1]:7001,localhost:7003?transport=grpc"));

        var set = resolver.SetFor("hello.Greeter");

        Assert.Equal(["http://[::1]:7001/", "http://localhost:7003/"], set.Instances.Select(i => i.AddressFor(TransportKind.Grpc)!.ToString()));
        Assert.All(set.Instances, i => Assert.Null(i.AddressFor(TransportKind.Native)));
    }

    [Fact]
    public void FromTarget_UnknownTransport_FailsWithTheReason()
    {
        var error = Assert.Throws<FormatException>(() => StaticServiceResolver.FromTarget(ShoalTarget.Parse("static://127.0.0.1:7000?transport=carrier-pigeon")));

        Assert.Contains("carrier-pigeon", error.Message);
    }

    [Fact]
    public void Constructor_EntryNotHostPort_FailsWithTheEntry()
    {
        var error = Assert.Throws<FormatException>(() => new StaticServiceResolver(["127.0.0.1"]));

        Assert.Contains("127.0.0.1", error.Message);
        Assert.Throws<FormatException>(() => new StaticServiceResolver([]));
    }
}

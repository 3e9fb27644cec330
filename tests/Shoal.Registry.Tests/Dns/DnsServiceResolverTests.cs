using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Time.Testing;
using Shoal.Client.Discovery.Dns;
using Shoal.Instances;
using Shoal.Registry.Tests.Support;
using Shoal.Targets;

namespace Shoal.Registry.Tests.Dns;

public sealed class DnsServiceResolverTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(5);
    private readonly FakeTimeProvider _time = new(DateTimeOffset.FromUnixTimeSeconds(1_700_000_000));
    private volatile IPAddress[] _answer = [IPAddress.Parse("10.0.0.2"), IPAddress.Parse("10.0.0.1")];
    private volatile bool _failing;
    private int _queries;

    private DnsResolverOptions Options() => new()
    {
        RefreshInterval = TimeSpan.FromSeconds(30),
        RetryInterval = TimeSpan.FromSeconds(5),
        TimeProvider = _time,
        Resolve = (name, _) =>
        {
            Interlocked.Increment(ref _queries);
            Assert.Equal("greeter.local", name);
            return _failing ? Task.FromException<IPAddress[]>(new SocketException((int)SocketError.HostNotFound)) : Task.FromResult(_answer);
        },
    };

    [Fact]
    public async Task Watch_Resolved_OneInstancePerAddressInStableOrder()
    {
        var resolver = new DnsResolverFactory(Options()).Create(ShoalTarget.Parse("dns:///greeter.local:7000"));
        await using var probe = WatchProbe.Start(resolver, "hello.Greeter");

        var set = await probe.WaitForAsync(_ => true, Wait, "the first set");

        Assert.Equal(1, set.Version);
        Assert.Equal(["shoal://10.0.0.1:7000/", "shoal://10.0.0.2:7000/"], set.Instances.Select(i => i.AddressFor(TransportKind.Native)!.ToString()));
    }

    [Fact]
    public async Task Refresh_AddressesChange_NewSetWithHigherVersion()
    {
        await using var probe = WatchProbe.Start(new DnsServiceResolver("greeter.local", 7000, Options()), "hello.Greeter");
        await probe.WaitForAsync(_ => true, Wait, "the first set");

        _answer = [IPAddress.Parse("10.0.0.1"), IPAddress.Parse("10.0.0.3")];
        await AdvanceUntilAsync(TimeSpan.FromSeconds(30), () => probe.Latest!.Has("10.0.0.3:7000"));

        var set = await probe.WaitForAsync(s => s.Has("10.0.0.3:7000"), Wait, "the new address");
        Assert.Equal(2, set.Version);
        Assert.False(set.Has("10.0.0.2:7000"));
    }

    [Fact]
    public async Task Refresh_SameAddresses_NoNewSet()
    {
        await using var probe = WatchProbe.Start(new DnsServiceResolver("greeter.local", 7000, Options()), "hello.Greeter");
        await probe.WaitForAsync(_ => true, Wait, "the first set");

        _answer = [IPAddress.Parse("10.0.0.1"), IPAddress.Parse("10.0.0.2")];
        // Four more queries: the resolver yields before it queries again, so every set the first
        // three could have produced is recorded by the time the fourth starts.
        await AdvanceUntilAsync(TimeSpan.FromSeconds(30), () => Volatile.Read(ref _queries) >= 5);

        Assert.Single(probe.Seen);
    }

    [Fact]
    public async Task Resolve_FailsThenRecovers_LastSetKeptStaleThenFreshAgain()
    {
        await using var probe = WatchProbe.Start(new DnsServiceResolver("greeter.local", 7000, Options()), "hello.Greeter");
        await probe.WaitForAsync(_ => true, Wait, "the first set");

        _failing = true;
        await AdvanceUntilAsync(TimeSpan.FromSeconds(30), () => probe.Latest!.IsStale);
        var stale = await probe.WaitForAsync(s => s.IsStale, Wait, "a stale set");
        Assert.Equal(2, stale.Instances.Length);

        _failing = false;
        await AdvanceUntilAsync(TimeSpan.FromSeconds(5), () => !probe.Latest!.IsStale);
        var fresh = await probe.WaitForAsync(s => !s.IsStale, Wait, "a fresh set");
        Assert.Equal(1, fresh.Version);
    }

    [Fact]
    public async Task Resolve_FailsFromTheStart_EmptyStaleSet()
    {
        _failing = true;
        await using var probe = WatchProbe.Start(new DnsServiceResolver("greeter.local", 7000, Options()), "hello.Greeter");

        var set = await probe.WaitForAsync(_ => true, Wait, "the first set");

        Assert.True(set.IsStale);
        Assert.Empty(set.Instances);
    }

    [Fact]
    public void FromTarget_GrpcTransport_BuildsHttpAddresses()
    {
        var resolver = DnsServiceResolver.FromTarget(ShoalTarget.Parse("dns:///greeter.local:7001?transport=grpc"), Options());

        Assert.NotNull(resolver);
        Assert.Throws<FormatException>(() => DnsServiceResolver.FromTarget(ShoalTarget.Parse("static://127.0.0.1:1"), Options()));
    }

    /// <summary>
    /// Advances fake time a step at a time until <paramref name="condition"/> holds (bounded). The
    /// resolver arms its next timer only after the consumer took the last set, so a single advance
    /// could land before the timer exists.
    /// </summary>
    private async Task AdvanceUntilAsync(TimeSpan step, Func<bool> condition)
    {
        for (var i = 0; i < 500 && !condition(); i++)
        {
            _time.Advance(step);
            await Task.Delay(5);
        }
        Assert.True(condition(), "the condition did not hold after 500 steps of fake time");
    }
}

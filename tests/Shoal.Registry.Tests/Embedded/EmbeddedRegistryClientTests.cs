using System.Diagnostics.Metrics;
using Microsoft.Extensions.Time.Testing;
using Shoal.Client.Discovery.Embedded;
using Shoal.Client.Discovery.Embedded.Protocol;
using Shoal.Client.Discovery.InMemory;
using Shoal.Discovery;
using Shoal.Registry.Tests.Support;
using Shoal.Server.Registry;

namespace Shoal.Registry.Tests.Embedded;

/// <summary>The client's lease handling on fake time, over an in-process invoker (no transport, no sockets).</summary>
public sealed class EmbeddedRegistryClientTests : IAsyncDisposable
{
    private static readonly TimeSpan Ttl = TimeSpan.FromSeconds(3);
    private readonly FakeTimeProvider _time = new(DateTimeOffset.FromUnixTimeSeconds(1_700_000_000));
    private readonly List<RegistryStore> _stores = [];
    private readonly InProcessCallInvoker _invoker;
    private readonly EmbeddedRegistryClient _client;
    private RegistryStore _store;

    internal CapturingLoggerFactory Logs { get; } = new();

    public EmbeddedRegistryClientTests()
    {
        _store = NewStore();
        _invoker = new InProcessCallInvoker(b => RegistryService.BindService(b, new EmbeddedRegistryService(_store)));
        _client = new EmbeddedRegistryClient(_invoker, new EmbeddedRegistryClientOptions { TimeProvider = _time, Random = new Random(7), LoggerFactory = Logs });
    }

    public async ValueTask DisposeAsync()
    {
        await _client.DisposeAsync();
        foreach (var store in _stores)
        {
            store.Dispose();
        }
    }

    [Fact]
    public async Task KeepAlive_NineSecondsWithATtlOfThree_AboutNineRenewalsAndTheLeaseHeld()
    {
        await using var registration = await _client.RegisterAsync(TestInstances.Create("a-1"), Ttl);

        await AdvanceAsync(TimeSpan.FromSeconds(9));

        var renewals = _invoker.Calls.GetValueOrDefault("KeepAlive");
        Assert.InRange(renewals, 8, 9);
        Assert.True(registration.IsLeaseHeld);
        Assert.True(_store.Snapshot("hello.Greeter").Has("a-1"));
    }

    [Fact]
    public async Task RegistryRestarted_KeepAliveAnswersNotFound_RegistersAgainInTheNewRegistry()
    {
        await using var registration = await _client.RegisterAsync(TestInstances.Create("a-1"), Ttl);

        _store = NewStore();
        _invoker.Rebind(b => RegistryService.BindService(b, new EmbeddedRegistryService(_store)));
        await AdvanceUntilAsync(() => _store.Snapshot("hello.Greeter").Has("a-1"));

        Assert.Equal(2, _invoker.Calls.GetValueOrDefault("Register"));
        Assert.True(registration.IsLeaseHeld);
    }

    [Fact]
    public async Task RegistryDown_LongerThanTheTtl_LeaseReportedLostThenRegisteredAgain()
    {
        await using var registration = await _client.RegisterAsync(TestInstances.Create("a-1"), Ttl);

        _invoker.Available = false;
        await AdvanceUntilAsync(() => !registration.IsLeaseHeld);
        Assert.Empty(_store.Snapshot("hello.Greeter").Instances);

        _invoker.Available = true;
        await AdvanceUntilAsync(() => registration.IsLeaseHeld && _store.Snapshot("hello.Greeter").Has("a-1"));
    }

    [Fact]
    public async Task Dispose_Registration_DeregistersAtOnce()
    {
        var registration = await _client.RegisterAsync(TestInstances.Create("a-1"), Ttl);

        await registration.DisposeAsync();

        Assert.Empty(_store.Snapshot("hello.Greeter").Instances);
        Assert.Equal(1, _invoker.Calls.GetValueOrDefault("Deregister"));
    }

    [Fact]
    public async Task Watch_RegistryGoesDownAndComesBack_StaleThenFreshWithoutTransport()
    {
        await using var registration = await _client.RegisterAsync(TestInstances.Create("a-1"), TimeSpan.FromMinutes(5));
        await using var probe = WatchProbe.Start(_client, "hello.Greeter");
        await probe.WaitForAsync(s => s.Has("a-1"), TimeSpan.FromSeconds(5), "a-1");
        var failures = 0L;
        using var listener = new MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Meter.Name == "Shoal.Registry" && instrument.Name == "shoal.registry.watch.failures")
                {
                    l.EnableMeasurementEvents(instrument);
                }
            },
        };
        listener.SetMeasurementEventCallback<long>((_, value, tags, _) =>
        {
            if (tags.ToArray().Contains(new KeyValuePair<string, object?>("registry", "embedded")))
            {
                Interlocked.Add(ref failures, value);
            }
        });
        listener.Start();

        _invoker.Available = false;
        await probe.WaitForAsync(s => s.IsStale && s.Has("a-1"), TimeSpan.FromSeconds(5), "a stale set with a-1");
        _invoker.Available = true;
        await AdvanceUntilAsync(() => probe.Latest is { IsStale: false });

        Assert.True(probe.Latest!.Has("a-1"));
        Assert.True(Logs.Has(100) && Logs.Has(101), "the outage and the recovery should each be logged");
        Assert.True(Interlocked.Read(ref failures) >= 1, "the outage should be counted on shoal.registry.watch.failures");
    }

    private RegistryStore NewStore()
    {
        var store = new RegistryStore(timeProvider: _time);
        _stores.Add(store);
        return store;
    }

    /// <summary>Lets fake time pass in 100 ms steps, giving the background loops a moment of real time after each.</summary>
    private async Task AdvanceAsync(TimeSpan duration)
    {
        for (var passed = TimeSpan.Zero; passed < duration; passed += TimeSpan.FromMilliseconds(100))
        {
            _time.Advance(TimeSpan.FromMilliseconds(100));
            await Task.Delay(2);
        }
    }

    private async Task AdvanceUntilAsync(Func<bool> condition)
    {
        // Bounded: at most 60 s of fake time.
        for (var i = 0; i < 600 && !condition(); i++)
        {
            _time.Advance(TimeSpan.FromMilliseconds(100));
            await Task.Delay(2);
        }
        Assert.True(condition(), "the condition did not hold within 60 s of fake time");
    }
}

using Shoal.Discovery;
using Shoal.Registry.Tests.Support;

namespace Shoal.Registry.Tests.Contract;

/// <summary>The contract plus what only a registry in another process can do: go away and come back.</summary>
public abstract class RemoteServiceRegistryContract : ServiceRegistryContract
{
    /// <summary>Stops the registry (process or server) while clients keep running.</summary>
    protected abstract Task StopSourceAsync();

    /// <summary>Starts the registry again at the same address.</summary>
    protected abstract Task StartSourceAsync();

    /// <summary>A resolver with its own connection and no memory of earlier sets.</summary>
    protected abstract IServiceResolver CreateFreshResolver();

    [Fact]
    public async Task Outage_RegistryStopsAndReturns_LastSetKeptStaleThenRegistrationsComeBack()
    {
        var probe = Watch();
        await RegisterAsync("a-1");
        await RegisterAsync("a-2");
        await probe.WaitForAsync(s => s.HasExactly("a-1", "a-2") && !s.IsStale, EventTimeout, "both instances");

        await StopSourceAsync();
        var stale = await probe.WaitForAsync(s => s.IsStale, EventTimeout, "a stale set");
        Assert.True(stale.HasExactly("a-1", "a-2"), $"the last set must be kept while the registry is down; saw {WatchProbe.Describe(probe.Seen)}");

        await StartSourceAsync();
        await probe.WaitForAsync(s => !s.IsStale && s.HasExactly("a-1", "a-2"), EventTimeout * 2, "a fresh set after recovery");

        // A resolver with no memory of the old set proves the registrations themselves came back.
        await using var fresh = CreateFreshResolver();
        var freshProbe = Watch(resolver: fresh);
        await freshProbe.WaitForAsync(s => !s.IsStale && s.HasExactly("a-1", "a-2"), EventTimeout * 2, "both registrations in the restarted registry");
        await RegisterAsync("a-3");
        await probe.WaitForAsync(s => s.HasExactly("a-1", "a-2", "a-3"), EventTimeout, "a-3 registered after recovery");
    }

    [Fact]
    public async Task Watch_RegistryDownFromTheStart_YieldsAnEmptyStaleSetAndNeverEnds()
    {
        await StopSourceAsync();
        await using var fresh = CreateFreshResolver();
        var probe = Watch(resolver: fresh);

        var first = await probe.WaitForAsync(_ => true, EventTimeout, "the first set");
        Assert.True(first.IsStale);
        Assert.Empty(first.Instances);

        await StartSourceAsync();
        await RegisterAsync("a-1");
        await probe.WaitForAsync(s => !s.IsStale && s.Has("a-1"), EventTimeout * 2, "a-1 once the registry is up");
    }

    [Fact]
    public async Task Register_RegistryDown_ReturnsWithoutLeaseAndRegistersOnceItIsBack()
    {
        await StopSourceAsync();

        var registration = await RegisterAsync("a-1");
        Assert.False(registration.IsLeaseHeld);

        await StartSourceAsync();
        var probe = Watch();
        await probe.WaitForAsync(s => !s.IsStale && s.Has("a-1"), EventTimeout * 2, "a-1 registered once the registry is up");
        // The watcher may see the instance a moment before the registration reads the answer.
        for (var i = 0; i < 100 && !registration.IsLeaseHeld; i++)
        {
            await Task.Delay(50);
        }
        Assert.True(registration.IsLeaseHeld);
    }
}

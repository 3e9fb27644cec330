using Microsoft.Extensions.Time.Testing;
using Shoal.Client.Cluster.Endpoints;
using Shoal.Client.Cluster.OutlierDetection;
using Shoal.Cluster.Tests.Fakes;
using static Shoal.Cluster.Tests.Fakes.TestInstances;

namespace Shoal.Cluster.Tests.OutlierDetection;

public sealed class OutlierDetectorTests : IAsyncLifetime
{
    private readonly FakeTimeProvider _time = new();
    private readonly FakeConnectionFactory _factory = new();
    private ClusterDirectory _directory = null!;

    public Task InitializeAsync()
    {
        _directory = new ClusterDirectory(Service, new FakeResolver(), [_factory], timeProvider: _time);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _directory.DisposeAsync();

    [Fact]
    public void FiveConsecutiveFailures_EjectsAtOnce()
    {
        _directory.Apply(Set(1, Instance(7000), Instance(7010), Instance(7020)));
        using var detector = new OutlierDetector(_directory, new OutlierEjectionOptions(), _time);
        var bad = EndpointAt(7010);

        Fail(bad, 4);
        Assert.Contains(bad, _directory.Snapshot.Ready);
        Fail(bad, 1);

        Assert.True(bad.IsEjected);
        Assert.DoesNotContain(bad, _directory.Snapshot.Ready);
    }

    [Fact]
    public void FailuresInterleavedWithSuccesses_DoNotEject()
    {
        _directory.Apply(Set(1, Instance(7000), Instance(7010)));
        using var detector = new OutlierDetector(_directory, new OutlierEjectionOptions(), _time);
        var endpoint = EndpointAt(7010);

        for (var i = 0; i < 10; i++)
        {
            Fail(endpoint, 4);
            Succeed(endpoint, 1);
        }

        Assert.False(endpoint.IsEjected);
    }

    [Fact]
    public void Ejection_EndsAfterBaseTime_ThenGrowsWithEachEjection()
    {
        _directory.Apply(Set(1, Instance(7000), Instance(7010), Instance(7020)));
        var options = new OutlierEjectionOptions { Interval = TimeSpan.FromSeconds(10), BaseEjectionTime = TimeSpan.FromSeconds(30) };
        using var detector = new OutlierDetector(_directory, options, _time);
        var bad = EndpointAt(7000);

        Fail(bad, 5);
        _time.Advance(TimeSpan.FromSeconds(20));
        Assert.True(bad.IsEjected);
        _time.Advance(TimeSpan.FromSeconds(10));
        Assert.False(bad.IsEjected);
        Assert.Contains(bad, _directory.Snapshot.Ready);

        // The probe fails again: the second ejection lasts twice as long.
        Fail(bad, 5);
        Assert.True(bad.IsEjected);
        _time.Advance(TimeSpan.FromSeconds(50));
        Assert.True(bad.IsEjected);
        _time.Advance(TimeSpan.FromSeconds(10));
        Assert.False(bad.IsEjected);
    }

    [Fact]
    public void RestoredEndpoint_NeedsAFullRunOfFailuresToBeEjectedAgain()
    {
        _directory.Apply(Set(1, Instance(7000), Instance(7010)));
        using var detector = new OutlierDetector(_directory, new OutlierEjectionOptions(), _time);
        var bad = EndpointAt(7000);
        Fail(bad, 5);
        _time.Advance(TimeSpan.FromSeconds(30));
        Assert.False(bad.IsEjected);

        Fail(bad, 4);

        Assert.False(bad.IsEjected);
    }

    [Fact]
    public void AllFailing_NeverMoreThanMaxEjectionPercent()
    {
        _directory.Apply(Set(1, Instance(7000), Instance(7010), Instance(7020), Instance(7030)));
        using var detector = new OutlierDetector(_directory, new OutlierEjectionOptions { MaxEjectionPercent = 50 }, _time);

        foreach (var endpoint in _directory.Snapshot.All)
        {
            Fail(endpoint, 10);
        }

        Assert.Equal(2, _directory.Snapshot.All.Count(e => e.IsEjected));
        Assert.Equal(2, _directory.Snapshot.Ready.Length);
    }

    [Fact]
    public void SingleInstance_IsNeverEjected()
    {
        _directory.Apply(Set(1, Instance(7000)));
        using var detector = new OutlierDetector(_directory, new OutlierEjectionOptions(), _time);

        Fail(EndpointAt(7000), 20);

        Assert.Single(_directory.Snapshot.Ready);
    }

    [Fact]
    public void SuccessRateFarBelowPeers_EjectedAtTheInterval()
    {
        _directory.Apply(Set(1, Enumerable.Range(0, 6).Select(i => Instance(7000 + (10 * i))).ToArray()));
        var options = new OutlierEjectionOptions { ConsecutiveFailures = 0, SuccessRateRequestVolume = 100 };
        using var detector = new OutlierDetector(_directory, options, _time);
        foreach (var endpoint in _directory.Snapshot.All)
        {
            var bad = endpoint.Address.Port == 7030;
            for (var i = 0; i < 200; i++)
            {
                Complete(endpoint, success: bad ? i % 2 == 0 : i % 50 != 0);
            }
        }
        Assert.False(EndpointAt(7030).IsEjected);

        _time.Advance(options.Interval);

        Assert.True(EndpointAt(7030).IsEjected);
        Assert.Equal(1, _directory.Snapshot.All.Count(e => e.IsEjected));
    }

    [Fact]
    public void SuccessRate_TooFewCalls_NobodyJudged()
    {
        _directory.Apply(Set(1, Enumerable.Range(0, 6).Select(i => Instance(7000 + (10 * i))).ToArray()));
        var options = new OutlierEjectionOptions { ConsecutiveFailures = 0 };
        using var detector = new OutlierDetector(_directory, options, _time);
        foreach (var endpoint in _directory.Snapshot.All)
        {
            for (var i = 0; i < 20; i++)
            {
                Complete(endpoint, success: endpoint.Address.Port != 7030);
            }
        }

        _time.Advance(options.Interval);

        Assert.DoesNotContain(_directory.Snapshot.All, e => e.IsEjected);
    }

    [Fact]
    public void Disabled_NeverEjects()
    {
        _directory.Apply(Set(1, Instance(7000), Instance(7010)));
        using var detector = new OutlierDetector(_directory, new OutlierEjectionOptions { Enabled = false }, _time);

        Fail(EndpointAt(7000), 50);

        Assert.False(EndpointAt(7000).IsEjected);
    }

    private ClusterEndpoint EndpointAt(int port) => _directory.Snapshot.All.Single(e => e.Address.Port == port);

    private static void Fail(ClusterEndpoint endpoint, int times)
    {
        for (var i = 0; i < times; i++)
        {
            Complete(endpoint, success: false);
        }
    }

    private static void Succeed(ClusterEndpoint endpoint, int times)
    {
        for (var i = 0; i < times; i++)
        {
            Complete(endpoint, success: true);
        }
    }

    private static void Complete(ClusterEndpoint endpoint, bool success)
    {
        endpoint.Start();
        endpoint.Complete(TimeSpan.FromMilliseconds(1), success);
    }
}

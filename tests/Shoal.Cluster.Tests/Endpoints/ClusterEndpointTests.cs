using Microsoft.Extensions.Time.Testing;
using Shoal.Client.Cluster.Endpoints;
using Shoal.Cluster.Tests.Fakes;

namespace Shoal.Cluster.Tests.Endpoints;

public sealed class ClusterEndpointTests
{
    private readonly FakeTimeProvider _time = new();

    private ClusterEndpoint NewEndpoint() => new(TestInstances.Instance(7000), new FakeConnection(TestInstances.Native(7000)), _time);

    [Fact]
    public void PeakEwma_SlowSample_JumpsToItAtOnce()
    {
        var endpoint = NewEndpoint();
        endpoint.Start();
        endpoint.Complete(TimeSpan.FromMilliseconds(10), true);
        endpoint.Start();
        endpoint.Complete(TimeSpan.FromMilliseconds(500), true);

        Assert.Equal(500, endpoint.PeakEwmaMilliseconds, 1);
    }

    [Fact]
    public void PeakEwma_AfterSlowSample_DecaysOverTime()
    {
        var endpoint = NewEndpoint();
        endpoint.Start();
        endpoint.Complete(TimeSpan.FromMilliseconds(500), true);

        _time.Advance(TimeSpan.FromSeconds(10));

        // One time constant: e^-1 of the peak.
        Assert.Equal(500 / Math.E, endpoint.PeakEwmaMilliseconds, 1);
    }

    [Fact]
    public void PeakEwma_FastSamplesAfterPeak_PullItDownGradually()
    {
        var endpoint = NewEndpoint();
        endpoint.Start();
        endpoint.Complete(TimeSpan.FromMilliseconds(10), true);
        endpoint.Start();
        endpoint.Complete(TimeSpan.FromMilliseconds(500), true);
        for (var i = 0; i < 20; i++)
        {
            _time.Advance(TimeSpan.FromSeconds(1));
            endpoint.Start();
            endpoint.Complete(TimeSpan.FromMilliseconds(10), true);
        }

        Assert.InRange(endpoint.PeakEwmaMilliseconds, 10, 80);
    }

    [Fact]
    public void PeakEwma_SlowFirstCallThenFastOnes_TheFirstDoesNotHoldTheCostUp()
    {
        var endpoint = NewEndpoint();
        endpoint.Start();
        endpoint.Complete(TimeSpan.FromMilliseconds(800), true);
        _time.Advance(TimeSpan.FromMilliseconds(5));
        endpoint.Start();
        endpoint.Complete(TimeSpan.FromMilliseconds(1), true);

        Assert.Equal(1, endpoint.PeakEwmaMilliseconds, 0.1);
    }

    [Fact]
    public void PeakEwma_SlowCallLaterOn_IsHeldAsAPeak()
    {
        var endpoint = NewEndpoint();
        for (var i = 0; i < 3; i++)
        {
            endpoint.Start();
            endpoint.Complete(TimeSpan.FromMilliseconds(1), true);
        }
        endpoint.Start();
        endpoint.Complete(TimeSpan.FromMilliseconds(800), true);
        _time.Advance(TimeSpan.FromMilliseconds(5));
        endpoint.Start();
        endpoint.Complete(TimeSpan.FromMilliseconds(1), true);

        Assert.InRange(endpoint.PeakEwmaMilliseconds, 700, 800);
    }

    [Fact]
    public void ShouldTime_FewCallsInFlight_EveryCall_ManyInFlight_OneInEight()
    {
        var endpoint = NewEndpoint();
        endpoint.Start();
        var fewTimed = Enumerable.Range(0, 80).Count(_ => endpoint.ShouldTime());
        for (var i = 0; i < 20; i++)
        {
            endpoint.Start();
        }
        var manyTimed = Enumerable.Range(0, 80).Count(_ => endpoint.ShouldTime());

        Assert.Equal(80, fewTimed);
        Assert.Equal(10, manyTimed);
    }

    [Fact]
    public void Tracker_CountsInFlightAndConsecutiveFailures()
    {
        var endpoint = NewEndpoint();
        endpoint.Start();
        endpoint.Start();
        Assert.Equal(2, endpoint.InFlight);

        endpoint.Complete(TimeSpan.FromMilliseconds(1), false);
        endpoint.Complete(TimeSpan.FromMilliseconds(1), false);
        Assert.Equal(0, endpoint.InFlight);
        Assert.Equal(2, endpoint.ConsecutiveFailures);

        endpoint.Start();
        endpoint.Complete(TimeSpan.FromMilliseconds(1), true);
        Assert.Equal(0, endpoint.ConsecutiveFailures);
    }

    [Fact]
    public void Tracker_NegativeLatency_IsNotASample()
    {
        var endpoint = NewEndpoint();
        endpoint.Start();
        endpoint.Complete(Timeout.InfiniteTimeSpan, true);

        Assert.Equal(0, endpoint.PeakEwmaMilliseconds);
        Assert.Equal(1, endpoint.TotalCalls);
    }
}

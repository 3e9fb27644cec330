using System.Diagnostics.Metrics;
using Microsoft.Extensions.Time.Testing;
using Shoal.Autoscaling.Signals;

namespace Shoal.Autoscaling.Tests.Signals;

public sealed class LoadAggregatorTests
{
    private static readonly DateTimeOffset Start = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public void FreshReports_AreSummedAndTheWorstP99Kept()
    {
        var time = new FakeTimeProvider(Start);
        var aggregator = new LoadAggregator(time);
        aggregator.Report(Report("a", Start - TimeSpan.FromSeconds(10), rps: 100, p50: 10, p99: 40, cpu: 0.5));
        aggregator.Report(Report("b", Start - TimeSpan.FromSeconds(10), rps: 300, p50: 20, p99: 90, cpu: 0.7));

        var load = aggregator.Read();

        Assert.Equal(2, load.Instances);
        Assert.Equal(400, load.RequestsPerSecond);
        Assert.Equal(10, load.InFlight);
        Assert.Equal(TimeSpan.FromMilliseconds(90), load.P99);
        Assert.Equal(17.5, load.P50.TotalMilliseconds, 6);
        Assert.Equal(0.6, load.CpuUtilisation, 9);
        Assert.Equal(200, load.RequestsPerSecondPerInstance);
    }

    [Fact]
    public void StaleReports_NoLongerCount()
    {
        var time = new FakeTimeProvider(Start);
        var aggregator = new LoadAggregator(time, TimeSpan.FromSeconds(30));
        aggregator.Report(Report("a", Start - TimeSpan.FromSeconds(10), rps: 100, p50: 10, p99: 40, cpu: 0.5));

        time.Advance(TimeSpan.FromSeconds(31));

        Assert.Equal(0, aggregator.Read().Instances);
        Assert.Equal(0, aggregator.Read().RequestsPerSecond);
    }

    [Fact]
    public void OlderReport_DoesNotReplaceANewerOne()
    {
        var time = new FakeTimeProvider(Start);
        var aggregator = new LoadAggregator(time);
        aggregator.Report(Report("a", Start - TimeSpan.FromSeconds(5), rps: 100, p50: 1, p99: 2, cpu: 0));
        aggregator.Report(Report("a", Start - TimeSpan.FromSeconds(15), rps: 999, p50: 1, p99: 2, cpu: 0));

        Assert.Equal(100, aggregator.Read().RequestsPerSecond);
    }

    [Fact]
    public void Metrics_PublishTheAggregateThroughTheShoalAutoscalingMeter()
    {
        var time = new FakeTimeProvider(Start);
        var aggregator = new LoadAggregator(time);
        aggregator.Report(Report("a", Start - TimeSpan.FromSeconds(5), rps: 250, p50: 1, p99: 2, cpu: 0));
        using var metrics = new AutoscalingMetrics(aggregator);
        metrics.RecordDecision(300, 4);
        var seen = new Dictionary<string, double>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == AutoscalingMetrics.MeterName)
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<double>((instrument, value, _, _) => seen[instrument.Name] = value);
        listener.SetMeasurementEventCallback<int>((instrument, value, _, _) => seen[instrument.Name] = value);
        listener.SetMeasurementEventCallback<long>((instrument, value, _, _) => seen[instrument.Name] = value);
        listener.Start();

        listener.RecordObservableInstruments();

        Assert.Equal(250, seen["shoal.autoscaling.load.requests_per_second"]);
        Assert.Equal(300, seen["shoal.autoscaling.forecast"]);
        Assert.Equal(4, seen["shoal.autoscaling.desired_replicas"]);
        Assert.Equal(1, seen["shoal.autoscaling.instances"]);
    }

    [Fact]
    public void SaturatedInstance_OfferedLoadCountsTheGrowthOfItsQueue()
    {
        var time = new FakeTimeProvider(Start);
        var aggregator = new LoadAggregator(time);
        var second = TimeSpan.FromSeconds(1);
        // 100 calls/s completed while the calls in flight grow from 4 to 54 over one second: 150 arrived.
        aggregator.Report(new LoadReport("a", Start - (2 * second), second, 100, 4, TimeSpan.Zero, TimeSpan.Zero, 0, 0));
        aggregator.Report(new LoadReport("a", Start - second, second, 100, 54, TimeSpan.Zero, TimeSpan.Zero, 0, 0));

        var load = aggregator.Read();

        Assert.Equal(100, load.RequestsPerSecond);
        Assert.Equal(150, load.OfferedRequestsPerSecond, 9);
    }

    [Fact]
    public void DrainingQueue_OfferedLoadIsBelowTheCompletedAndFirstOrLateWindowsAreCompletedOnly()
    {
        var time = new FakeTimeProvider(Start);
        var aggregator = new LoadAggregator(time);
        var second = TimeSpan.FromSeconds(1);
        aggregator.Report(new LoadReport("a", Start - (5 * second), second, 100, 60, TimeSpan.Zero, TimeSpan.Zero, 0, 0));
        Assert.Equal(100, aggregator.Read().OfferedRequestsPerSecond);

        // A gap of three windows: nothing to compare with.
        aggregator.Report(new LoadReport("a", Start - second, second, 100, 10, TimeSpan.Zero, TimeSpan.Zero, 0, 0));
        Assert.Equal(100, aggregator.Read().OfferedRequestsPerSecond);

        aggregator.Report(new LoadReport("a", Start, second, 100, 0, TimeSpan.Zero, TimeSpan.Zero, 0, 0));
        Assert.Equal(90, aggregator.Read().OfferedRequestsPerSecond, 9);
    }

    private static LoadReport Report(string id, DateTimeOffset start, double rps, double p50, double p99, double cpu) =>
        new(id, start, TimeSpan.FromSeconds(10), rps, 5, TimeSpan.FromMilliseconds(p50), TimeSpan.FromMilliseconds(p99), 0, cpu);
}

using System.Diagnostics.Metrics;
using Grpc.Core;
using Microsoft.Extensions.Time.Testing;
using Shoal.Server.Load;

namespace Shoal.Server.Tests.Load;

public sealed class ServerLoadMonitorTests
{
    private const string SayHello = "/hello.Greeter/SayHello";
    private static readonly DateTimeOffset Start = new(2026, 1, 1, 12, 0, 0, TimeSpan.Zero);

    private readonly FakeTimeProvider _time = new(Start);
    private TimeSpan _cpu = TimeSpan.FromSeconds(3);

    [Fact]
    public void Window_CallsOkFailedAndOpen_ReportsCountsRatePercentilesErrorsInFlightAndCpu()
    {
        using var monitor = Create(cores: 2);
        var open = Enumerable.Range(0, 4).Select(_ => monitor.OnCallStarted(SayHello)).ToArray();
        Call(monitor, 95, TimeSpan.FromMilliseconds(10), StatusCode.OK);
        Call(monitor, 3, TimeSpan.FromMilliseconds(10), StatusCode.Unavailable);
        Call(monitor, 2, TimeSpan.FromMilliseconds(500), StatusCode.OK);
        _cpu += TimeSpan.FromSeconds(5);

        _time.Advance(TimeSpan.FromSeconds(5) - (_time.GetUtcNow() - Start));

        var window = monitor.Latest;
        Assert.Equal(1, window.Sequence);
        Assert.Equal("instance-1", window.InstanceId);
        Assert.Equal(Start, window.WindowStart);
        Assert.Equal(TimeSpan.FromSeconds(5), window.WindowLength);
        Assert.Equal(100, window.Completed);
        Assert.Equal(20, window.RequestsPerSecond, 6);
        Assert.Equal(4, window.InFlight);
        Assert.Equal(3, window.Errors);
        // The shared histogram's buckets are at most 1/128 of their values wide: within 1%.
        Assert.InRange(window.P50.TotalMilliseconds, 10 * 0.99, 10 * 1.01);
        Assert.InRange(window.P99.TotalMilliseconds, 500 * 0.99, 500 * 1.01);
        Assert.Equal(0.5, window.CpuUtilisation, 6);
        Assert.Equal(100, window.TotalCompleted);
        Assert.Equal(3, window.TotalErrors);

        foreach (var token in open)
        {
            monitor.OnCallCompleted(token, StatusCode.Cancelled);
        }
        _time.Advance(TimeSpan.FromSeconds(5));

        var second = monitor.Latest;
        Assert.Equal(2, second.Sequence);
        Assert.Equal(Start.AddSeconds(5), second.WindowStart);
        Assert.Equal(4, second.Completed);
        Assert.Equal(0, second.InFlight);
        Assert.Equal(4, second.Errors);
        Assert.Equal(104, second.TotalCompleted);
        Assert.Equal(7, second.TotalErrors);
        Assert.Equal(0, second.CpuUtilisation);
        // The open calls started at the beginning of the first window and ended 5 s later.
        Assert.InRange(second.P50.TotalSeconds, 5 * 0.99, 5 * 1.01);
    }

    [Fact]
    public void Window_NoCalls_ReportsZerosAndNextSequence()
    {
        using var monitor = Create();
        Assert.Equal(0, monitor.Latest.Sequence);
        Assert.Equal(TimeSpan.Zero, monitor.Latest.WindowLength);

        _time.Advance(TimeSpan.FromSeconds(5));

        var window = monitor.Latest;
        Assert.Equal(1, window.Sequence);
        Assert.Equal(0, window.Completed);
        Assert.Equal(0, window.RequestsPerSecond);
        Assert.Equal(TimeSpan.Zero, window.P99);
    }

    [Theory]
    [InlineData("/shoal.load.v1.LoadReporter/Watch")]
    [InlineData("/grpc.health.v1.Health/Check")]
    [InlineData("/grpc.reflection.v1alpha.ServerReflection/ServerReflectionInfo")]
    public void Call_InfrastructureService_IsNotCounted(string method)
    {
        using var monitor = Create();
        var token = monitor.OnCallStarted(method);
        Assert.Equal(0, token);
        Assert.Equal(0, monitor.InFlight);
        monitor.OnCallCompleted(token, StatusCode.Unavailable);

        _time.Advance(TimeSpan.FromSeconds(5));

        Assert.Equal(0, monitor.Latest.Completed);
        Assert.Equal(0, monitor.Latest.Errors);
        Assert.True(ServerLoadMonitor.IsMeasured(SayHello));
    }

    [Fact]
    public async Task WaitForWindow_BeforeAndAfterTheWindowEnds_CompletesWithTheNewWindow()
    {
        using var monitor = Create();
        var waiting = monitor.WaitForWindowAsync(0);
        Assert.False(waiting.IsCompleted);

        _time.Advance(TimeSpan.FromSeconds(5));

        var window = await waiting.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Same(monitor.Latest, window);
        Assert.Same(window, await monitor.WaitForWindowAsync(0).WaitAsync(TimeSpan.FromSeconds(30)));
        Assert.False(monitor.WaitForWindowAsync(1).IsCompleted);
    }

    [Fact]
    public void Meter_Collected_ReadsTheLatestWindow()
    {
        var instance = "meter-" + Guid.NewGuid().ToString("N");
        using var monitor = new ServerLoadMonitor(instance, new ServerLoadOptions { Window = TimeSpan.FromSeconds(5), CpuAllotment = 1 }, _time, null, () => _cpu);
        Call(monitor, 10, TimeSpan.FromMilliseconds(20), StatusCode.OK);
        Call(monitor, 5, TimeSpan.FromMilliseconds(20), StatusCode.Internal);
        var open = monitor.OnCallStarted(SayHello);
        _time.Advance(TimeSpan.FromSeconds(5) - (_time.GetUtcNow() - Start));
        var values = new Dictionary<string, double>(StringComparer.Ordinal);
        var units = new Dictionary<string, string?>(StringComparer.Ordinal);
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == ServerLoadMonitor.MeterName && instrument.Meter.Tags?.Any(t => t.Value as string == instance) == true)
            {
                units[instrument.Name] = instrument.Unit;
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((instrument, value, _, _) => values[instrument.Name] = value);
        listener.SetMeasurementEventCallback<double>((instrument, value, _, _) => values[instrument.Name] = value);
        listener.Start();

        listener.RecordObservableInstruments();

        var window = monitor.Latest;
        Assert.Equal(15, values["shoal.server.calls.completed"]);
        Assert.Equal(5, values["shoal.server.calls.failed"]);
        Assert.Equal(window.RequestsPerSecond, values["shoal.server.load.requests_per_second"]);
        Assert.Equal(1, values["shoal.server.load.in_flight"]);
        Assert.Equal(5, values["shoal.server.load.errors"]);
        Assert.Equal(window.P50.TotalSeconds, values["shoal.server.load.latency.p50"]);
        Assert.Equal(window.P99.TotalSeconds, values["shoal.server.load.latency.p99"]);
        Assert.Equal(window.CpuUtilisation, values["shoal.server.load.cpu.utilization"]);
        Assert.Equal("s", units["shoal.server.load.latency.p99"]);
        Assert.Equal("{call}/s", units["shoal.server.load.requests_per_second"]);
        monitor.OnCallCompleted(open, StatusCode.OK);
    }

    [Fact]
    public void Create_WindowTooShort_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new ServerLoadMonitor("x", new ServerLoadOptions { Window = TimeSpan.FromMilliseconds(1) }, _time));
        Assert.Throws<ArgumentOutOfRangeException>(() => new ServerLoadMonitor("x", new ServerLoadOptions { CpuAllotment = 0 }, _time));
    }

    private ServerLoadMonitor Create(double cores = 1)
        => new("instance-1", new ServerLoadOptions { Window = TimeSpan.FromSeconds(5), CpuAllotment = cores }, _time, null, () => _cpu);

    private void Call(ServerLoadMonitor monitor, int count, TimeSpan latency, StatusCode status)
    {
        for (var i = 0; i < count; i++)
        {
            var token = monitor.OnCallStarted(SayHello);
            _time.Advance(latency);
            monitor.OnCallCompleted(token, status);
        }
    }
}

using System.Diagnostics;
using System.Diagnostics.Metrics;
using Grpc.Core;
using Hello;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Shoal.Client.Load.Protocol;
using Shoal.Server.Load;
using Shoal.Server.Tests.Infrastructure;

namespace Shoal.Server.Tests.Load;

public sealed class LoadReporterTests
{
    private static readonly TimeSpan Window = TimeSpan.FromMilliseconds(200);

    [Theory]
    [InlineData(TestTransport.Native)]
    [InlineData(TestTransport.Grpc)]
    public async Task WatchAndGet_CallsOverBothTransports_ReportWhatWasSent(TestTransport watchOver)
    {
        await using var host = await StartAsync();
        await using var native = host.Channel(TestTransport.Native);
        await using var grpc = host.Channel(TestTransport.Grpc);
        var instanceId = host.App.Services.GetRequiredService<IOptions<ShoalServerOptions>>().Value.InstanceId;

        await CallAsync(new Greeter.GreeterClient(native), ok: 20, failed: 3);
        await CallAsync(new Greeter.GreeterClient(grpc), ok: 10, failed: 5);

        await using var watchChannel = host.Channel(watchOver);
        var reporter = new LoadReporter.LoadReporterClient(watchChannel);
        using var watch = reporter.Watch(new WatchRequest(), deadline: TestHost.Deadline());
        var windows = new List<LoadReport>();
        while (windows.Count < 500 && await watch.ResponseStream.MoveNext())
        {
            windows.Add(watch.ResponseStream.Current);
            if (watch.ResponseStream.Current.TotalCompleted >= 38)
            {
                break;
            }
        }
        var last = windows[^1];
        Assert.Equal(38UL, last.TotalCompleted);
        Assert.Equal(8UL, last.TotalErrors);
        Assert.Equal(instanceId, last.InstanceId);
        Assert.All(windows, w => Assert.Equal(instanceId, w.InstanceId));
        // Consecutive windows whose counts add up.
        Assert.Equal(Enumerable.Range((int)windows[0].Sequence, windows.Count).Select(i => (ulong)i), windows.Select(w => w.Sequence));
        Assert.Equal(38UL, (ulong)windows.Sum(w => (long)w.Completed) + windows[0].TotalCompleted - windows[0].Completed);
        // A window ends on a timer tick; a late tick makes one window longer and the next shorter.
        Assert.All(windows, w => Assert.True(w.WindowLength.ToTimeSpan() > TimeSpan.Zero, $"window of {w.WindowLength}"));

        var other = watchOver == TestTransport.Native ? grpc : native;
        var got = await new LoadReporter.LoadReporterClient(other).GetAsync(new GetRequest(), deadline: TestHost.Deadline());
        Assert.Equal(38UL, got.TotalCompleted);
        Assert.Equal(8UL, got.TotalErrors);
        Assert.True(got.Sequence >= last.Sequence);
        Assert.True(got.LatencyP99.ToTimeSpan() <= TimeSpan.FromSeconds(30));
    }

    [Fact]
    public async Task Window_SlowCallInFlight_ReportsItInFlightThenCompleted()
    {
        await using var host = await StartAsync();
        var monitor = host.App.Services.GetRequiredService<ServerLoadMonitor>();
        await using var channel = host.Channel(TestTransport.Native);
        var headers = new Metadata { { GreeterHeaders.Delay, "1500" } };
        var slow = new Greeter.GreeterClient(channel).SayHelloAsync(new HelloRequest { Name = "slow" }, headers, TestHost.Deadline()).ResponseAsync;

        var window = monitor.Latest;
        var watch = Stopwatch.StartNew();
        while (window.InFlight == 0 && watch.Elapsed < TestHost.Timeout)
        {
            window = await monitor.WaitForWindowAsync(window.Sequence).WaitAsync(TestHost.Timeout);
        }
        Assert.Equal(1, window.InFlight);

        await slow;
        while (window.TotalCompleted == 0 && watch.Elapsed < TestHost.Timeout)
        {
            window = await monitor.WaitForWindowAsync(window.Sequence).WaitAsync(TestHost.Timeout);
        }
        Assert.Equal(1, window.TotalCompleted);
        Assert.Equal(0, window.InFlight);
        Assert.InRange(window.P99, TimeSpan.FromMilliseconds(1400), TimeSpan.FromSeconds(30));
    }

    [Fact]
    public async Task Meter_HostWithCalls_ReportsTheSameWindowAsTheService()
    {
        await using var host = await StartAsync();
        var monitor = host.App.Services.GetRequiredService<ServerLoadMonitor>();
        var meterFactory = host.App.Services.GetRequiredService<IMeterFactory>();
        await using var channel = host.Channel(TestTransport.Grpc);
        await CallAsync(new Greeter.GreeterClient(channel), ok: 7, failed: 2);
        var window = monitor.Latest;
        while (window.TotalCompleted < 9)
        {
            window = await monitor.WaitForWindowAsync(window.Sequence).WaitAsync(TestHost.Timeout);
        }

        var values = new Dictionary<string, double>(StringComparer.Ordinal);
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            // Every host in this process has a Shoal.Server meter; this host's comes from its own factory.
            if (instrument.Meter.Name == ServerLoadMonitor.MeterName && ReferenceEquals(instrument.Meter.Scope, meterFactory))
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((instrument, value, _, _) => values[instrument.Name] = value);
        listener.SetMeasurementEventCallback<double>((instrument, value, _, _) => values[instrument.Name] = value);
        listener.Start();
        listener.RecordObservableInstruments();

        var report = await new LoadReporter.LoadReporterClient(channel).GetAsync(new GetRequest(), deadline: TestHost.Deadline());
        Assert.Equal(9, values["shoal.server.calls.completed"]);
        Assert.Equal(2, values["shoal.server.calls.failed"]);
        Assert.Equal(9UL, report.TotalCompleted);
        Assert.Equal(2UL, report.TotalErrors);
        Assert.True(values.ContainsKey("shoal.server.load.latency.p99"));
        Assert.True(values.ContainsKey("shoal.server.load.cpu.utilization"));
    }

    [Fact]
    public async Task Stop_WatchOpen_EndsTheStreamWithoutWaitingForTheGracePeriod()
    {
        var host = await StartAsync();
        try
        {
            var channel = host.Channel(TestTransport.Native);
            await using (channel)
            {
                using var watch = new LoadReporter.LoadReporterClient(channel).Watch(new WatchRequest(), deadline: TestHost.Deadline());
                Assert.True(await watch.ResponseStream.MoveNext());

                var stopping = Stopwatch.StartNew();
                await host.App.StopAsync().WaitAsync(TestHost.Timeout);

                // The grace period is 10 s; the watch ends when stopping begins, not at the grace period.
                Assert.True(stopping.Elapsed < TimeSpan.FromSeconds(8), $"stopping took {stopping.Elapsed}");
                var ended = false;
                for (var i = 0; i < 100 && !ended; i++)
                {
                    try
                    {
                        ended = !await watch.ResponseStream.MoveNext();
                    }
                    catch (RpcException)
                    {
                        ended = true;
                    }
                }
                Assert.True(ended);
            }
        }
        finally
        {
            await host.App.DisposeAsync();
        }
    }

    [Fact]
    public async Task Start_BadLoadWindow_FailsNamingTheKey()
    {
        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => TestHost.StartAsync(configure: o => o.Load.Window = TimeSpan.FromMilliseconds(1)));
        Assert.Contains("Shoal:Server:Load:Window", error.Message, StringComparison.Ordinal);
    }

    private static Task<TestHost> StartAsync() => TestHost.StartAsync(configure: o => o.Load.Window = Window);

    private static async Task CallAsync(Greeter.GreeterClient client, int ok, int failed)
    {
        for (var i = 0; i < ok; i++)
        {
            await client.SayHelloAsync(new HelloRequest { Name = "load" }, deadline: TestHost.Deadline());
        }
        var failure = new Metadata { { GreeterHeaders.FailCode, "Unavailable" } };
        for (var i = 0; i < failed; i++)
        {
            var error = await Assert.ThrowsAsync<RpcException>(async () => await client.SayHelloAsync(new HelloRequest { Name = "fail" }, failure, TestHost.Deadline()));
            Assert.Equal(StatusCode.Unavailable, error.StatusCode);
        }
    }
}

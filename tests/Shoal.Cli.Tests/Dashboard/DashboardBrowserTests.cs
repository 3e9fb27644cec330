using Hello;
using Shoal.Client;

namespace Shoal.Cli.Tests.Dashboard;

/// <summary>The dashboard page in a real headless browser over a registry with three <c>shoal serve</c> Greeters.</summary>
[Collection(DashboardCollection.Name)]
public sealed class DashboardBrowserTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(45);
    private const string GreeterRows = "tr.instance[data-service='hello.Greeter']";
    private const int AddressColumn = 1;
    private const int RateColumn = 3;

    [Fact]
    public async Task Page_ThreeGreetersThenOneStopped_ShowsRowsAndDrawsTheChart()
    {
        await using var dashboard = await DashboardCluster.StartAsync();
        using var load = new CancellationTokenSource();
        var calls = CallContinuouslyAsync(dashboard.Cluster.Target, load.Token);
        try
        {
            using var browser = DashboardBrowser.Start();
            browser.Driver.Navigate().GoToUrl(dashboard.Url);

            await browser.WaitUntilAsync(b => b.Column(GreeterRows, AddressColumn).Count == 3, Wait, "three Greeter rows");
            await browser.WaitUntilAsync(b => b.PathData("svg#chart path.series[data-service='hello.Greeter']").Any(d => d.StartsWith('M')), Wait, "a calls/s line for hello.Greeter");
            var addresses = browser.Column(GreeterRows, AddressColumn).Order(StringComparer.Ordinal);
            Assert.Equal(dashboard.Cluster.Servers.Select(s => s.Native).Order(StringComparer.Ordinal), addresses);

            if (Environment.GetEnvironmentVariable("SHOAL_SCREENSHOT_DIR") is { Length: > 0 } directory)
            {
                // A figure with a line worth looking at: wait (bounded) until the Greeter's rate shows above zero.
                await browser.WaitUntilAsync(b => b.Column(GreeterRows, RateColumn).Any(rate => rate is not ("-" or "0.0")), Wait, "a Greeter with calls/s above zero");
                await Task.Delay(TimeSpan.FromSeconds(8));
                Directory.CreateDirectory(directory);
                browser.Screenshot(Path.Combine(directory, "dashboard.png"));
            }

            var (stopped, stoppedNative) = dashboard.Cluster.Servers[0];
            stopped.Terminate();
            await browser.WaitUntilAsync(b => b.Column(GreeterRows, AddressColumn).Count == 2, Wait, "two Greeter rows after one stopped");
            Assert.DoesNotContain(stoppedNative, browser.Column(GreeterRows, AddressColumn));
            await browser.WaitUntilAsync(b => b.Text("#events").Contains("left", StringComparison.Ordinal), Wait, "a left event");
        }
        finally
        {
            await load.CancelAsync();
            await calls;
        }
    }

    /// <summary>Greeter calls through the registry until cancelled, so the chart has a rate to draw; failed calls are expected while an instance stops.</summary>
    private static async Task CallContinuouslyAsync(string target, CancellationToken cancellationToken)
    {
        await using var channel = ShoalChannel.ForTarget(target);
        var client = new Greeter.GreeterClient(channel);
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                await client.SayHelloAsync(new HelloRequest { Name = "dashboard" }, deadline: DateTime.UtcNow.AddSeconds(5), cancellationToken: cancellationToken);
                await Task.Delay(20, cancellationToken);
            }
            catch (Exception e) when (e is Grpc.Core.RpcException or OperationCanceledException)
            {
                if (cancellationToken.IsCancellationRequested)
                {
                    return;
                }
                await Task.Delay(100, CancellationToken.None);
            }
        }
    }
}

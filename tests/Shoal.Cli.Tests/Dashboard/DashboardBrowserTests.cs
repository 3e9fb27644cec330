using Hello;
using OpenQA.Selenium;
using Shoal.Client;

namespace Shoal.Cli.Tests.Dashboard;

/// <summary>
/// The dashboard page in a real headless browser over a registry with a token, three <c>shoal serve</c>
/// Greeters and an autoscaler, all presenting the token.
/// </summary>
[Collection(DashboardCollection.Name)]
public sealed class DashboardBrowserTests : IDisposable
{
    private readonly string _tokenFile = Path.Combine(Path.GetTempPath(), $"shoal-dashboard-token-{Guid.NewGuid():N}");

    public DashboardBrowserTests() => File.WriteAllText(_tokenFile, "dashboard-test-token-91b3\n");

    public void Dispose() => File.Delete(_tokenFile);

    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(45);
    private const string GreeterRows = "tr.instance[data-service='hello.Greeter']";
    private const int AddressColumn = 1;
    private const int RateColumn = 3;
    private const string AutoscalerBlock = "div.autoscaler[data-service='hello.Greeter']";

    [Fact]
    public async Task Page_ThreeGreetersAndAnAutoscalerThenOneDrained_ShowsChartsAndDecisionsAndTheDrainedOneExits()
    {
        await using var dashboard = await DashboardCluster.StartAsync(autoscaler: true, _tokenFile);
        using var load = new CancellationTokenSource();
        var calls = CallContinuouslyAsync(dashboard.Cluster.Target, _tokenFile, load.Token);
        try
        {
            using var browser = DashboardBrowser.Start();
            browser.Driver.Navigate().GoToUrl(dashboard.Url);

            await browser.WaitUntilAsync(b => b.Column(GreeterRows, AddressColumn).Count == 3, Wait, "three Greeter rows");
            await browser.WaitUntilAsync(b => b.PathData("svg#chart path.series[data-service='hello.Greeter']").Any(d => d.StartsWith('M')), Wait, "a calls/s line for hello.Greeter");
            var addresses = browser.Column(GreeterRows, AddressColumn).Order(StringComparer.Ordinal);
            Assert.Equal(dashboard.Cluster.Servers.Select(s => s.Native).Order(StringComparer.Ordinal), addresses);

            // The autoscaler's own ticks, read from its status service: a load line with a point per tick and its decisions.
            await browser.WaitUntilAsync(b => b.Count(AutoscalerBlock + " svg.autoscaler-chart circle.point") >= 2, Wait, "an autoscaler chart with two ticks");
            Assert.StartsWith("M", browser.PathData(AutoscalerBlock + " svg.autoscaler-chart path.load").Single(), StringComparison.Ordinal);
            Assert.StartsWith("M", browser.PathData(AutoscalerBlock + " svg.autoscaler-chart path.desired").Single(), StringComparison.Ordinal);
            await browser.WaitUntilAsync(b => b.Count(AutoscalerBlock + " li.decision") >= 1, Wait, "a decision line");
            Assert.Matches(@"(Hold|NoMetrics|ScaleUp\w*|ScaleDown\w*|HoldStabilising)  \d+ -> \d+ replicas", browser.Text(AutoscalerBlock + " li.decision"));
            Assert.Contains("99.9% quantile", browser.Text(AutoscalerBlock + " h3"), StringComparison.Ordinal);

            if (Environment.GetEnvironmentVariable("SHOAL_SCREENSHOT_DIR") is { Length: > 0 } directory)
            {
                // A figure with a line worth looking at: wait (bounded) until the Greeter's rate shows above zero.
                await browser.WaitUntilAsync(b => b.Column(GreeterRows, RateColumn).Any(rate => rate is not ("-" or "0.0")), Wait, "a Greeter with calls/s above zero");
                await Task.Delay(TimeSpan.FromSeconds(8));
                Directory.CreateDirectory(directory);
                browser.Screenshot(Path.Combine(directory, "dashboard.png"));
                browser.ScrollTo("#autoscalers-section");
                browser.Screenshot(Path.Combine(directory, "dashboard-autoscaler.png"));
                browser.ScrollTo("body");
            }

            // Drain the first Greeter from its row: it deregisters, leaves the page, and its process exits 0 as on SIGTERM.
            var (drained, drainedNative) = dashboard.Cluster.Servers[0];
            browser.Driver.FindElement(By.XPath($"//tr[@data-service='hello.Greeter'][td[2]='{drainedNative}']//button[@class='drain']")).Click();
            browser.Driver.SwitchTo().Alert().Accept();
            await browser.WaitUntilAsync(b => b.Column(GreeterRows, AddressColumn).Count == 2, Wait, "two Greeter rows after one was drained");
            Assert.DoesNotContain(drainedNative, browser.Column(GreeterRows, AddressColumn));
            await browser.WaitUntilAsync(b => b.Text("#events").Contains("left", StringComparison.Ordinal), Wait, "a left event");
            Assert.Equal(0, await drained.WaitForExitAsync(Wait));
            Assert.All(dashboard.Cluster.Servers.Skip(1), s => Assert.False(s.Process.HasExited));
        }
        finally
        {
            await load.CancelAsync();
            await calls;
        }
    }

    /// <summary>Greeter calls through the registry until cancelled, so the chart has a rate to draw; failed calls are expected while an instance stops.</summary>
    private static async Task CallContinuouslyAsync(string target, string tokenFile, CancellationToken cancellationToken)
    {
        await using var channel = ShoalChannel.ForTarget(target, new ShoalChannelOptions { RegistryTokenFile = tokenFile });
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

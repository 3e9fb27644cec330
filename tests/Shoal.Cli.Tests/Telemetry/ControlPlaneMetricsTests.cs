using System.Diagnostics;
using System.Text.RegularExpressions;
using Shoal.Cli.Hosting;
using Shoal.Cli.Tests.Infrastructure;

namespace Shoal.Cli.Tests.Telemetry;

/// <summary>
/// <c>shoal registry --metrics-port</c> and <c>shoal autoscale run --metrics-port</c> as their own
/// processes: the registry's gauges (instances per service, leases, watches) and the autoscaler's
/// (load, forecast, replicas, decisions by reason) in their Prometheus text.
/// </summary>
public sealed partial class ControlPlaneMetricsTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(10) };

    [Fact]
    public async Task RegistryAndAutoscaler_MetricsPorts_ReportInstancesAndDecisions()
    {
        using var registry = CliProcess.Start("registry", "--port", "0", "--metrics-port", "0");
        var registryAddress = (await registry.FirstLineAsync(Timeout)).Trim();
        var registryMetrics = await MetricsAddressAsync(registry);
        using var cancel = new CancellationTokenSource(Timeout);
        await using var greeter = await GreeterHost.StartShoalAsync(
            new GreeterHostSettings { TcpPort = 0, GrpcPort = 0, LogToStandardError = false, Registry = registryAddress }, cancel.Token);
        using var autoscaler = CliProcess.Start("autoscale", "run", "--registry", registryAddress, "--service", "hello.Greeter",
            "--interval", "500ms", "--capacity", "100", "--json", "--metrics-port", "0");
        await autoscaler.FirstLineAsync(Timeout);
        var autoscalerMetrics = await MetricsAddressAsync(autoscaler);

        // Two leases: the Greeter's and the autoscaler's status service (shoal.autoscaler.v1.AutoscalerStatus, for the dashboard).
        var registryText = await ScrapeUntilAsync(registryMetrics, text => Value(text, "shoal_registry_instances", "hello.Greeter") == 1
            && Value(text, "shoal_registry_instances", "shoal.autoscaler.v1.AutoscalerStatus") == 1);
        Assert.Equal(2, Value(registryText, "shoal_registry_leases", null));
        // The autoscaler watches the service: one open watch stream at least.
        Assert.True(Value(registryText, "shoal_registry_watches", null) >= 1, registryText);

        var autoscalerText = await ScrapeUntilAsync(autoscalerMetrics, text => Value(text, "shoal_autoscaling_decisions_total", null) >= 2);
        Assert.Matches(DecisionLine(), autoscalerText);
        Assert.Equal(1, Value(autoscalerText, "shoal_autoscaling_instances", null));
        Assert.True(Value(autoscalerText, "shoal_autoscaling_desired_replicas", null) >= 1, autoscalerText);
        Assert.True(Value(autoscalerText, "shoal_autoscaling_forecast_upper_per_second", null) is not null, autoscalerText);
        Assert.True(Value(autoscalerText, "shoal_autoscaling_ready_replicas", null) >= 1, autoscalerText);

        autoscaler.Terminate();
        Assert.Equal(0, await autoscaler.WaitForExitAsync(Timeout));
        await greeter.StopAsync();
        registry.Terminate();
        Assert.Equal(0, await registry.WaitForExitAsync(Timeout));
    }

    /// <summary>The address the process printed on stderr: "... metrics on http://host:port/metrics".</summary>
    private static async Task<Uri> MetricsAddressAsync(CliProcess process)
    {
        var stopwatch = Stopwatch.StartNew();
        while (stopwatch.Elapsed < Timeout)
        {
            if (MetricsOn().Match(process.Error) is { Success: true } match)
            {
                return new Uri(match.Groups[1].Value);
            }
            await Task.Delay(100);
        }
        throw new TimeoutException($"No metrics address on stderr within {Timeout}: {process.Error}");
    }

    private static async Task<string> ScrapeUntilAsync(Uri metrics, Func<string, bool> done)
    {
        var stopwatch = Stopwatch.StartNew();
        var text = "";
        while (stopwatch.Elapsed < Timeout)
        {
            text = await Http.GetStringAsync(metrics);
            if (done(text))
            {
                return text;
            }
            await Task.Delay(250);
        }
        throw new TimeoutException($"{metrics} did not show the expected values within {Timeout}:\n{text}");
    }

    /// <summary>The sum of the samples of <paramref name="name"/> (with a <c>shoal_service</c> label of <paramref name="service"/> when given); null when there is none.</summary>
    private static double? Value(string text, string name, string? service)
    {
        double? sum = null;
        foreach (var line in text.Split('\n'))
        {
            if (!line.StartsWith(name + "{", StringComparison.Ordinal) && !line.StartsWith(name + " ", StringComparison.Ordinal))
            {
                continue;
            }
            if (service is not null && !line.Contains($"shoal_service=\"{service}\"", StringComparison.Ordinal))
            {
                continue;
            }
            // name{labels} value [timestamp]
            var rest = line[(line.Contains('}') ? line.LastIndexOf('}') + 1 : name.Length)..];
            var value = rest.Trim().Split(' ')[0];
            sum = (sum ?? 0) + double.Parse(value, System.Globalization.CultureInfo.InvariantCulture);
        }
        return sum;
    }

    [GeneratedRegex(@"metrics on (http://[^\s]+/metrics)")]
    private static partial Regex MetricsOn();

    [GeneratedRegex(@"shoal_autoscaling_decisions_total\{[^}]*shoal_reason=""[A-Za-z]+""")]
    private static partial Regex DecisionLine();
}

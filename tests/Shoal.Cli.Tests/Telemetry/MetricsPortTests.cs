using System.Diagnostics;
using System.Net;
using System.Text.Json;
using Grpc.Core;
using Hello;
using Shoal.Cli.Tests.Infrastructure;
using Shoal.Client;
using Shoal.Tests.Telemetry;

namespace Shoal.Cli.Tests.Telemetry;

/// <summary>
/// <c>shoal serve --metrics-port</c> as its own process: its RPC metrics in Prometheus text, scraped
/// by a real Prometheus that answers queries through its HTTP API. The process serves only this
/// test's calls, so the counts are exact.
/// </summary>
public sealed class MetricsPortTests
{
    private static readonly TimeSpan Startup = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan Scrape = TimeSpan.FromSeconds(60);
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(10) };

    [Fact]
    public async Task ServeUnderLoad_RealPrometheusScrapes_CountsServerCallsByMethodTransportAndStatus()
    {
        using var serve = CliProcess.Start("serve", "--tcp-port", "0", "--grpc-port", "0", "--metrics-port", "0");
        using var ready = JsonDocument.Parse(await serve.FirstLineAsync(Startup));
        var metrics = new Uri(ready.RootElement.GetProperty("metrics").GetString()!);
        await using var prometheus = await PrometheusProcess.StartAsync([metrics.Authority], Startup);

        await LoadAsync(ready.RootElement.GetProperty("native").GetString()!, ok: 200, failed: 20);
        await LoadAsync(ready.RootElement.GetProperty("grpc").GetString()!, ok: 100, failed: 0);

        const string query = "sum by (rpc_method, shoal_transport, rpc_grpc_status_code) (rpc_server_duration_milliseconds_count{rpc_service=\"hello.Greeter\"})";
        var expected = new Dictionary<string, double>
        {
            ["SayHello native 0"] = 200,
            ["SayHello native 5"] = 20,
            ["SayHello grpc 0"] = 100,
        };
        var stopwatch = Stopwatch.StartNew();
        Dictionary<string, double> seen = [];
        while (stopwatch.Elapsed < Scrape)
        {
            var series = await prometheus.QueryAsync(query);
            seen = series.ToDictionary(s => $"{s.Labels["rpc_method"]} {s.Labels["shoal_transport"]} {s.Labels["rpc_grpc_status_code"]}", s => s.Value);
            if (expected.All(e => seen.TryGetValue(e.Key, out var value) && value >= e.Value))
            {
                break;
            }
            await Task.Delay(500);
        }
        Assert.True(expected.All(e => seen.TryGetValue(e.Key, out var value) && value == e.Value),
            $"Prometheus answered {string.Join(", ", seen.Select(s => $"{s.Key}={s.Value}"))}; expected {string.Join(", ", expected.Select(e => $"{e.Key}={e.Value}"))}.\nTargets: {await prometheus.TargetsAsync()}\n{prometheus.Output}");
        Assert.Equal(3, seen.Count);

        serve.Terminate();
        Assert.Equal(0, await serve.WaitForExitAsync(TimeSpan.FromSeconds(30)));
    }

    [Fact]
    public async Task MetricsPort_ServesPrometheusTextOnHttp1_AndNothingElse()
    {
        using var serve = CliProcess.Start("serve", "--tcp-port", "0", "--grpc-port", "0", "--metrics-port", "0");
        using var ready = JsonDocument.Parse(await serve.FirstLineAsync(Startup));
        var metrics = new Uri(ready.RootElement.GetProperty("metrics").GetString()!);
        await LoadAsync(ready.RootElement.GetProperty("native").GetString()!, ok: 3, failed: 0);

        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(metrics, "/metrics")) { Version = HttpVersion.Version11, VersionPolicy = HttpVersionPolicy.RequestVersionExact };
        using var response = await Http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.StartsWith("text/plain", response.Content.Headers.ContentType?.MediaType, StringComparison.Ordinal);
        Assert.Contains("# TYPE rpc_server_duration_milliseconds histogram", text, StringComparison.Ordinal);
        Assert.Contains("rpc_method=\"SayHello\"", text, StringComparison.Ordinal);
        // The load monitor's gauges ride along (meter Shoal.Server).
        Assert.Contains("shoal_server_load_in_flight", text, StringComparison.Ordinal);

        using var other = await Http.GetAsync(new Uri(metrics, "/nothing-here"));
        Assert.Equal(HttpStatusCode.NotFound, other.StatusCode);

        serve.Terminate();
        Assert.Equal(0, await serve.WaitForExitAsync(TimeSpan.FromSeconds(30)));
    }

    [Theory]
    [InlineData("70000")]
    [InlineData("-2")]
    public async Task Serve_MetricsPortOutOfRange_ExitsWithOneLineOnStderr(string port)
    {
        var (exitCode, _, error) = await CliProcess.RunAsync(Startup, null, "serve", "--metrics-port", port);
        Assert.NotEqual(0, exitCode);
        Assert.Contains("--metrics-port", error, StringComparison.Ordinal);
    }

    private static async Task LoadAsync(string target, int ok, int failed)
    {
        await using var channel = ShoalChannel.ForTarget(target);
        var client = new Greeter.GreeterClient(channel);
        var deadline = DateTime.UtcNow.AddSeconds(60);
        // A little concurrency: eight callers at a time.
        var calls = Enumerable.Range(0, ok).Select(i => (Func<Task>)(() => client.SayHelloAsync(new HelloRequest { Name = "m" + i }, deadline: deadline).ResponseAsync))
            .Concat(Enumerable.Range(0, failed).Select(_ => (Func<Task>)(async () =>
            {
                var headers = new Metadata { { "x-fail-code", "NotFound" } };
                await Assert.ThrowsAsync<RpcException>(() => client.SayHelloAsync(new HelloRequest { Name = "x" }, headers, deadline).ResponseAsync);
            })))
            .ToList();
        foreach (var batch in calls.Chunk(8))
        {
            await Task.WhenAll(batch.Select(call => call()));
        }
    }
}

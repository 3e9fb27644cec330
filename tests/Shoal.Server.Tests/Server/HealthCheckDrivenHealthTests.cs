using System.Diagnostics;
using System.Net;
using Grpc.Health.V1;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Shoal.Server.Tests.Infrastructure;
using ServingStatus = Grpc.Health.V1.HealthCheckResponse.Types.ServingStatus;

namespace Shoal.Server.Tests.Server;

/// <summary>
/// ASP.NET Core health checks drive <c>grpc.health.v1</c> (per service by tag) and the metrics
/// port's <c>/readyz</c>; <c>/healthz</c> stays live.
/// </summary>
public sealed class HealthCheckDrivenHealthTests
{
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(10) };

    [Fact]
    public async Task FailingCheckTaggedWithAService_TurnsThatServiceAndTheServerNotServing_AndReadyzFails()
    {
        var database = new ToggleCheck();
        await using var host = await TestHost.StartAsync(
            configure: o => o.MetricsPort = 0,
            builder: b =>
            {
                b.Services.AddHealthChecks().AddCheck("database", database, tags: ["hello.Greeter"]);
                b.Services.PostConfigure<HealthCheckPublisherOptions>(o =>
                {
                    o.Delay = TimeSpan.Zero;
                    o.Period = TimeSpan.FromSeconds(1);
                });
            });
        await using var channel = host.Channel(TestTransport.Native);
        var health = new Health.HealthClient(channel);
        var metrics = host.Addresses.Metrics!;

        Assert.Equal(HttpStatusCode.OK, (await Http.GetAsync(new Uri(metrics, "/readyz"))).StatusCode);

        database.Healthy = false;
        await WaitForAsync(health, "hello.Greeter", ServingStatus.NotServing);
        Assert.Equal(ServingStatus.NotServing, await StatusAsync(health, ""));
        // The check names only hello.Greeter: the other service serves on.
        Assert.Equal(ServingStatus.Serving, await StatusAsync(health, "hello.GreeterStreams"));
        using (var ready = await Http.GetAsync(new Uri(metrics, "/readyz")))
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
            Assert.Contains("database: the test says so", await ready.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }
        Assert.Equal(HttpStatusCode.OK, (await Http.GetAsync(new Uri(metrics, "/healthz"))).StatusCode);

        database.Healthy = true;
        await WaitForAsync(health, "hello.Greeter", ServingStatus.Serving);
        Assert.Equal(ServingStatus.Serving, await StatusAsync(health, ""));
        Assert.Equal(HttpStatusCode.OK, (await Http.GetAsync(new Uri(metrics, "/readyz"))).StatusCode);
    }

    private static async Task<ServingStatus> StatusAsync(Health.HealthClient health, string service)
        => (await health.CheckAsync(new HealthCheckRequest { Service = service }, deadline: TestHost.Deadline())).Status;

    private static async Task WaitForAsync(Health.HealthClient health, string service, ServingStatus expected)
    {
        var stopwatch = Stopwatch.StartNew();
        var status = ServingStatus.Unknown;
        while (stopwatch.Elapsed < TimeSpan.FromSeconds(20))
        {
            status = await StatusAsync(health, service);
            if (status == expected)
            {
                return;
            }
            await Task.Delay(100);
        }
        Assert.Fail($"{service} stayed {status} for 20 s; expected {expected}.");
    }

    private sealed class ToggleCheck : IHealthCheck
    {
        public volatile bool Healthy = true;

        public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
            => Task.FromResult(Healthy ? HealthCheckResult.Healthy() : HealthCheckResult.Unhealthy("the test says so"));
    }
}

using System.Collections.Concurrent;
using System.Net;
using System.Text;
using Hello;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OpenTelemetry.Exporter;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;
using Shoal.OpenTelemetry;
using Shoal.Server.Tests.Infrastructure;

namespace Shoal.Server.Tests.Telemetry;

/// <summary>
/// <c>AddShoalTelemetry()</c> in a host: its calls' spans and metrics leave over OTLP/HTTP
/// (protobuf) to a receiver this test runs, which reads the span and instrument names out of the
/// payloads (protobuf keeps strings as UTF-8 bytes).
/// </summary>
public sealed class ShoalTelemetryOtlpTests
{
    [Fact]
    public async Task AddShoalTelemetry_HostServesCalls_SpansAndMetricsArriveOverOtlp()
    {
        await using var receiver = await OtlpReceiver.StartAsync();
        await using var host = await TestHost.StartAsync(builder: b => b.Services.AddShoalTelemetry(o =>
        {
            o.ServiceName = "otlp-test-greeter";
            o.OtlpProtocol = OtlpExportProtocol.HttpProtobuf;
            o.OtlpEndpoint = receiver.Address;
            o.MetricExportInterval = TimeSpan.FromMilliseconds(500);
        }));
        await using var channel = host.Channel(TestTransport.Native);
        var client = new Greeter.GreeterClient(channel);
        for (var i = 0; i < 3; i++)
        {
            await client.SayHelloAsync(new HelloRequest { Name = "otlp" }, deadline: TestHost.Deadline());
        }

        Assert.True(host.App.Services.GetRequiredService<TracerProvider>().ForceFlush(10_000));
        Assert.True(host.App.Services.GetRequiredService<MeterProvider>().ForceFlush(10_000));

        var traces = receiver.Received("/v1/traces");
        var metrics = receiver.Received("/v1/metrics");
        Assert.Contains("hello.Greeter/SayHello", traces, StringComparison.Ordinal);
        Assert.Contains("otlp-test-greeter", traces, StringComparison.Ordinal);
        Assert.Contains("rpc.server.duration", metrics, StringComparison.Ordinal);
        Assert.Contains("shoal.transport", metrics, StringComparison.Ordinal);
    }

    [Fact]
    public void AddShoalTelemetry_RelativeEndpoint_ThrowsNamingTheOption()
    {
        var services = new ServiceCollection();
        var error = Assert.Throws<ArgumentException>(() => services.AddShoalTelemetry(o => o.OtlpEndpoint = new Uri("/collector", UriKind.Relative)));
        Assert.Contains("OtlpEndpoint", error.Message, StringComparison.Ordinal);
    }

    /// <summary>An OTLP/HTTP endpoint on 127.0.0.1 that keeps every payload, as text, by path.</summary>
    private sealed class OtlpReceiver : IAsyncDisposable
    {
        private readonly WebApplication _app;
        private readonly ConcurrentQueue<(string Path, string Body)> _payloads;

        private OtlpReceiver(WebApplication app, ConcurrentQueue<(string, string)> payloads, Uri address)
        {
            _app = app;
            _payloads = payloads;
            Address = address;
        }

        public Uri Address { get; }

        public static async Task<OtlpReceiver> StartAsync()
        {
            var builder = WebApplication.CreateSlimBuilder();
            builder.Logging.ClearProviders();
            builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0, l => l.Protocols = HttpProtocols.Http1));
            var app = builder.Build();
            var payloads = new ConcurrentQueue<(string, string)>();
            app.Run(async context =>
            {
                using var body = new MemoryStream();
                await context.Request.Body.CopyToAsync(body);
                payloads.Enqueue((context.Request.Path.Value ?? "", Encoding.UTF8.GetString(body.ToArray())));
                context.Response.ContentType = "application/x-protobuf";
                context.Response.StatusCode = StatusCodes.Status200OK;
            });
            await app.StartAsync().WaitAsync(TestHost.Timeout);
            var address = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
            return new OtlpReceiver(app, payloads, address);
        }

        public string Received(string path) => string.Join('\n', _payloads.Where(p => p.Path == path).Select(p => p.Body));

        public async ValueTask DisposeAsync()
        {
            await _app.StopAsync().WaitAsync(TestHost.Timeout);
            await _app.DisposeAsync();
        }
    }
}

using System.Collections.Concurrent;
using System.Net;
using Google.Protobuf;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Shoal.FunctionalTests.Telemetry.Otlp;

namespace Shoal.FunctionalTests.Telemetry;

/// <summary>
/// An OTLP/HTTP (protobuf) collector on 127.0.0.1 for tests: decodes every <c>POST /v1/traces</c>
/// into <see cref="ExportedSpan"/>s and answers 200 to every other signal (metrics, logs), unread.
/// A body that does not parse is answered 400 and counted in <see cref="BadPayloads"/>.
/// </summary>
public sealed class OtlpTraceReceiver : IAsyncDisposable
{
    private static readonly TimeSpan StartStopTimeout = TimeSpan.FromSeconds(30);

    private readonly WebApplication _app;
    private readonly ConcurrentQueue<ExportedSpan> _spans = new();
    private int _badPayloads;

    private OtlpTraceReceiver(WebApplication app) => _app = app;

    /// <summary>The base address to give exporters (<c>OTEL_EXPORTER_OTLP_ENDPOINT</c>).</summary>
    public Uri Address { get; private set; } = null!;

    /// <summary>Trace payloads that were not OTLP protobuf.</summary>
    public int BadPayloads => Volatile.Read(ref _badPayloads);

    /// <summary>Every span received so far.</summary>
    public IReadOnlyList<ExportedSpan> Spans => [.. _spans];

    /// <summary>Starts the receiver on a free loopback port.</summary>
    public static async Task<OtlpTraceReceiver> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0, l => l.Protocols = HttpProtocols.Http1));
        var receiver = new OtlpTraceReceiver(builder.Build());
        receiver._app.Run(receiver.HandleAsync);
        await receiver._app.StartAsync().WaitAsync(StartStopTimeout);
        receiver.Address = new Uri(receiver._app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
        return receiver;
    }

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync().WaitAsync(StartStopTimeout);
        await _app.DisposeAsync();
    }

    private async Task HandleAsync(HttpContext context)
    {
        using var body = new MemoryStream();
        await context.Request.Body.CopyToAsync(body, context.RequestAborted);
        if (context.Request.Path == "/v1/traces")
        {
            ExportTraceServiceRequest request;
            try
            {
                request = ExportTraceServiceRequest.Parser.ParseFrom(body.ToArray());
            }
            catch (InvalidProtocolBufferException)
            {
                Interlocked.Increment(ref _badPayloads);
                context.Response.StatusCode = StatusCodes.Status400BadRequest;
                return;
            }
            foreach (var span in ExportedSpan.From(request))
            {
                _spans.Enqueue(span);
            }
        }
        context.Response.ContentType = "application/x-protobuf";
        await context.Response.Body.WriteAsync(new ExportTraceServiceResponse().ToByteArray(), context.RequestAborted);
    }
}

using System.Net;
using Grpc.Reflection;
using Hello;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Shoal.Bench;
using Shoal.OpenTelemetry;
using Shoal.Registry.Etcd;
using Shoal.Server;

namespace Shoal.Cli.Hosting;

/// <summary>
/// A started Greeter host (GreeterService and GreeterStreamsService): either a Shoal host serving
/// both transports, or plain grpc-dotnet with no Shoal code in the path (the benchmark's peer).
/// </summary>
internal sealed class GreeterHost : IAsyncDisposable
{
    private readonly WebApplication _app;

    private GreeterHost(WebApplication app, Uri? native, Uri? grpc, Uri? metrics = null)
    {
        _app = app;
        Native = native;
        Grpc = grpc;
        Metrics = metrics;
    }

    /// <summary>The native protocol's address (<c>shoal://host:port</c>); null for plain grpc-dotnet.</summary>
    public Uri? Native { get; }

    /// <summary>The gRPC address (<c>http://host:port</c>).</summary>
    public Uri? Grpc { get; }

    /// <summary>The metrics and probes address (<c>http://host:port</c>); null when off.</summary>
    public Uri? Metrics { get; }

    /// <summary>Completes when the host begins to stop (SIGTERM handled by the host, or <see cref="StopAsync"/>).</summary>
    public Task WaitForShutdownAsync(CancellationToken cancellationToken) => _app.WaitForShutdownAsync(cancellationToken);

    /// <summary>Starts a Shoal host with the Greeter on both transports (port 0 picks a free port, -1 disables one).</summary>
    public static async Task<GreeterHost> StartShoalAsync(GreeterHostSettings settings, CancellationToken cancellationToken)
    {
        var builder = CreateBuilder(settings);
        // etcd:// registries (--registry) through the provider the tool ships.
        builder.Services.AddShoalEtcd();
        if (settings.Telemetry)
        {
            // Spans sampled and processed by the SDK, exported nowhere; metrics come from the metrics port's provider.
            builder.Services.AddShoalTelemetry(o =>
            {
                o.Metrics = false;
                o.UseOtlpExporter = false;
            });
        }
        var server = builder.AddShoalServer(o =>
        {
            o.Host = settings.Host;
            o.TcpPort = settings.TcpPort;
            o.GrpcPort = settings.GrpcPort;
            o.MetricsPort = settings.MetricsPort;
            if (settings.LoadWindow is { } window)
            {
                o.Load.Window = window;
            }

            o.Tls.CertificatePath = settings.TlsCertificate;
            o.Tls.KeyPath = settings.TlsKey;
            o.Tls.ClientCaPath = settings.ClientCa;
            if (!string.IsNullOrWhiteSpace(settings.Registry))
            {
                o.Registry = settings.Registry;
                o.RegistryTokenFile = settings.RegistryTokenFile;
                o.RegistryTls.CaPath = settings.RegistryCa;
                o.InstanceId = settings.InstanceId;
                // A draining instance is gone from the clients' view in well under a second on loopback.
                o.DeregisterDelay = TimeSpan.FromSeconds(1);
                o.ShutdownGracePeriod = TimeSpan.FromSeconds(5);
            }
        });
        if (settings.Capacity is { } capacity)
        {
            builder.Services.AddSingleton(new CapacityLimiter(capacity));
            server.AddInterceptor<CapacityLimiter>();
        }
        server.AddService<GreeterService>()
            .AddService<GreeterStreamsService>()
            .AddService<BenchmarkService>();
        var app = builder.Build();
        try
        {
            app.MapShoalServices();
            await app.StartAsync(cancellationToken).ConfigureAwait(false);
            var addresses = app.GetShoalAddresses();
            return new GreeterHost(app, addresses.Native, addresses.Grpc, addresses.Metrics);
        }
        catch
        {
            await app.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>
    /// Starts the Greeter on plain grpc-dotnet: Kestrel HTTP/2 (h2c), <c>AddGrpc</c>,
    /// <c>MapGrpcService</c>, plus grpc's own reflection service so <c>shoal call</c> works against it.
    /// </summary>
    public static async Task<GreeterHost> StartPlainGrpcAsync(GreeterHostSettings settings, CancellationToken cancellationToken)
    {
        var builder = CreateBuilder(settings);
        builder.WebHost.ConfigureKestrel(kestrel =>
            kestrel.Listen(ParseAddress(settings.Host), settings.GrpcPort, listen => listen.Protocols = HttpProtocols.Http2));
        builder.Services.AddGrpc();
        builder.Services.AddSingleton<GreeterService>();
        builder.Services.AddSingleton<GreeterStreamsService>();
        builder.Services.AddSingleton<BenchmarkService>();
        builder.Services.AddSingleton(new ReflectionServiceImpl(Greeter.Descriptor, GreeterStreams.Descriptor, Benchmark.Descriptor));
        var app = builder.Build();
        try
        {
            app.MapGrpcService<GreeterService>();
            app.MapGrpcService<GreeterStreamsService>();
            app.MapGrpcService<BenchmarkService>();
            app.MapGrpcService<ReflectionServiceImpl>();
            await app.StartAsync(cancellationToken).ConfigureAwait(false);
            var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault()
                ?? throw new InvalidOperationException("Kestrel reported no address.");
            var bound = new Uri(address);
            var grpc = new Uri($"http://{settings.Host}:{bound.Port}");
            return new GreeterHost(app, null, grpc);
        }
        catch
        {
            await app.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Stops gracefully: no new calls, calls in flight finish.</summary>
    public Task StopAsync(CancellationToken cancellationToken = default) => _app.StopAsync(cancellationToken);

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        try
        {
            await _app.StopAsync(CancellationToken.None).ConfigureAwait(false);
        }
        finally
        {
            await _app.DisposeAsync().ConfigureAwait(false);
        }
    }

    private static WebApplicationBuilder CreateBuilder(GreeterHostSettings settings)
    {
        var builder = WebApplication.CreateSlimBuilder();
        // stdout belongs to the command (serve prints its addresses as JSON there): logs go to stderr, warnings and up.
        builder.Logging.ClearProviders();
        if (settings.LogToStandardError)
        {
            builder.Logging.AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace);
        }
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.Services.Configure<ConsoleLifetimeOptions>(o => o.SuppressStatusMessages = true);
        builder.Services.AddSingleton(new GreeterBehavior { Delay = settings.Delay });
        return builder;
    }

    private static IPAddress ParseAddress(string host) => host switch
    {
        "localhost" => IPAddress.Loopback,
        "*" or "0.0.0.0" => IPAddress.Any,
        _ => IPAddress.TryParse(host, out var ip) ? ip : throw new FormatException($"'{host}' is not an IP address."),
    };
}

using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Shoal.Client.Discovery.InMemory;
using Shoal.Server.Registry;

namespace Shoal.Registry.Tests.Support;

/// <summary>The embedded registry on plain grpc-dotnet and Kestrel, HTTP/2 on 127.0.0.1.</summary>
internal sealed class RegistryHost : IAsyncDisposable
{
    private readonly WebApplication _app;

    private RegistryHost(WebApplication app, int port)
    {
        _app = app;
        Port = port;
    }

    public int Port { get; }

    public Uri Address => new($"http://127.0.0.1:{Port}");

    public RegistryStore Store => _app.Services.GetRequiredService<RegistryStore>();

    /// <summary>Starts a registry on <paramref name="port"/> (0 for any free port).</summary>
    public static async Task<RegistryHost> StartAsync(int port = 0, TimeSpan? startupGrace = null, Action<EmbeddedRegistryOptions>? access = null)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, port, l => l.Protocols = HttpProtocols.Http2));
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(2));
        builder.Services.AddGrpc(o => o.MaxReceiveMessageSize = 16 * 1024 * 1024);
        builder.Services.AddShoalEmbeddedRegistry(o =>
        {
            o.StartupGracePeriod = startupGrace ?? TimeSpan.FromSeconds(1);
            o.SweepInterval = TimeSpan.FromMilliseconds(50);
        });
        if (access is not null)
        {
            builder.Services.Configure(access);
        }
        var app = builder.Build();
        app.MapGrpcService<EmbeddedRegistryService>();
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new RegistryHost(app, new Uri(address).Port);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}

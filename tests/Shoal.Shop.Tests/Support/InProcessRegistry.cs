using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Shoal.Server;
using Shoal.Server.Registry;

namespace Shoal.Shop.Tests.Support;

/// <summary>The embedded registry, hosted in the test process on a free loopback port; members only with a token file.</summary>
public sealed class InProcessRegistry : IAsyncDisposable
{
    private readonly WebApplication _app;

    private InProcessRegistry(WebApplication app, string address)
    {
        _app = app;
        Address = address;
    }

    /// <summary><c>registry://127.0.0.1:port</c>.</summary>
    public string Address { get; }

    /// <summary>Starts it; with <paramref name="tokenFile"/>, every call must carry that file's token.</summary>
    public static async Task<InProcessRegistry> StartAsync(string? tokenFile = null)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.Services.Configure<ConsoleLifetimeOptions>(o => o.SuppressStatusMessages = true);
        builder.AddShoalServer(o =>
        {
            o.Host = "127.0.0.1";
            o.TcpPort = 0;
            o.GrpcPort = -1;
            o.ShutdownGracePeriod = TimeSpan.FromSeconds(1);
        }).AddEmbeddedRegistry();
        builder.Services.Configure<EmbeddedRegistryOptions>(o => o.TokenFile = tokenFile);
        var app = builder.Build();
        app.MapShoalServices();
        await app.StartAsync();
        return new InProcessRegistry(app, $"registry://{app.GetShoalAddresses().Native!.Authority}");
    }

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}

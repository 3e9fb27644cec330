using Hello;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Shoal.Server;

namespace Shoal.Autoscaling.Hosting.Tests.Infrastructure;

/// <summary>An embedded registry and Greeter hosts registered with it, all in this process on 127.0.0.1 and free ports.</summary>
public sealed class TestCluster : IAsyncDisposable
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);
    public static readonly TimeSpan Window = TimeSpan.FromMilliseconds(200);

    private readonly WebApplication _registry;
    private readonly List<GreeterInstance> _greeters = [];

    private TestCluster(WebApplication registry, string address)
    {
        _registry = registry;
        Registry = address;
    }

    /// <summary>The registry's address, <c>registry://127.0.0.1:port</c>.</summary>
    public string Registry { get; }

    /// <summary>The target of the Greeter service in the registry.</summary>
    public string GreeterTarget => $"{Registry}/hello.Greeter";

    public static async Task<TestCluster> StartAsync()
    {
        var registry = await StartHostAsync(o => o.GrpcPort = -1, shoal => shoal.AddEmbeddedRegistry());
        var native = registry.GetShoalAddresses().Native!;
        return new TestCluster(registry, $"registry://{native.Authority}");
    }

    /// <summary>Starts a Greeter host that reports its load every <see cref="Window"/> and (unless told not to) registers with the registry.</summary>
    public async Task<GreeterInstance> StartGreeterAsync(int nativePort = 0, bool register = true)
    {
        var app = await StartHostAsync(
            o =>
            {
                o.TcpPort = nativePort;
                o.Registry = register ? Registry : null;
                o.DeregisterDelay = TimeSpan.Zero;
                o.Load.Window = Window;
            },
            shoal => shoal.AddService<GreeterService>());
        var instance = new GreeterInstance(app);
        _greeters.Add(instance);
        return instance;
    }

    public async ValueTask DisposeAsync()
    {
        // Greeters first, the registry last.
        foreach (var greeter in _greeters)
        {
            await greeter.StopAsync();
        }
        await GreeterInstance.StopAsync(_registry);
    }

    private static async Task<WebApplication> StartHostAsync(Action<ShoalServerOptions> configure, Action<IShoalServerBuilder> services)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        var shoal = builder.AddShoalServer(o =>
        {
            o.Host = "127.0.0.1";
            o.TcpPort = 0;
            o.GrpcPort = 0;
            o.ShutdownGracePeriod = TimeSpan.FromSeconds(2);
            configure(o);
        });
        services(shoal);
        var app = builder.Build();
        app.MapShoalServices();
        try
        {
            await app.StartAsync().WaitAsync(Timeout);
        }
        catch
        {
            await app.DisposeAsync();
            throw;
        }
        return app;
    }
}

using Hello;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Logging;
using Shoal.Client;

namespace Shoal.Server.Tests.Infrastructure;

/// <summary>A Shoal host on 127.0.0.1 with OS-chosen ports, stopped (bounded) on dispose.</summary>
public sealed class TestHost : IAsyncDisposable
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    private TestHost(WebApplication app)
    {
        App = app;
        Addresses = app.GetShoalAddresses();
    }

    public WebApplication App { get; }

    public ShoalServerAddresses Addresses { get; }

    /// <summary>
    /// Starts a host serving the Greeter services (unless <paramref name="services"/> adds others).
    /// A gRPC-only test disables the native port so it does not depend on the native transport;
    /// every other test serves both.
    /// </summary>
    public static async Task<TestHost> StartAsync(
        TestTransport? only = null,
        Action<ShoalServerOptions>? configure = null,
        Action<IShoalServerBuilder>? services = null,
        Action<WebApplicationBuilder>? builder = null,
        Action<ShoalServicesConventionBuilder>? conventions = null)
    {
        var webBuilder = WebApplication.CreateSlimBuilder();
        webBuilder.Logging.ClearProviders();
        webBuilder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder?.Invoke(webBuilder);
        var shoal = webBuilder.AddShoalServer(o =>
        {
            o.Host = "127.0.0.1";
            o.TcpPort = only == TestTransport.Grpc ? -1 : 0;
            o.GrpcPort = only == TestTransport.Native ? -1 : 0;
            o.ShutdownGracePeriod = TimeSpan.FromSeconds(10);
            configure?.Invoke(o);
        });
        if (services is null)
        {
            shoal.AddService<GreeterService>().AddService<GreeterStreamsService>();
        }
        else
        {
            services(shoal);
        }
        var app = webBuilder.Build();
        var mapped = app.MapShoalServices();
        conventions?.Invoke(mapped);
        try
        {
            await app.StartAsync().WaitAsync(Timeout);
        }
        catch
        {
            await app.DisposeAsync();
            throw;
        }
        return new TestHost(app);
    }

    public string Target(TestTransport transport) => transport == TestTransport.Native
        ? Addresses.NativeTarget ?? throw new InvalidOperationException("native is disabled on this host")
        : Addresses.GrpcTarget ?? throw new InvalidOperationException("gRPC is disabled on this host");

    public ShoalChannel Channel(TestTransport transport, ShoalChannelOptions? options = null)
        => ShoalChannel.ForTarget(Target(transport), options);

    public static DateTime Deadline() => DateTime.UtcNow.Add(Timeout);

    public async ValueTask DisposeAsync()
    {
        try
        {
            using var stop = new CancellationTokenSource(Timeout);
            await App.StopAsync(stop.Token).WaitAsync(Timeout);
        }
        finally
        {
            await App.DisposeAsync();
        }
    }
}

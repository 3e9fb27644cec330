using Hello;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Logging;
using Shoal.Server;

namespace Shoal.Transport.Grpc.Tests.Infrastructure;

/// <summary>
/// A Shoal host serving the Greeter services over gRPC on 127.0.0.1 (an OS-chosen port). The
/// native port is off: these tests are about the gRPC transport alone.
/// </summary>
public sealed class GreeterGrpcHost : IAsyncDisposable
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    private int _disposed;

    private GreeterGrpcHost(WebApplication app, string target)
    {
        App = app;
        Target = target;
    }

    public WebApplication App { get; }

    /// <summary>The gRPC target, such as <c>http://127.0.0.1:40123</c>.</summary>
    public string Target { get; }

    /// <summary>host:port, as a gRPC peer in another language dials it.</summary>
    public string Authority => new Uri(Target).Authority;

    /// <summary>Starts a host on <paramref name="port"/> (0: a free port).</summary>
    public static async Task<GreeterGrpcHost> StartAsync(int port = 0)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.AddShoalServer(o =>
        {
            o.Host = "127.0.0.1";
            o.TcpPort = -1;
            o.GrpcPort = port;
        }).AddService<GreeterService>().AddService<GreeterStreamsService>();
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
        return new GreeterGrpcHost(app, app.GetShoalAddresses().GrpcTarget!);
    }

    /// <summary>Stops the host (bounded); calling it again does nothing.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }
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

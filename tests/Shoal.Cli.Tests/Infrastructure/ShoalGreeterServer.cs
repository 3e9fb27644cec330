using Shoal.Cli.Hosting;

namespace Shoal.Cli.Tests.Infrastructure;

/// <summary>The Greeter on a Shoal host (both transports), in this process on 127.0.0.1 and free ports.</summary>
public sealed class ShoalGreeterServer : IAsyncLifetime
{
    private GreeterHost? _host;

    public string Native => _host?.Native?.ToString().TrimEnd('/') ?? throw new InvalidOperationException("Not started.");

    public string Grpc => _host?.Grpc?.ToString().TrimEnd('/') ?? throw new InvalidOperationException("Not started.");

    public string Target(string transport) => transport == "native" ? Native : Grpc;

    public async Task InitializeAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        _host = await GreeterHost.StartShoalAsync(new GreeterHostSettings { TcpPort = 0, GrpcPort = 0, LogToStandardError = false }, timeout.Token);
    }

    public async Task DisposeAsync()
    {
        if (_host is not null)
        {
            await _host.DisposeAsync();
        }
    }
}

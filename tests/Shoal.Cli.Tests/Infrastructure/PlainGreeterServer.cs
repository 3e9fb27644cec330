using Grpc.Net.Client;
using Shoal.Cli.Hosting;

namespace Shoal.Cli.Tests.Infrastructure;

/// <summary>The Greeter on plain grpc-dotnet with grpc's reflection service, in this process on 127.0.0.1 and a free port.</summary>
public sealed class PlainGreeterServer : IAsyncLifetime
{
    private GreeterHost? _host;

    public string Address => _host?.Grpc?.ToString().TrimEnd('/') ?? throw new InvalidOperationException("Not started.");

    public GrpcChannel CreateChannel() => GrpcChannel.ForAddress(Address);

    public async Task InitializeAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        _host = await GreeterHost.StartPlainGrpcAsync(new GreeterHostSettings { GrpcPort = 0, LogToStandardError = false }, timeout.Token);
    }

    public async Task DisposeAsync()
    {
        if (_host is not null)
        {
            await _host.DisposeAsync();
        }
    }
}

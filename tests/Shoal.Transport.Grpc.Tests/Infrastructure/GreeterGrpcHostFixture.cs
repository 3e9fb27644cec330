namespace Shoal.Transport.Grpc.Tests.Infrastructure;

/// <summary>One gRPC Greeter host shared by a test class.</summary>
public sealed class GreeterGrpcHostFixture : IAsyncLifetime
{
    private GreeterGrpcHost? _host;

    public GreeterGrpcHost Host => _host ?? throw new InvalidOperationException("not started");

    public async Task InitializeAsync() => _host = await GreeterGrpcHost.StartAsync();

    public async Task DisposeAsync()
    {
        if (_host is not null)
        {
            await _host.DisposeAsync();
        }
    }
}

using Grpc.Net.Client;
using Shoal.Client.Discovery.Embedded;
using Shoal.Client.Discovery.Internal;
using Shoal.Discovery;
using Shoal.Registry.Tests.Support;

namespace Shoal.Registry.Tests.Contract;

/// <summary>The contract on the embedded registry server, called over gRPC (Grpc.Net.Client) on loopback.</summary>
public sealed class EmbeddedRegistryContractTests : RemoteServiceRegistryContract
{
    private readonly List<GrpcChannel> _channels = [];
    private RegistryHost? _host;
    private int _port;
    private EmbeddedRegistryClient? _client;

    // Long enough that a keepalive every second survives a heavily loaded machine.
    protected override TimeSpan Ttl => TimeSpan.FromSeconds(3);

    protected override async Task<(IServiceRegistry Registry, IServiceResolver Resolver)> StartAsync()
    {
        _host = await RegistryHost.StartAsync();
        _port = _host.Port;
        _client = NewClient();
        return (_client, _client);
    }

    protected override async Task StopAsync()
    {
        if (_client is not null)
        {
            await _client.DisposeAsync();
        }
        if (_host is not null)
        {
            await _host.DisposeAsync();
        }
        foreach (var channel in _channels)
        {
            channel.Dispose();
        }
    }

    protected override Task ElapseAsync(TimeSpan duration) => Task.Delay(duration);

    protected override Task StopKeepAliveAsync(IRegistration registration)
        => ((EmbeddedRegistration)registration).StopKeepAliveAsync();

    protected override async Task StopSourceAsync()
    {
        await _host!.DisposeAsync();
        _host = null;
    }

    protected override async Task StartSourceAsync() => _host = await RegistryHost.StartAsync(_port);

    protected override IServiceResolver CreateFreshResolver() => NewClient();

    private EmbeddedRegistryClient NewClient()
    {
        var channel = GrpcChannel.ForAddress($"http://127.0.0.1:{_port}", new GrpcChannelOptions { MaxReceiveMessageSize = 64 * 1024 * 1024 });
        _channels.Add(channel);
        return new EmbeddedRegistryClient(channel.CreateCallInvoker(), new EmbeddedRegistryClientOptions
        {
            ReconnectDelay = TimeSpan.FromMilliseconds(50),
            MaxReconnectDelay = TimeSpan.FromMilliseconds(500),
            CallTimeout = TimeSpan.FromSeconds(3),
        });
    }
}

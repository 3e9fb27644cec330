using Hello;
using Microsoft.Extensions.DependencyInjection;
using Shoal.Client;

namespace Shoal.Server.Tests.Infrastructure;

/// <summary>
/// Client → A (<see cref="ForwardingGreeter"/>) → B (<see cref="CancellationProbeGreeter"/>), every hop
/// over one transport, A reaching B through a cluster channel (<c>static://</c>); disposed in order.
/// </summary>
public sealed class Chain : IAsyncDisposable
{
    private readonly TestHost _a;
    private readonly TestHost _b;
    private readonly ShoalChannel _toB;
    private readonly ShoalChannel _toA;

    private Chain(TestHost a, TestHost b, ShoalChannel toB, ShoalChannel toA, CancellationProbeGreeter probe)
    {
        _a = a;
        _b = b;
        _toB = toB;
        _toA = toA;
        Probe = probe;
        Client = new Greeter.GreeterClient(toA);
    }

    public Greeter.GreeterClient Client { get; }

    public CancellationProbeGreeter Probe { get; }

    public static async Task<Chain> StartAsync(TestTransport transport, ShoalChannelOptions middle, bool useToken = false)
    {
        var probe = new CancellationProbeGreeter();
        var forwarder = new ForwardingGreeter { UseToken = useToken };
        var b = await TestHost.StartAsync(only: transport, services: s => s.AddService<CancellationProbeGreeter>(),
            builder: w => w.Services.AddSingleton(probe));
        TestHost? a = null;
        try
        {
            a = await TestHost.StartAsync(only: transport, services: s => s.AddService<ForwardingGreeter>(),
                builder: w => w.Services.AddSingleton(forwarder));
            var port = new Uri(b.Target(transport)).Port;
            forwarder.Next = ShoalChannel.ForTarget($"static://127.0.0.1:{port}?transport={(transport == TestTransport.Native ? "native" : "grpc")}", middle);
            return new Chain(a, b, forwarder.Next, a.Channel(transport), probe);
        }
        catch
        {
            if (a is not null)
            {
                await a.DisposeAsync();
            }
            await b.DisposeAsync();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _toA.DisposeAsync();
        await _a.DisposeAsync();
        await _toB.DisposeAsync();
        await _b.DisposeAsync();
    }
}

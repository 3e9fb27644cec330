using System.Globalization;
using Grpc.Core;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Shoal.Client.Discovery.Embedded;
using Shoal.Client.Discovery.Embedded.Protocol;
using Shoal.Client.Native;
using Shoal.Connections;
using Shoal.Discovery;
using Shoal.Instances;
using Shoal.Server;

namespace Shoal.Benchmarks.Registry;

/// <summary>
/// The embedded registry exactly as <c>shoal registry</c> runs it (a Shoal host serving
/// <c>RegistryService</c> on the native transport, 127.0.0.1, port 0), in this process. Leases
/// are registered and renewed with the real Register and KeepAlive round trips, paced evenly over
/// a third of the TTL, as 10,000 server processes would renew theirs.
/// </summary>
internal sealed class EmbeddedBackend : IRegistryBackend
{
    private const int LoadConnections = 8;

    private readonly WebApplication _app;
    private readonly Uri _address;
    private readonly NativeConnectionFactory _connections = new(new NativeClientOptions { MaxReceiveMessageSize = 64 * 1024 * 1024 });
    private readonly List<IConnection> _owned = [];
    private readonly CancellationTokenSource _stop = new();
    private LeaseLoad? _load;
    private RegistryService.RegistryServiceClient? _changes;

    private EmbeddedBackend(WebApplication app, Uri address)
    {
        _app = app;
        _address = address;
    }

    public string Name => "embedded (native)";

    public static async Task<EmbeddedBackend> StartAsync()
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
        }).AddEmbeddedRegistry(o => o.StartupGracePeriod = TimeSpan.Zero);
        var app = builder.Build();
        app.MapShoalServices();
        await app.StartAsync();
        var native = app.GetShoalAddresses().Native ?? throw new InvalidOperationException("The registry reported no native address.");
        return new EmbeddedBackend(app, native);
    }

    public async Task PopulateAsync(int count, TimeSpan ttl, CancellationToken cancellationToken)
    {
        var clients = Enumerable.Range(0, LoadConnections).Select(_ => new RegistryService.RegistryServiceClient(Connect())).ToArray();
        _load = new LeaseLoad(clients, ttl);
        await _load.RegisterAllAsync(count, cancellationToken);
        _load.Start(_stop.Token);
    }

    public IServiceResolver CreateWatcher()
    {
        var connection = _connections.Create(_address);
        return new OwnedResolver(new EmbeddedRegistryClient(connection.Invoker), connection);
    }

    public async Task<long> RegisterAsync(ServiceInstance instance, TimeSpan ttl, CancellationToken cancellationToken)
    {
        _changes ??= new RegistryService.RegistryServiceClient(Connect());
        var response = await _changes.RegisterAsync(
            new RegisterRequest { Instance = InstanceMessages.ToMessage(instance), TtlMs = (long)ttl.TotalMilliseconds },
            cancellationToken: cancellationToken);
        return response.LeaseId;
    }

    public async Task DeregisterAsync(long leaseId, CancellationToken cancellationToken)
    {
        _changes ??= new RegistryService.RegistryServiceClient(Connect());
        await _changes.DeregisterAsync(new DeregisterRequest { LeaseId = leaseId }, cancellationToken: cancellationToken);
    }

    public long Renewals => _load?.Renewals ?? 0;

    public string KeepAliveSummary(long renewalsBefore, TimeSpan elapsed) => _load is null
        ? "no leases"
        : string.Create(CultureInfo.InvariantCulture,
            $"{(_load.Renewals - renewalsBefore) / elapsed.TotalSeconds:F0} keepalives/s, {_load.Failures} failed, {_load.Reregistered} leases registered again");

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        if (_load is not null)
        {
            await _load.StopAsync();
        }
        foreach (var connection in _owned)
        {
            await connection.DisposeAsync();
        }
        await _app.StopAsync();
        await _app.DisposeAsync();
        _stop.Dispose();
    }

    private CallInvoker Connect()
    {
        var connection = _connections.Create(_address);
        _owned.Add(connection);
        return connection.Invoker;
    }
}

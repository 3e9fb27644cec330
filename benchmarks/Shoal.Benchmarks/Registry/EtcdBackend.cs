using System.Globalization;
using System.Text.Json;
using Etcdserverpb;
using Google.Protobuf;
using Grpc.Core;
using Grpc.Net.Client;
using Shoal.Client.Discovery.Embedded;
using Shoal.Discovery;
using Shoal.Instances;
using Shoal.Registry.Etcd;
using Shoal.Server.Registry;

namespace Shoal.Benchmarks.Registry;

/// <summary>
/// A real single-member etcd (<c>etcd</c> on PATH) on free loopback ports with a temporary data
/// directory, killed on dispose. Instances are written as <see cref="EtcdServiceRegistry"/> writes
/// them (one key per service under a lease, the instance as JSON); the leases are renewed over a
/// few long-lived LeaseKeepAlive streams, which is how etcd batches keepalives.
/// </summary>
internal sealed class EtcdBackend : IRegistryBackend
{
    private const string Prefix = "/shoal/services/";
    private const int LoadStreams = 4;
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private readonly EtcdProcess _etcd;
    private readonly GrpcChannel _channel;
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Task> _loops = [];
    private long _renewals;
    private long _failures;

    private EtcdBackend(EtcdProcess etcd)
    {
        _etcd = etcd;
        _channel = GrpcChannel.ForAddress(etcd.ClientUrl, new GrpcChannelOptions { MaxReceiveMessageSize = 64 * 1024 * 1024 });
    }

    public string Name => "etcd";

    public static async Task<EtcdBackend> StartAsync() => new(await EtcdProcess.StartAsync());

    public async Task PopulateAsync(int count, TimeSpan ttl, CancellationToken cancellationToken)
    {
        var leases = new long[count];
        await Parallel.ForEachAsync(Enumerable.Range(0, count), new ParallelOptions { MaxDegreeOfParallelism = 32, CancellationToken = cancellationToken },
            async (i, ct) => leases[i] = await RegisterAsync(BenchInstances.Create($"bulk-{i:D5}", i), ttl, ct));
        for (var s = 0; s < LoadStreams; s++)
        {
            var mine = leases.Where((_, i) => i % LoadStreams == s).ToArray();
            _loops.Add(Task.Run(() => KeepAliveAsync(mine, ttl / 3, _stop.Token)));
        }
    }

    public IServiceResolver CreateWatcher()
        => new EtcdServiceRegistry(new EtcdRegistryOptions { Endpoints = [_etcd.ClientUrl] });

    public async Task<long> RegisterAsync(ServiceInstance instance, TimeSpan ttl, CancellationToken cancellationToken)
    {
        var grant = await new Lease.LeaseClient(_channel).LeaseGrantAsync(new LeaseGrantRequest { TTL = (long)Math.Ceiling(ttl.TotalSeconds) }, cancellationToken: cancellationToken);
        var document = new
        {
            services = instance.Services,
            instanceId = instance.InstanceId,
            addresses = instance.Addresses.ToDictionary(a => InstanceMessages.TransportName(a.Key), a => a.Value.OriginalString),
            zone = instance.Zone,
            version = instance.Version,
            weight = instance.Weight,
            startTime = instance.StartTime,
            metadata = instance.Metadata,
        };
        await new KV.KVClient(_channel).PutAsync(new PutRequest
        {
            Key = ByteString.CopyFromUtf8($"{Prefix}{BenchInstances.Service}/{instance.InstanceId}"),
            Value = ByteString.CopyFrom(JsonSerializer.SerializeToUtf8Bytes(document, Json)),
            Lease = grant.ID,
        }, cancellationToken: cancellationToken);
        return grant.ID;
    }

    public async Task DeregisterAsync(long leaseId, CancellationToken cancellationToken)
        => await new Lease.LeaseClient(_channel).LeaseRevokeAsync(new LeaseRevokeRequest { ID = leaseId }, cancellationToken: cancellationToken);

    public long Renewals => Interlocked.Read(ref _renewals);

    public string KeepAliveSummary(long renewalsBefore, TimeSpan elapsed)
        => string.Create(CultureInfo.InvariantCulture, $"{(Renewals - renewalsBefore) / elapsed.TotalSeconds:F0} keepalives/s over {LoadStreams} streams, {Interlocked.Read(ref _failures)} failed");

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        try
        {
            await Task.WhenAll(_loops);
        }
        catch (Exception ex) when (ex is OperationCanceledException or RpcException)
        {
        }
        _channel.Dispose();
        await _etcd.DisposeAsync();
        _stop.Dispose();
    }

    /// <summary>One keepalive stream renewing <paramref name="leases"/>, each once per <paramref name="interval"/>, spread evenly.</summary>
    private async Task KeepAliveAsync(long[] leases, TimeSpan interval, CancellationToken stop)
    {
        var tick = TimeSpan.FromMilliseconds(50);
        var perTick = leases.Length * (tick / interval);
        using var call = new Lease.LeaseClient(_channel).LeaseKeepAlive(cancellationToken: stop);
        var reader = Task.Run(async () =>
        {
            while (await call.ResponseStream.MoveNext(stop))
            {
                Interlocked.Increment(ref call.ResponseStream.Current.TTL > 0 ? ref _renewals : ref _failures);
            }
        }, stop);
        var due = 0.0;
        var next = 0;
        using var timer = new PeriodicTimer(tick);
        while (await timer.WaitForNextTickAsync(stop))
        {
            due += perTick;
            for (; due >= 1; due--)
            {
                await call.RequestStream.WriteAsync(new LeaseKeepAliveRequest { ID = leases[next] }, stop);
                next = (next + 1) % leases.Length;
            }
        }
        await reader;
    }
}

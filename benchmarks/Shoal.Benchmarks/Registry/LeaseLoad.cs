using Grpc.Core;
using Shoal.Client.Discovery.Embedded;
using Shoal.Client.Discovery.Embedded.Protocol;

namespace Shoal.Benchmarks.Registry;

/// <summary>
/// Many leases on the embedded registry, each renewed once every third of its TTL with its own
/// KeepAlive call, the renewals spread evenly over that interval across a few connections. A lease
/// the registry no longer knows is registered again, as a server would.
/// </summary>
internal sealed class LeaseLoad(RegistryService.RegistryServiceClient[] clients, TimeSpan ttl)
{
    private static readonly TimeSpan Tick = TimeSpan.FromMilliseconds(50);

    private Instance[] _instances = [];
    private long[] _leases = [];
    private Task _loop = Task.CompletedTask;
    private long _renewals;
    private long _failures;
    private long _reregistered;

    public long Renewals => Interlocked.Read(ref _renewals);

    public long Failures => Interlocked.Read(ref _failures);

    public long Reregistered => Interlocked.Read(ref _reregistered);

    public async Task RegisterAllAsync(int count, CancellationToken cancellationToken)
    {
        _instances = [.. Enumerable.Range(0, count).Select(i => InstanceMessages.ToMessage(BenchInstances.Create($"bulk-{i:D5}", i)))];
        _leases = new long[count];
        // A bounded number in flight: 10,000 servers do not start in the same millisecond.
        await Parallel.ForEachAsync(Enumerable.Range(0, count), new ParallelOptions { MaxDegreeOfParallelism = 64, CancellationToken = cancellationToken },
            async (i, ct) => _leases[i] = await RegisterOneAsync(i, ct));
    }

    public void Start(CancellationToken stop) => _loop = Task.Run(() => RunAsync(stop));

    public async Task StopAsync()
    {
        try
        {
            await _loop;
        }
        catch (OperationCanceledException)
        {
        }
    }

    private async Task<long> RegisterOneAsync(int i, CancellationToken cancellationToken)
    {
        // A server retries while its registry is unreachable; on a loaded machine a connection may
        // need a moment to come back.
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                var response = await clients[i % clients.Length].RegisterAsync(
                    new RegisterRequest { Instance = _instances[i], TtlMs = (long)ttl.TotalMilliseconds }, cancellationToken: cancellationToken);
                return response.LeaseId;
            }
            catch (RpcException ex) when (ex.StatusCode is StatusCode.Unavailable or StatusCode.DeadlineExceeded && attempt < 20)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(250), cancellationToken);
            }
        }
    }

    private async Task RunAsync(CancellationToken stop)
    {
        var interval = ttl / 3;
        var perTick = _leases.Length * (Tick / interval);
        var due = 0.0;
        var next = 0;
        using var timer = new PeriodicTimer(Tick);
        while (await timer.WaitForNextTickAsync(stop))
        {
            due += perTick;
            var batch = (int)due;
            due -= batch;
            var calls = new Task[batch];
            for (var k = 0; k < batch; k++)
            {
                calls[k] = RenewAsync(next, stop);
                next = (next + 1) % _leases.Length;
            }
            await Task.WhenAll(calls);
        }
    }

    private async Task RenewAsync(int i, CancellationToken stop)
    {
        try
        {
            var response = await clients[i % clients.Length].KeepAliveAsync(
                new KeepAliveRequest { LeaseId = _leases[i] }, deadline: DateTime.UtcNow + (ttl / 3), cancellationToken: stop);
            Interlocked.Increment(ref _renewals);
            if (!response.Found)
            {
                Interlocked.Increment(ref _reregistered);
                _leases[i] = await RegisterOneAsync(i, stop);
            }
        }
        catch (RpcException) when (!stop.IsCancellationRequested)
        {
            Interlocked.Increment(ref _failures);
        }
    }
}

using Etcdserverpb;
using Grpc.Core;
using Grpc.Net.Client;

namespace Shoal.Registry.Etcd.Internal;

/// <summary>
/// One gRPC channel per etcd member and the member currently in use. A call that fails with a
/// transient status moves on to the next member, once around the ring, so stopping one member of
/// a cluster costs a retry, not an error.
/// </summary>
internal sealed class EtcdConnection : IDisposable
{
    private readonly GrpcChannel[] _channels;
    private readonly TimeSpan _callTimeout;
    private int _current;

    public EtcdConnection(IEnumerable<Uri> endpoints, TimeSpan callTimeout)
    {
        _channels = [.. endpoints.Select(e => GrpcChannel.ForAddress(e, new GrpcChannelOptions
        {
            // Large services: a full listing of 10,000 instances is a few MB.
            MaxReceiveMessageSize = 64 * 1024 * 1024,
        }))];
        _callTimeout = callTimeout;
    }

    public int Count => _channels.Length;

    /// <summary>The index of the member in use.</summary>
    public int Current => Volatile.Read(ref _current);

    public KV.KVClient Kv(int index) => new(_channels[index]);

    public Lease.LeaseClient Lease(int index) => new(_channels[index]);

    public Watch.WatchClient Watch(int index) => new(_channels[index]);

    /// <summary>Moves off member <paramref name="failed"/> if it is still the one in use.</summary>
    public void MoveOff(int failed) => Interlocked.CompareExchange(ref _current, (failed + 1) % _channels.Length, failed);

    /// <summary>Call options with the call timeout, or <paramref name="timeout"/> when it is shorter.</summary>
    public CallOptions Options(CancellationToken cancellationToken, TimeSpan? timeout = null)
        => new(deadline: DateTime.UtcNow + (timeout is { } t && t < _callTimeout ? t : _callTimeout), cancellationToken: cancellationToken);

    /// <summary>Runs <paramref name="call"/> against the member in use, moving to the next one on a transient failure.</summary>
    public async Task<T> CallAsync<T>(Func<int, CallOptions, Task<T>> call, CancellationToken cancellationToken)
    {
        RpcException? last = null;
        for (var attempt = 0; attempt < _channels.Length; attempt++)
        {
            var index = Current;
            try
            {
                return await call(index, Options(cancellationToken)).ConfigureAwait(false);
            }
            catch (RpcException ex) when (IsTransient(ex) && !cancellationToken.IsCancellationRequested)
            {
                last = ex;
                MoveOff(index);
            }
        }
        throw last!;
    }

    /// <summary>Whether another member may succeed where this one failed.</summary>
    public static bool IsTransient(RpcException ex) => ex.StatusCode is StatusCode.Unavailable or StatusCode.DeadlineExceeded
        or StatusCode.Unknown or StatusCode.Internal or StatusCode.Aborted or StatusCode.Cancelled;

    public void Dispose()
    {
        foreach (var channel in _channels)
        {
            channel.Dispose();
        }
    }
}

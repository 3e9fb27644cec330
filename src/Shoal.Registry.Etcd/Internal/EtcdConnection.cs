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
    private readonly EtcdAuthenticator? _auth;
    private int _current;

    public EtcdConnection(EtcdRegistryOptions options)
    {
        _auth = options.Username is { } user ? new EtcdAuthenticator(user, options.Password!, this) : null;
        _channels = [.. options.Endpoints.Select(e => GrpcChannel.ForAddress(e, ChannelOptions(e, options)))];
        _callTimeout = options.CallTimeout;
    }

    private GrpcChannelOptions ChannelOptions(Uri endpoint, EtcdRegistryOptions options)
    {
        var channel = new GrpcChannelOptions
        {
            // Large services: a full listing of 10,000 instances is a few MB.
            MaxReceiveMessageSize = 64 * 1024 * 1024,
        };
        if (options.Tls.IsConfigured)
        {
            channel.HttpHandler = new SocketsHttpHandler { SslOptions = options.Tls.ApplyTo(null), EnableMultipleHttp2Connections = true };
        }
        if (_auth is not null)
        {
            var token = CallCredentials.FromInterceptor(_auth.AddTokenAsync);
            channel.Credentials = ChannelCredentials.Create(endpoint.Scheme == "https" ? ChannelCredentials.SecureSsl : ChannelCredentials.Insecure, token);
            // etcd itself accepts passwords over plaintext; refusing here would only hide the choice made by whoever set up etcd without TLS.
            channel.UnsafeUseInsecureChannelCallCredentials = endpoint.Scheme != "https";
        }
        return channel;
    }

    public int Count => _channels.Length;

    /// <summary>The index of the member in use.</summary>
    public int Current => Volatile.Read(ref _current);

    public KV.KVClient Kv(int index) => new(_channels[index]);

    public Lease.LeaseClient Lease(int index) => new(_channels[index]);

    public Watch.WatchClient Watch(int index) => new(_channels[index]);

    public Auth.AuthClient Auth(int index) => new(_channels[index]);

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
            catch (RpcException ex) when (_auth is not null && EtcdAuthenticator.IsTokenRefused(ex) && !cancellationToken.IsCancellationRequested)
            {
                // An expired or revoked token: the next attempt authenticates again.
                last = ex;
                _auth.Invalidate();
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

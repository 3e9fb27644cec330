using Grpc.Core;
using Shoal.Discovery;
using Shoal.Instances;
using Shoal.Registry.Embedded;
using Shoal.Registry.Protocol;

namespace Shoal.Registry.Internal;

/// <summary>
/// One lease in the embedded registry: a background loop renews it every third of its TTL,
/// registers again when the registry answers "not found", and backs off while it is unreachable.
/// </summary>
internal sealed class EmbeddedRegistration : IRegistration
{
    private readonly EmbeddedRegistryClient _owner;
    private readonly TimeSpan _requestedTtl;
    private readonly CancellationTokenSource _stop = new();
    private readonly Instance _message;
    private Task _loop = Task.CompletedTask;
    private TimeSpan _ttl;
    private long _leaseId;
    private DateTimeOffset _lastRenewed;
    private volatile bool _held;
    private int _disposed;

    public EmbeddedRegistration(EmbeddedRegistryClient owner, ServiceInstance instance, TimeSpan ttl)
    {
        _owner = owner;
        Instance = instance;
        _requestedTtl = ttl;
        _ttl = ttl;
        _message = InstanceMessages.ToMessage(instance);
    }

    public ServiceInstance Instance { get; }

    public bool IsLeaseHeld => _held;

    /// <summary>The current lease id (0 while none is held).</summary>
    internal long LeaseId => Interlocked.Read(ref _leaseId);

    public async Task RegisterOnceAsync(CancellationToken cancellationToken)
    {
        var response = await _owner.Client.RegisterAsync(
            new RegisterRequest { Instance = _message, TtlMs = (long)Math.Ceiling(_requestedTtl.TotalMilliseconds) },
            _owner.Call(cancellationToken)).ConfigureAwait(false);
        _ttl = response.TtlMs > 0 ? TimeSpan.FromMilliseconds(response.TtlMs) : _requestedTtl;
        Interlocked.Exchange(ref _leaseId, response.LeaseId);
        _lastRenewed = _owner.Time.GetUtcNow();
        _held = true;
        RegistryLog.Registered(_owner.Logger, EmbeddedRegistryClient.Kind, Instance.InstanceId, response.LeaseId);
    }

    public void Start() => _loop = Task.Run(() => RunAsync(_stop.Token));

    /// <summary>Stops renewing without deregistering, as a process that died would.</summary>
    internal async Task StopKeepAliveAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        await _loop.ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }
        _owner.Forget(this);
        await StopKeepAliveAsync().ConfigureAwait(false);
        var leaseId = Interlocked.Exchange(ref _leaseId, 0);
        _held = false;
        if (leaseId != 0)
        {
            try
            {
                await _owner.Client.DeregisterAsync(new DeregisterRequest { LeaseId = leaseId }, _owner.Call(CancellationToken.None)).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is RpcException or ObjectDisposedException or InvalidOperationException)
            {
                // Best effort: the lease expires by itself if the registry cannot be told.
                RegistryLog.DeregisterFailed(_owner.Logger, EmbeddedRegistryClient.Kind, Instance.InstanceId, ex);
            }
        }
        _stop.Dispose();
    }

    private async Task RunAsync(CancellationToken cancellationToken)
    {
        var backoff = _owner.NewBackoff(_ttl / 3);
        // The lease was just granted (or the first attempt failed): wait before the first renewal.
        var delay = LeaseId == 0 ? backoff.Next() : _ttl / 3;
        while (true)
        {
            try
            {
                await Task.Delay(delay, _owner.Time, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            try
            {
                if (LeaseId == 0)
                {
                    await RegisterOnceAsync(cancellationToken).ConfigureAwait(false);
                }
                else
                {
                    var response = await _owner.Client.KeepAliveAsync(new KeepAliveRequest { LeaseId = LeaseId }, _owner.Call(cancellationToken, _ttl / 3)).ConfigureAwait(false);
                    if (!response.Found)
                    {
                        RegistryLog.LeaseLost(_owner.Logger, EmbeddedRegistryClient.Kind, Instance.InstanceId);
                        RegistryMetrics.Reregistrations.Add(1, RegistryMetrics.Kind(EmbeddedRegistryClient.Kind));
                        Interlocked.Exchange(ref _leaseId, 0);
                        _held = false;
                        // Register again at once.
                        delay = TimeSpan.Zero;
                        continue;
                    }
                    _lastRenewed = _owner.Time.GetUtcNow();
                    _held = true;
                }
                backoff.Reset();
                delay = _ttl / 3;
            }
            catch (Exception) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                RegistryLog.KeepAliveFailed(_owner.Logger, EmbeddedRegistryClient.Kind, Instance.InstanceId, ex);
                RegistryMetrics.KeepAliveFailures.Add(1, RegistryMetrics.Kind(EmbeddedRegistryClient.Kind));
                if (_owner.Time.GetUtcNow() - _lastRenewed >= _ttl)
                {
                    _held = false;
                }
                delay = backoff.Next();
            }
        }
    }
}

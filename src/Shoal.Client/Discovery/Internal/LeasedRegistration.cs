using Microsoft.Extensions.Logging;
using Shoal.Discovery;
using Shoal.Instances;

namespace Shoal.Client.Discovery.Internal;

/// <summary>
/// The lease life cycle every remote registry shares: acquire a lease, renew it every third of its
/// TTL, acquire a new one at once when the registry no longer knows it, back off while the registry
/// is unreachable (the lease counts as lost once a whole TTL passed without a renewal), and release
/// it on dispose. A registry supplies only the three round trips.
/// </summary>
internal abstract class LeasedRegistration : IRegistration
{
    private readonly string _kind;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stop = new();
    private readonly OutageLog _outage;
    private Task _loop = Task.CompletedTask;
    private long _leaseId;
    private DateTimeOffset _lastRenewed;
    private volatile bool _held;
    private int _disposed;

    protected LeasedRegistration(ServiceInstance instance, TimeSpan requestedTtl, string kind, TimeProvider time, ILogger logger)
    {
        Instance = instance;
        RequestedTtl = requestedTtl;
        Ttl = requestedTtl;
        _kind = kind;
        _time = time;
        _outage = new OutageLog(time, OutageLog.DefaultSummaryInterval);
        _logger = logger;
    }

    public ServiceInstance Instance { get; }

    public bool IsLeaseHeld => _held;

    /// <summary>The current lease id (0 while none is held).</summary>
    internal long LeaseId => Interlocked.Read(ref _leaseId);

    /// <summary>The TTL that was asked for.</summary>
    protected TimeSpan RequestedTtl { get; }

    /// <summary>The TTL the registry granted (the requested one until a lease is held).</summary>
    protected TimeSpan Ttl { get; private set; }

    /// <summary>Acquires a lease and registers the instance under it.</summary>
    public async Task RegisterOnceAsync(CancellationToken cancellationToken)
    {
        var (leaseId, ttl) = await AcquireAsync(cancellationToken).ConfigureAwait(false);
        Ttl = ttl;
        Interlocked.Exchange(ref _leaseId, leaseId);
        _lastRenewed = _time.GetUtcNow();
        _held = true;
        RegistryLog.Registered(_logger, _kind, Instance.InstanceId, leaseId);
    }

    /// <summary>Starts the background keepalive loop.</summary>
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
        Forget();
        await StopKeepAliveAsync().ConfigureAwait(false);
        var leaseId = Interlocked.Exchange(ref _leaseId, 0);
        _held = false;
        if (leaseId != 0)
        {
            await ReleaseAsync(leaseId).ConfigureAwait(false);
        }
        _stop.Dispose();
    }

    /// <summary>Grants a lease and registers the instance under it; returns the lease id and the granted TTL.</summary>
    protected abstract Task<(long LeaseId, TimeSpan Ttl)> AcquireAsync(CancellationToken cancellationToken);

    /// <summary>One renewal; false when the registry no longer knows the lease.</summary>
    protected abstract Task<bool> RenewAsync(long leaseId, CancellationToken cancellationToken);

    /// <summary>Releases the lease, best effort: it expires by itself if the registry cannot be told.</summary>
    protected abstract Task ReleaseAsync(long leaseId);

    /// <summary>Removes this registration from its owner's list.</summary>
    protected abstract void Forget();

    /// <summary>A backoff for retries, growing to at most <paramref name="max"/>.</summary>
    protected abstract Backoff NewBackoff(TimeSpan max);

    private async Task RunAsync(CancellationToken cancellationToken)
    {
        var backoff = NewBackoff(Ttl / 3);
        // The lease was just granted (or the first attempt failed): wait before the first renewal.
        var delay = LeaseId == 0 ? backoff.Next() : Ttl / 3;
        while (true)
        {
            try
            {
                await Task.Delay(delay, _time, cancellationToken).ConfigureAwait(false);
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
                else if (await RenewAsync(LeaseId, cancellationToken).ConfigureAwait(false))
                {
                    _lastRenewed = _time.GetUtcNow();
                    _held = true;
                }
                else
                {
                    RegistryLog.LeaseLost(_logger, _kind, Instance.InstanceId);
                    RegistryMetrics.Reregistrations.Add(1, RegistryMetrics.Kind(_kind));
                    Interlocked.Exchange(ref _leaseId, 0);
                    _held = false;
                    // Acquire a new lease at once.
                    delay = TimeSpan.Zero;
                    continue;
                }
                backoff.Reset();
                if (_outage.Recover(out var failures, out var outage))
                {
                    RegistryLog.KeepAliveRecovered(_logger, _kind, Instance.InstanceId, failures, outage);
                }
                delay = Ttl / 3;
            }
            catch (Exception) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                // The first failure of an outage in full; then one line per summary interval, no stack trace.
                switch (_outage.Fail(out var failures, out var outage))
                {
                    case OutageStep.First:
                        RegistryLog.KeepAliveFailed(_logger, _kind, Instance.InstanceId, ex);
                        break;
                    case OutageStep.Summary:
                        RegistryLog.KeepAliveStillFailing(_logger, _kind, Instance.InstanceId, failures, outage, ex.Message);
                        break;
                }
                RegistryMetrics.KeepAliveFailures.Add(1, RegistryMetrics.Kind(_kind));
                if (_time.GetUtcNow() - _lastRenewed >= Ttl)
                {
                    _held = false;
                }
                delay = backoff.Next();
            }
        }
    }
}

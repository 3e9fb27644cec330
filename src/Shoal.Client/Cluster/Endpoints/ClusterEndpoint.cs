using Shoal.Client.Cluster.LoadBalancing.Internal;
using Shoal.Connections;
using Shoal.Instances;

namespace Shoal.Client.Cluster.Endpoints;

/// <summary>
/// One instance of the service as the cluster sees it: its connection over the chosen transport,
/// its load (in flight, peak-EWMA latency, error counts), its warm-up start, and the verdicts of
/// outlier ejection and health checking. Created by <see cref="ClusterDirectory"/>; pickers read
/// it without locks.
/// </summary>
public sealed partial class ClusterEndpoint
{
    private ServiceInstance _instance;
    private volatile bool _isEjected;
    private volatile bool _isHealthy = true;
    private long _ejectedUntilTicks;
    private int _ejectionCount;
    private int _disposed;

    /// <summary>Creates an endpoint (the directory does; public for tests and custom directories).</summary>
    /// <param name="instance">The instance.</param>
    /// <param name="connection">The connection to it.</param>
    /// <param name="timeProvider">The clock for latency decay.</param>
    /// <param name="warmupStart">When warm-up starts; the instance's start time when null (or now, when that is unknown).</param>
    /// <param name="ewmaDecay">The time constant of the peak-EWMA latency; 10 s when null.</param>
    /// <param name="zoneLoad">The counter of the endpoint's zone, or null.</param>
    public ClusterEndpoint(ServiceInstance instance, IConnection connection, TimeProvider timeProvider,
        DateTimeOffset? warmupStart = null, TimeSpan? ewmaDecay = null, ZoneLoad? zoneLoad = null)
    {
        _instance = instance ?? throw new ArgumentNullException(nameof(instance));
        Connection = connection ?? throw new ArgumentNullException(nameof(connection));
        _timeProvider = timeProvider ?? throw new ArgumentNullException(nameof(timeProvider));
        WarmupStart = warmupStart ?? (instance.StartTime != default ? instance.StartTime : timeProvider.GetUtcNow());
        var decay = ewmaDecay ?? TimeSpan.FromSeconds(10);
        _decayTicks = Math.Max(1, decay.TotalSeconds * timeProvider.TimestampFrequency);
        ZoneLoad = zoneLoad;
        _clock = new CoarseClock(timeProvider);
        _lastSample = _clock.GetTimestamp();
    }

    /// <summary>The instance (replaced when the registry reports a change to it, such as a new weight).</summary>
    public ServiceInstance Instance
    {
        get => Volatile.Read(ref _instance);
        internal set => Volatile.Write(ref _instance, value);
    }

    /// <summary>The connection calls go over.</summary>
    public IConnection Connection { get; }

    /// <summary>The address of <see cref="Connection"/>.</summary>
    public Uri Address => Connection.Address;

    /// <summary>The instance's zone.</summary>
    public string Zone => Instance.Zone;

    /// <summary>When the endpoint's warm-up started.</summary>
    public DateTimeOffset WarmupStart { get; }

    /// <summary>The zone counter this endpoint's calls are added to.</summary>
    public ZoneLoad? ZoneLoad { get; }

    /// <summary>Whether outlier ejection took it out of rotation.</summary>
    public bool IsEjected => _isEjected;

    /// <summary>When the current ejection ends (meaningful while <see cref="IsEjected"/>).</summary>
    public DateTimeOffset EjectedUntil => new(Interlocked.Read(ref _ejectedUntilTicks), TimeSpan.Zero);

    /// <summary>How many times it was ejected (decays while it behaves); the next ejection lasts this many base times plus one.</summary>
    public int EjectionCount => Volatile.Read(ref _ejectionCount);

    /// <summary>False when the active health check last said it is not serving.</summary>
    public bool IsHealthy => _isHealthy;

    /// <summary>Whether the connection is ready for new calls.</summary>
    public bool IsConnectionReady => Connection.State == ConnectionState.Ready;

    /// <summary>Whether a picker may choose it: the connection is ready, it is not ejected and not failing health checks.</summary>
    public bool IsPickable => IsConnectionReady && !_isEjected && _isHealthy;

    internal void Eject(DateTimeOffset until)
    {
        Interlocked.Exchange(ref _ejectedUntilTicks, until.UtcTicks);
        Interlocked.Increment(ref _ejectionCount);
        _isEjected = true;
    }

    internal void Restore() => _isEjected = false;

    internal void DecayEjectionCount()
    {
        var count = Volatile.Read(ref _ejectionCount);
        if (count > 0)
        {
            Interlocked.CompareExchange(ref _ejectionCount, count - 1, count);
        }
    }

    internal bool SetHealthy(bool healthy)
    {
        var changed = _isHealthy != healthy;
        _isHealthy = healthy;
        return changed;
    }

    /// <summary>True the first time only: the caller disposes the connection.</summary>
    internal bool TryMarkDisposed() => Interlocked.Exchange(ref _disposed, 1) == 0;

    /// <inheritdoc/>
    public override string ToString() => $"{Instance.InstanceId}@{Address}";
}

using System.Diagnostics.Metrics;
using Grpc.Core;
using Shoal.Server.Load.Internal;
using Shoal.Server.Native;
using Shoal.Telemetry.Internal;

namespace Shoal.Server.Load;

/// <summary>
/// Measures the load of one server on both transports and publishes it once per window: calls
/// completed per second, calls in flight, latency p50/p99, errors and CPU utilisation.
/// </summary>
/// <remarks>
/// <para>
/// The call path touches only cumulative counters: <see cref="OnCallStarted"/> and
/// <see cref="OnCallCompleted"/> are a timestamp and one <see cref="Interlocked"/> increment each
/// (two at the end of a failed call), with no lock and no allocation. At the end of each window a timer diffs the counters against the
/// previous window's and publishes one immutable <see cref="ServerLoadWindow"/>; the meter, the
/// LoadReporter service and <see cref="Latest"/> all read that object, so they always agree.
/// </para>
/// <para>
/// Calls of the infrastructure services (load reporting, health, reflection) are not counted: a
/// watch stream is open for as long as someone watches, and would otherwise read as a call in flight.
/// </para>
/// </remarks>
public sealed partial class ServerLoadMonitor : INativeCallObserver, IDisposable
{
    /// <summary>The name of the meter the windows are published through.</summary>
    public const string MeterName = "Shoal.Server";

    private readonly TimeProvider _time;
    private readonly Func<TimeSpan> _cpuTime;
    private readonly double _cores;
    private readonly double _microsecondsPerTick;
    private readonly LatencyHistogram _latency = new();
    private readonly long[] _previousBuckets = new long[LatencyHistogram.BucketCount];
    private readonly long[] _currentBuckets = new long[LatencyHistogram.BucketCount];
    private readonly Lock _rollGate = new();
    private readonly CancellationTokenSource _stopping = new();
    private readonly ITimer _timer;
    private readonly Meter? _ownedMeter;
    private long _started;
    private long _errors;
    private long _previousCompleted;
    private long _previousErrors;
    private long _windowStartTimestamp;
    private DateTimeOffset _windowStart;
    private TimeSpan _previousCpu;
    private ServerLoadWindow _latest;
    private TaskCompletionSource<ServerLoadWindow> _next = NewWaiter();
    private int _disposed;

    /// <summary>Creates a monitor; its first window starts now.</summary>
    /// <param name="instanceId">The id the windows carry (the server's registered instance id).</param>
    /// <param name="options">The window and CPU allotment; null for the defaults.</param>
    /// <param name="time">The clock; null for the system clock.</param>
    /// <param name="meterFactory">Creates the <c>Shoal.Server</c> meter; null to create it directly.</param>
    public ServerLoadMonitor(string instanceId, ServerLoadOptions? options = null, TimeProvider? time = null, IMeterFactory? meterFactory = null)
        : this(instanceId, options, time, meterFactory, static () => Environment.CpuUsage.TotalTime)
    {
    }

    internal ServerLoadMonitor(string instanceId, ServerLoadOptions? options, TimeProvider? time, IMeterFactory? meterFactory, Func<TimeSpan> cpuTime)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(instanceId);
        options ??= new ServerLoadOptions();
        Validate(options);
        InstanceId = instanceId;
        Window = options.Window;
        _cores = options.CpuAllotment ?? Environment.ProcessorCount;
        _time = time ?? TimeProvider.System;
        _cpuTime = cpuTime;
        _microsecondsPerTick = 1_000_000.0 / _time.TimestampFrequency;
        _windowStartTimestamp = _time.GetTimestamp();
        _windowStart = _time.GetUtcNow();
        _previousCpu = cpuTime();
        _latest = ServerLoadWindow.Empty(instanceId, _windowStart);
        _ownedMeter = ServerLoadMetrics.Create(this, meterFactory);
        _timer = _time.CreateTimer(static state => ((ServerLoadMonitor)state!).Roll(), this, Window, Window);
    }

    /// <summary>Gets the instance id the windows carry.</summary>
    public string InstanceId { get; }

    /// <summary>Gets the window length.</summary>
    public TimeSpan Window { get; }

    /// <summary>Gets the latest completed window (an empty one with sequence 0 before the first ends).</summary>
    public ServerLoadWindow Latest => Volatile.Read(ref _latest);

    /// <summary>Gets the calls in flight right now (the windows carry the count at their end).</summary>
    public long InFlight => Math.Max(0, Volatile.Read(ref _started) - _latency.Total());

    /// <summary>Gets a token cancelled when the server begins to stop: watchers end their streams then.</summary>
    public CancellationToken Stopping => _stopping.Token;

    /// <summary>Whether calls of <paramref name="method"/> count: not those of load reporting, health or reflection.</summary>
    /// <param name="method">The full method name, <c>/package.Service/Method</c>.</param>
    /// <returns>True when the call is measured.</returns>
    public static bool IsMeasured(string method)
    {
        ArgumentNullException.ThrowIfNull(method);
        return !(method.StartsWith("/shoal.load.v1.", StringComparison.Ordinal)
            || method.StartsWith("/grpc.health.v1.", StringComparison.Ordinal)
            || method.StartsWith("/grpc.reflection.", StringComparison.Ordinal));
    }

    /// <inheritdoc/>
    public long OnCallStarted(string method)
    {
        if (!IsMeasured(method))
        {
            return 0;
        }
        Interlocked.Increment(ref _started);
        // 0 means "not measured", so a (theoretical) zero timestamp is nudged to 1.
        return Math.Max(1, _time.GetTimestamp());
    }

    /// <inheritdoc/>
    public void OnCallCompleted(long token, StatusCode status)
    {
        if (token == 0)
        {
            return;
        }
        var elapsed = _time.GetTimestamp() - token;
        // The histogram's counts are also the completed calls (and started minus completed the
        // calls in flight), so an OK call costs one atomic increment at each end. The error is
        // counted after the completion, and a window reads errors first: never more errors than calls.
        _latency.RecordConcurrent((long)(elapsed * _microsecondsPerTick));
        if (status != StatusCode.OK)
        {
            Interlocked.Increment(ref _errors);
        }
    }

    /// <summary>
    /// Waits for a window newer than <paramref name="afterSequence"/>: returns at once when
    /// <see cref="Latest"/> already is one.
    /// </summary>
    /// <param name="afterSequence">The sequence of the last window the caller has.</param>
    /// <param name="cancellationToken">Stops waiting.</param>
    /// <returns>The newer window.</returns>
    public Task<ServerLoadWindow> WaitForWindowAsync(long afterSequence, CancellationToken cancellationToken = default)
    {
        var waiter = Volatile.Read(ref _next);
        var latest = Latest;
        if (latest.Sequence > afterSequence)
        {
            return Task.FromResult(latest);
        }
        return waiter.Task.WaitAsync(cancellationToken);
    }

    /// <summary>The server begins to stop: ends every watch stream (measuring goes on until disposed).</summary>
    public void StopReporting()
    {
        try
        {
            _stopping.Cancel();
        }
        catch (ObjectDisposedException)
        {
        }
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }
        _timer.Dispose();
        StopReporting();
        _ownedMeter?.Dispose();
        _stopping.Dispose();
    }

    private static void Validate(ServerLoadOptions options)
    {
        if (options.Window < TimeSpan.FromMilliseconds(10))
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.Window, "Shoal:Server:Load:Window must be at least 10 ms.");
        }
        if (options.CpuAllotment is { } cores && !(cores > 0 && double.IsFinite(cores)))
        {
            throw new ArgumentOutOfRangeException(nameof(options), cores, "Shoal:Server:Load:CpuAllotment must be a positive number of cores.");
        }
    }

    private static TaskCompletionSource<ServerLoadWindow> NewWaiter() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}

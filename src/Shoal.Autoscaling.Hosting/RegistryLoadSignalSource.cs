using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Shoal.Autoscaling.Hosting.Internal;
using Shoal.Autoscaling.Signals;
using Shoal.Connections;
using Shoal.Discovery;
using Shoal.Instances;
using Shoal.Targets;

namespace Shoal.Autoscaling.Hosting;

/// <summary>
/// The live load of a service: watches its instances in a registry (any cluster target a
/// <c>ShoalChannel</c> resolves), keeps a <c>shoal.load.v1.LoadReporter/Watch</c> stream open to
/// each, and feeds their windows to a <see cref="LoadAggregator"/>, which the controller reads.
/// </summary>
/// <remarks>
/// An instance that joins is watched at once; a failed or ended stream is reopened with a doubling
/// delay; an instance that leaves the registry stops counting at once, and one that stops reporting
/// without leaving (a hung process) stops counting when its last report grows stale. While the
/// registry is unreachable the last known set of instances is kept.
/// </remarks>
public sealed partial class RegistryLoadSignalSource : ILoadSignalSource, IAsyncDisposable
{
    private readonly RegistryLoadSignalOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly IServiceResolverFactory _resolverFactory;
    private readonly IReadOnlyList<IConnectionFactory> _connectionFactories;
    private readonly ShoalTarget _target;
    private readonly Dictionary<string, InstanceLoadWatcher> _watchers = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();
    private readonly CancellationTokenSource _stop = new();
    private Task? _run;
    private int _disposed;

    /// <summary>Creates the source; nothing is watched until <see cref="Start"/>.</summary>
    /// <param name="options">The target and reconnect settings.</param>
    /// <param name="time">The clock (report staleness, reconnect delays); null for the system clock.</param>
    /// <param name="loggerFactory">Where instances joining and leaving are logged; none when null.</param>
    /// <exception cref="ArgumentException">The settings are invalid.</exception>
    /// <exception cref="FormatException">The target is malformed or not a cluster target.</exception>
    /// <exception cref="NotSupportedException">No resolver handles the target's scheme.</exception>
    public RegistryLoadSignalSource(RegistryLoadSignalOptions options, TimeProvider? time = null, ILoggerFactory? loggerFactory = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _options = options;
        _time = time ?? TimeProvider.System;
        _logger = (ILogger?)loggerFactory?.CreateLogger<RegistryLoadSignalSource>() ?? NullLogger.Instance;
        _target = ShoalTarget.Parse(options.Target);
        if (_target.IsDirect)
        {
            throw new FormatException($"'{options.Target}' names one instance; the load signal needs a cluster target (registry://, etcd://, static://, dns:///).");
        }
        Service = ServiceOf(_target);
        _resolverFactory = options.Channel.GetResolverFactory(_target.Scheme);
        _connectionFactories = options.Channel.CreateConnectionFactories();
        Aggregator = new LoadAggregator(_time, options.StaleAfter);
    }

    /// <summary>Gets the service whose instances are watched.</summary>
    public string Service { get; }

    /// <summary>Gets the aggregator the instances' reports go to.</summary>
    public LoadAggregator Aggregator { get; }

    /// <summary>Gets the registry ids of the instances watched now.</summary>
    public IReadOnlyList<string> Instances
    {
        get
        {
            lock (_gate)
            {
                return [.. _watchers.Keys];
            }
        }
    }

    /// <summary>Gets the number of load reports received so far, from every instance.</summary>
    public long ReportsReceived
    {
        get
        {
            lock (_gate)
            {
                return _watchers.Values.Sum(w => w.Reports);
            }
        }
    }

    /// <summary>Starts watching the registry (once; later calls do nothing).</summary>
    public void Start()
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        lock (_gate)
        {
            _run ??= Task.Run(() => WatchRegistryAsync(_stop.Token));
        }
    }

    /// <inheritdoc/>
    public ClusterLoad Read() => Aggregator.Read();

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }
        _stop.Cancel();
        Task? run;
        lock (_gate)
        {
            run = _run;
        }
        if (run is not null)
        {
            try
            {
                await run.ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
            }
        }
        InstanceLoadWatcher[] watchers;
        lock (_gate)
        {
            watchers = [.. _watchers.Values];
            _watchers.Clear();
        }
        foreach (var watcher in watchers)
        {
            await watcher.DisposeAsync().ConfigureAwait(false);
        }
        _stop.Dispose();
    }

    private static string ServiceOf(ShoalTarget target)
    {
        if (target.Scheme is "registry" or "etcd")
        {
            return target.Path.Length > 0
                ? target.Path
                : throw new FormatException($"'{target.Original}' names no service; add it as the path, such as {target.Scheme}://{target.Authority}/hello.Greeter.");
        }
        if (target.Query.TryGetValue("service", out var service) && !string.IsNullOrWhiteSpace(service))
        {
            return service;
        }
        return target.Path.Length > 0 ? target.Path : target.Scheme;
    }
}

using Grpc.Core;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Shoal.Client.Cluster.Endpoints;
using Shoal.Client.Cluster.FaultTolerance;
using Shoal.Client.Cluster.Health;
using Shoal.Client.Cluster.Internal;
using Shoal.Client.Cluster.LoadBalancing;
using Shoal.Client.Cluster.LoadBalancing.Internal;
using Shoal.Client.Cluster.OutlierDetection;
using Shoal.Connections;
using Shoal.Discovery;

namespace Shoal.Client.Cluster;

/// <summary>
/// A <see cref="CallInvoker"/> for one service made of many instances: the resolver says who they
/// are, the directory keeps a connection to each, the load balancer picks one per attempt, the
/// fault-tolerance strategy of the method decides about failures, outlier ejection and health
/// checks keep bad instances out. Hand it to a generated client: <c>new Greeter.GreeterClient(invoker)</c>.
/// </summary>
/// <remarks>
/// Unary calls run through their method's strategy. Streaming calls pick once: a pick that lands
/// on a connection that is no longer ready is repeated (nothing was sent yet), but once the
/// stream has started its errors reach the caller; no strategy applies to them.
/// </remarks>
public sealed partial class ClusterCallInvoker : CallInvoker, IAsyncDisposable, IRefusedCallRedirector
{
    private readonly ClusterOptions _options;
    private readonly ClusterDirectory _directory;
    private readonly BalancerHost _balancer;
    private readonly ClusterRuntime _runtime;
    private readonly MethodPolicyTable _policies;
    private readonly IReadOnlyDictionary<string, IFaultToleranceStrategy> _strategies;
    private readonly OutlierDetector? _outliers;
    private readonly ActiveHealthChecker? _health;
    private readonly TimeProvider _timeProvider;
    private int _disposed;

    /// <summary>Creates the cluster client; call <see cref="StartAsync(CancellationToken)"/> (or use the static <c>StartAsync</c>) before the first call.</summary>
    /// <param name="service">The service, such as <c>hello.Greeter</c>.</param>
    /// <param name="resolver">Where instances come from.</param>
    /// <param name="connectionFactories">One factory per transport; an instance is reached over the first preferred transport a factory supports.</param>
    /// <param name="options">Policies and limits; defaults when null.</param>
    /// <param name="dependencies">Clock, randomness, logging and extra factories; defaults when null.</param>
    /// <exception cref="Microsoft.Extensions.Options.OptionsValidationException">The options are invalid (every problem is listed).</exception>
    public ClusterCallInvoker(string service, IServiceResolver resolver, IEnumerable<IConnectionFactory> connectionFactories,
        ClusterOptions? options = null, ClusterDependencies? dependencies = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(service);
        ArgumentNullException.ThrowIfNull(resolver);
        ArgumentNullException.ThrowIfNull(connectionFactories);
        _options = options ?? new ClusterOptions();
        var deps = dependencies ?? new ClusterDependencies();
        new ClusterOptionsValidator(deps.LoadBalancers, deps.Strategies).ThrowIfInvalid(_options);
        if (_options.LoadBalancing.UseServerLoad && deps.LoadReporter is null)
        {
            throw new Microsoft.Extensions.Options.OptionsValidationException(Microsoft.Extensions.Options.Options.DefaultName, typeof(ClusterOptions),
                ["LoadBalancing:UseServerLoad needs a load reporter (ClusterDependencies.LoadReporter); Shoal.Client's ShoalChannel supplies one."]);
        }
        _timeProvider = deps.TimeProvider;
        var logger = (ILogger?)deps.LoggerFactory?.CreateLogger("Shoal.Cluster") ?? NullLogger.Instance;
        Service = service;

        var balancers = ByName(ClusterFactories.BuiltInLoadBalancers(), deps.LoadBalancers, f => f.Name);
        var balancer = balancers[_options.LoadBalancing.Policy].Create(
            new LoadBalancerContext(service, _options.LoadBalancing, _timeProvider, deps.Random));
        _balancer = new BalancerHost(balancer, _options.LoadBalancing, _options.Zone, _timeProvider);

        var outcome = new UnaryOutcome(new StatusCodeSet(_options.OutlierEjection.EffectiveFailureStatusCodes));
        _directory = new ClusterDirectory(service, resolver, connectionFactories, new ClusterDirectoryOptions
        {
            Transports = [.. _options.EffectiveTransports],
            EwmaDecay = _options.LoadBalancing.EwmaDecay,
            RemovedConnectionGrace = _options.RemovedConnectionGrace,
            Outcome = outcome,
            LocalZone = _options.LoadBalancing.PreferLocalZone ? _options.Zone : null,
            LoadReporter = _options.LoadBalancing.UseServerLoad ? deps.LoadReporter : null,
            Random = deps.Random,
            Redirector = this,
        }, _timeProvider, logger);
        _directory.SnapshotChanged += _balancer.Update;

        var strategyFactories = ByName(ClusterFactories.BuiltInStrategies(), deps.Strategies, f => f.Name);
        var context = new StrategyContext(service, _timeProvider, logger, _options.FailbackQueueCapacity);
        _strategies = _options.Methods.Values.Append(_options.DefaultMethod)
            .Select(p => p.Strategy).Distinct(StringComparer.Ordinal)
            .ToDictionary(name => name, name => strategyFactories[name].Create(context), StringComparer.Ordinal);
        _policies = new MethodPolicyTable(_options, _strategies, new MethodContracts(deps.ServiceDescriptors), service, logger);

        var budget = new RetryBudget(_options.RetryBudget, _timeProvider);
        _runtime = new ClusterRuntime(service, _directory, _balancer, budget, outcome,
            _options.WaitForReadyTimeout, _timeProvider, logger);
        if (_options.OutlierEjection.Enabled)
        {
            _outliers = new OutlierDetector(_directory, _options.OutlierEjection, _timeProvider, logger);
        }
        if (_options.HealthChecks.Enabled)
        {
            _health = new ActiveHealthChecker(_directory, _options.HealthChecks, _timeProvider, logger);
        }
    }

    /// <summary>The service this invoker calls.</summary>
    public string Service { get; }

    /// <summary>The directory of endpoints (for diagnostics and metrics).</summary>
    public ClusterDirectory Directory => _directory;

    /// <summary>The current snapshot of endpoints.</summary>
    public EndpointSnapshot Snapshot => _directory.Snapshot;

    /// <summary>The retry budget of this cluster.</summary>
    public RetryBudget RetryBudget => _runtime.Budget;

    /// <summary>The current picker (for diagnostics and tests).</summary>
    public IPicker CurrentPicker => _balancer.Current;

    /// <summary>Creates the cluster client and starts it (see <see cref="StartAsync(CancellationToken)"/>).</summary>
    public static async Task<ClusterCallInvoker> StartAsync(string service, IServiceResolver resolver, IEnumerable<IConnectionFactory> connectionFactories,
        ClusterOptions? options = null, ClusterDependencies? dependencies = null, CancellationToken cancellationToken = default)
    {
        var invoker = new ClusterCallInvoker(service, resolver, connectionFactories, options, dependencies);
        try
        {
            await invoker.StartAsync(cancellationToken).ConfigureAwait(false);
            return invoker;
        }
        catch
        {
            await invoker.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>
    /// Starts watching the resolver (and health checking) and waits up to
    /// <see cref="ClusterOptions.StartTimeout"/> for the first instance set. Returns false when it
    /// did not come in time; calls then wait for ready instances as usual.
    /// </summary>
    public async Task<bool> StartAsync(CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        _directory.Start();
        _health?.Start();
        try
        {
            await Task.WhenAny(_directory.FirstSetApplied, _directory.WatchEnded).WaitAsync(_options.StartTimeout, _timeProvider, cancellationToken).ConfigureAwait(false);
            return _directory.FirstSetApplied.IsCompletedSuccessfully;
        }
        catch (TimeoutException)
        {
            return false;
        }
    }

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }
        _directory.SnapshotChanged -= _balancer.Update;
        _outliers?.Dispose();
        if (_health is not null)
        {
            await _health.DisposeAsync().ConfigureAwait(false);
        }
        foreach (var strategy in _strategies.Values)
        {
            (strategy as IDisposable)?.Dispose();
        }
        _balancer.Dispose();
        await _directory.DisposeAsync().ConfigureAwait(false);
    }

    private static Dictionary<string, T> ByName<T>(IEnumerable<T> builtIn, IEnumerable<T> extra, Func<T, string> name)
    {
        var result = new Dictionary<string, T>(StringComparer.Ordinal);
        foreach (var item in builtIn.Concat(extra))
        {
            result[name(item)] = item;
        }
        return result;
    }
}

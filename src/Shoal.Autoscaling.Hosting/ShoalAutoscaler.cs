using System.Diagnostics.Metrics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Shoal.Autoscaling.Actuators;
using Shoal.Autoscaling.Capacity;
using Shoal.Autoscaling.Hosting.Internal;
using Shoal.Autoscaling.Policy;
using Shoal.Autoscaling.Signals;
using Shoal.Client;

namespace Shoal.Autoscaling.Hosting;

/// <summary>
/// The autoscaler of one service on a live cluster, assembled from <see cref="ShoalAutoscalerOptions"/>:
/// the servers' load reports (<see cref="RegistryLoadSignalSource"/>), Shoal's predictive policy with a
/// configured or learned capacity, the actuator, and the <see cref="AutoscaleController"/> that ties them.
/// </summary>
public sealed class ShoalAutoscaler : IAsyncDisposable
{
    private readonly RecordingSignalSource _recording;
    private readonly TimeSpan _interval;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly AutoscalingMetrics _metrics;
    private int _disposed;

    private ShoalAutoscaler(ShoalAutoscalerOptions options, RegistryLoadSignalSource signals, IScaleActuator actuator, TimeProvider time, ILoggerFactory? loggerFactory, IMeterFactory? meterFactory)
    {
        Signals = signals;
        Actuator = actuator;
        Options = options;
        _time = time;
        _interval = options.Interval;
        _logger = (ILogger?)loggerFactory?.CreateLogger<ShoalAutoscaler>() ?? NullLogger.Instance;
        _recording = new RecordingSignalSource(signals);
        Capacity = options.Capacity is { } capacity
            ? new FixedCapacityModel(capacity)
            : new LearnedCapacityModel(new LearnedCapacityOptions { DefaultRequestsPerSecond = options.InitialCapacity, LatencyObjective = options.LatencyObjective });
        var policyOptions = new ShoalPolicyOptions
        {
            MinReplicas = options.MinReplicas,
            MaxReplicas = options.MaxReplicas,
            LeadTime = options.LeadTime,
            ControlInterval = options.Interval,
            ForecastInterval = options.ForecastInterval ?? options.Interval * 4,
            ScaleDownStabilisation = options.ScaleDownStabilisation,
            Nines = options.Nines,
            ErrorWindow = options.ErrorWindow,
            MaxSeason = options.MaxSeason,
            GrowthMemory = options.GrowthMemory,
        };
        Quantile = policyOptions.Quantile;
        var policy = new ShoalScalingPolicy(policyOptions, Capacity, forecaster: null, loggerFactory?.CreateLogger<ShoalScalingPolicy>());
        _metrics = new AutoscalingMetrics(_recording, meterFactory);
        Controller = new AutoscaleController(_recording, policy, actuator, time, options.Interval, loggerFactory?.CreateLogger<AutoscaleController>(), _metrics)
        {
            MinReplicas = options.MinReplicas,
            MaxReplicas = options.MaxReplicas,
        };
    }

    /// <summary>Raised after every control tick with the decision and the load it was taken on.</summary>
    public event EventHandler<AutoscaleDecision>? Decided;

    /// <summary>Gets the live load signal.</summary>
    public RegistryLoadSignalSource Signals { get; }

    /// <summary>Gets the actuator.</summary>
    public IScaleActuator Actuator { get; }

    /// <summary>Gets the capacity model (fixed, or learned from the load reports).</summary>
    public ICapacityModel Capacity { get; }

    /// <summary>Gets the control loop.</summary>
    public AutoscaleController Controller { get; }

    /// <summary>Gets the settings it was assembled from.</summary>
    public ShoalAutoscalerOptions Options { get; }

    /// <summary>Gets the forecast quantile the policy provisions for (0.999 for three nines).</summary>
    public double Quantile { get; }

    /// <summary>Gets the latest ticks, recorded before <see cref="Decided"/> is raised (what <see cref="AutoscalerStatusService"/> serves).</summary>
    public AutoscaleHistory History { get; } = new();

    /// <summary>Assembles the autoscaler; nothing runs until <see cref="RunAsync"/> (or <see cref="Start"/> and <see cref="TickAsync"/>).</summary>
    /// <param name="options">The settings.</param>
    /// <param name="time">The clock; null for the system clock.</param>
    /// <param name="loggerFactory">Where decisions and events are logged; none when null.</param>
    /// <param name="meterFactory">Creates the <c>Shoal.Autoscaling</c> meter; null to create it directly.</param>
    /// <param name="actuator">An actuator to use instead of the one the options name.</param>
    /// <param name="configureChannel">Adjusts the channel options the load signal resolves the target with (a provider's resolver: <c>o => o.UseEtcd()</c>).</param>
    /// <param name="actuators">
    /// The actuator providers <see cref="ShoalAutoscalerOptions.Actuator"/> chooses from besides the built-in
    /// <c>dry-run</c> and <c>local</c> (<c>KubernetesActuatorProvider</c>, <c>ContainerActuatorProvider</c>).
    /// </param>
    /// <returns>The autoscaler.</returns>
    /// <exception cref="ArgumentException">The settings are invalid, or no provider has the actuator's name; the message lists why.</exception>
    public static ShoalAutoscaler Create(ShoalAutoscalerOptions options, TimeProvider? time = null, ILoggerFactory? loggerFactory = null, IMeterFactory? meterFactory = null, IScaleActuator? actuator = null, Action<ShoalChannelOptions>? configureChannel = null, IEnumerable<IScaleActuatorProvider>? actuators = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        var providers = ScaleActuatorProviders.WithBuiltIns(options, actuators);
        var failures = ShoalAutoscalerOptionsValidator.Check(options, providers);
        if (failures.Count > 0)
        {
            throw new ArgumentException(string.Join(" ", failures), nameof(options));
        }
        time ??= TimeProvider.System;
        var channel = new ShoalChannelOptions { LoggerFactory = loggerFactory };
        configureChannel?.Invoke(channel);
        var signals = new RegistryLoadSignalSource(
            new RegistryLoadSignalOptions { Target = options.LoadTarget(), StaleAfter = options.StaleAfter, Channel = channel },
            time,
            loggerFactory);
        actuator ??= ScaleActuatorProviders.Find(providers, options.Actuator)!.Create(
            new ScaleActuatorContext { Time = time, LoggerFactory = loggerFactory, InitialReplicas = options.InitialReplicas });
        return new ShoalAutoscaler(options, signals, actuator, time, loggerFactory, meterFactory);
    }

    /// <summary>Starts watching the instances' load (<see cref="RunAsync"/> does it too).</summary>
    public void Start() => Signals.Start();

    /// <summary>Runs one control tick: read the load, decide, act, learn the capacity, raise <see cref="Decided"/>.</summary>
    /// <param name="cancellationToken">Cancels the tick.</param>
    /// <returns>The tick's decision.</returns>
    public async Task<AutoscaleDecision> TickAsync(CancellationToken cancellationToken = default)
    {
        var decision = await Controller.TickAsync(cancellationToken).ConfigureAwait(false);
        var load = _recording.Last;
        if (load.Instances > 0 && load.RequestsPerSecond > 0)
        {
            Capacity.Observe(load.RequestsPerSecondPerInstance, load.P99);
        }
        LoadSignalLog.Decided(_logger, decision.Reason.ToString(), decision.CurrentReplicas, decision.Desired, load.RequestsPerSecond, load.Instances, decision.Forecast, decision.Capacity);
        var result = new AutoscaleDecision(decision, load, Actuator.Name);
        History.Record(result);
        Decided?.Invoke(this, result);
        return result;
    }

    /// <summary>Watches the load and ticks every control interval until cancelled; a failing tick is logged and the loop goes on.</summary>
    /// <param name="cancellationToken">Stops the loop.</param>
    /// <returns>A task that completes when the loop stops.</returns>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        Start();
        using var timer = new PeriodicTimer(_interval, _time);
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false))
            {
                try
                {
                    await TickAsync(cancellationToken).ConfigureAwait(false);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    LoadSignalLog.TickFailed(_logger, e);
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }
        await Signals.DisposeAsync().ConfigureAwait(false);
        switch (Actuator)
        {
            case IAsyncDisposable asyncDisposable:
                await asyncDisposable.DisposeAsync().ConfigureAwait(false);
                break;
            case IDisposable disposable:
                disposable.Dispose();
                break;
        }
        _metrics.Dispose();
    }
}

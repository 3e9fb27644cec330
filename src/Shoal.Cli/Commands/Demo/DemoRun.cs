using System.Diagnostics;
using System.Globalization;
using Hello;
using Shoal.Autoscaling.Actuators;
using Shoal.Autoscaling.Hosting;
using Shoal.Autoscaling.Policy;
using Shoal.Cli.Hosting;
using Shoal.Client;
using Shoal.Client.Cluster;

namespace Shoal.Cli.Commands.Demo;

/// <summary>
/// One run of the autoscaling demo: the load, the kill, and the record of it all. The control loop is the
/// production one: a <see cref="ShoalAutoscaler"/> (as <c>shoal autoscale run</c> and <c>AddShoalAutoscaler</c>
/// build it) reading the instances' <c>LoadReporter</c> streams through the registry, deciding with Shoal's
/// policy and acting through the local actuator.
/// </summary>
internal sealed partial class DemoRun
{
    private readonly AutoscaleDemoSettings _settings;
    private readonly DemoLoadShape _shape;
    private readonly LocalProcessActuator _actuator;
    private readonly TextWriter _progress;
    private readonly List<DemoTimelinePoint> _timeline = [];
    private readonly List<DemoEvent> _events = [];
    private readonly HashSet<int> _pids = [];
    private readonly Stopwatch _clock = new();
    private int _killedPid;

    public DemoRun(AutoscaleDemoSettings settings, DemoLoadShape shape, LocalProcessActuator actuator, TextWriter progress)
    {
        _settings = settings;
        _shape = shape;
        _actuator = actuator;
        _progress = progress;
        _actuator.Changed += OnChanged;
    }

    /// <summary>The provisioning lead time the policy plans for: measured on the first instance, at least 2 s.</summary>
    public TimeSpan LeadTime { get; private set; }

    public async Task<AutoscaleDemoReport> ExecuteAsync(string registry, CancellationToken cancellationToken)
    {
        var ticks = _shape.Rates.Count;
        var channel = ShoalChannel.ForTarget($"{registry}/hello.Greeter", AutoscaleDemoRunner.ChannelOptions(_settings.RegistryTokenFile));
        await using (channel.ConfigureAwait(false))
        {
            var invoker = channel.ClusterInvoker!;
            var cluster = invoker as ClusterCallInvoker ?? throw new InvalidOperationException("The registry target did not give a cluster invoker.");
            var first = Stopwatch.StartNew();
            var killAfter = Math.Max(1, ticks / 2);
            var killBy = Math.Max(killAfter, ticks * 3 / 4);
            await _actuator.ScaleAsync(_settings.MinReplicas, cancellationToken).ConfigureAwait(false);
            RememberPids();
            await AutoscaleDemoRunner.WaitForFirstCallAsync(new Greeter.GreeterClient(invoker), cancellationToken).ConfigureAwait(false);
            LeadTime = TimeSpan.FromSeconds(Math.Clamp(Math.Ceiling(first.Elapsed.TotalSeconds + 0.5), 3, 8));
            await _progress.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"First {_settings.MinReplicas} instance(s) started; serving after {first.Elapsed.TotalSeconds:0.0} s: the policy plans {LeadTime.TotalSeconds:0} s ahead.")).ConfigureAwait(false);
            await _progress.WriteLineAsync(Header()).ConfigureAwait(false);

            var autoscaler = ShoalAutoscaler.Create(DemoComparison.AutoscalerOptions(_settings, registry, LeadTime), TimeProvider.System, actuator: _actuator,
                configureChannel: channel => channel.RegistryTokenFile = _settings.RegistryTokenFile);
            var generator = new DemoLoadGenerator(invoker, AutoscaleDemoRunner.MaxInFlight, TimeSpan.FromSeconds(30));
            await using (autoscaler.ConfigureAwait(false))
            {
                // A dashboard of the demo's registry finds the autoscaler here and draws its ticks.
                var status = await AutoscalerStatusHost.StartAsync(autoscaler, _settings.RegistryTokenFile, cancellationToken).ConfigureAwait(false);
                await using var statusScope = status.ConfigureAwait(false);
                autoscaler.Start();
                _clock.Start();
                var load = generator.RunAsync(_shape.RateAt, _shape.Duration, cancellationToken);
                for (var i = 1; i <= ticks; i++)
                {
                    var due = _settings.Interval * i;
                    var wait = due - _clock.Elapsed;
                    if (wait > TimeSpan.Zero)
                    {
                        await Task.Delay(wait, cancellationToken).ConfigureAwait(false);
                    }
                    await TickAsync(i, generator, autoscaler, cluster, cancellationToken).ConfigureAwait(false);
                    // Midway, once two or more instances serve (or at three quarters regardless): SIGKILL one.
                    if (_settings.Kill && _killedPid == 0 && i >= killAfter && (i >= killBy || _timeline[^1].Ready >= 2))
                    {
                        await KillOneAsync().ConfigureAwait(false);
                    }
                }
                await load.ConfigureAwait(false);
                await _progress.WriteLineAsync("Load done; draining every instance (SIGTERM: deregister, finish calls in flight, exit).").ConfigureAwait(false);
                await _actuator.ScaleAsync(0, CancellationToken.None).ConfigureAwait(false);
                await _actuator.WhenIdleAsync().ConfigureAwait(false);
                RememberPids();
            }
            var total = generator.Total;
            return new AutoscaleDemoReport
            {
                Calls = generator.Started,
                Failed = generator.Failed,
                P99Ms = Math.Round(total.Count == 0 ? 0 : total.ValueAt(99) / 1e6, 1),
                P50Ms = Math.Round(total.Count == 0 ? 0 : total.ValueAt(50) / 1e6, 1),
                ScaleOuts = _events.Count(e => e.Kind == "scale-out"),
                ScaleIns = _events.Count(e => e.Kind == "scale-in"),
                Restarts = _events.Count(e => e.Kind == "restarted"),
                Timeline = _timeline,
                Events = _events,
                CapacityPerInstance = _settings.Capacity,
                PeakRps = Math.Round(_shape.Peak, 1),
                Trace = _shape.Source,
                DurationSeconds = _shape.Duration.TotalSeconds,
                IntervalSeconds = _settings.Interval.TotalSeconds,
                LeadTimeSeconds = LeadTime.TotalSeconds,
                Registry = registry,
                Processes = [.. _pids.Order()],
                KilledPid = _killedPid,
                Comparison = DemoComparison.Run(_timeline, _settings, LeadTime),
                Failures = [.. generator.FailureSamples],
            };
        }
    }

    /// <summary>
    /// Shoal's policy on demo time: the default settings with every time constant divided by the
    /// compression (15 s control interval → the demo's interval), the lead time as measured.
    /// </summary>
    public ShoalPolicyOptions PolicyOptions() => DemoComparison.PolicyOptions(_settings, LeadTime);

    private async Task TickAsync(int index, DemoLoadGenerator generator, ShoalAutoscaler autoscaler, ClusterCallInvoker cluster, CancellationToken cancellationToken)
    {
        var (started, failed, p99) = generator.TakeInterval();
        var t = Math.Round(_clock.Elapsed.TotalSeconds, 1);
        var offered = started / _settings.Interval.TotalSeconds;
        var ready = cluster.Snapshot.All.Length;
        var tick = await autoscaler.TickAsync(cancellationToken).ConfigureAwait(false);
        var decision = tick.Decision;
        var signalled = decision.Reason != ScalingReason.NoMetrics;
        RememberPids();
        var point = new DemoTimelinePoint
        {
            T = t,
            Load = Math.Round(offered, 1),
            Target = Math.Round(_shape.Rates[index - 1], 1),
            Signal = signalled ? Math.Round(decision.CurrentLoad, 1) : null,
            Forecast = signalled ? Math.Round(decision.Forecast, 1) : null,
            Upper = signalled ? Math.Round(decision.Upper ?? decision.Forecast, 1) : null,
            Replicas = decision.Desired,
            Ready = ready,
            P99Ms = Math.Round(p99, 1),
            Errors = failed,
        };
        _timeline.Add(point);
        string? change = null;
        if (decision.Desired != decision.CurrentReplicas)
        {
            var kind = decision.Desired > decision.CurrentReplicas ? "scale-out" : "scale-in";
            AddEvent(new DemoEvent
            {
                T = t,
                Kind = kind,
                From = decision.CurrentReplicas,
                To = decision.Desired,
                Reason = decision.Reason.ToString(),
                Load = point.Load,
                Forecast = point.Forecast ?? 0,
            });
            change = $"  {kind} {decision.CurrentReplicas}->{decision.Desired} ({decision.Reason})";
        }
        await _progress.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"{t,6:0.0}s {index,4} {point.Load,8:0} {Text(point.Signal),8} {Text(point.Forecast),9} {Text(point.Upper),8} {point.Replicas,5}/{ready,-3} {point.P99Ms,8:0.0} {failed,6}{change}")).ConfigureAwait(false);
    }

    private static string Text(double? value) => value is { } v ? v.ToString("0", CultureInfo.InvariantCulture) : "-";

    private static string Header() => $"{"time",7} {"tick",4} {"load/s",8} {"signal",8} {"forecast",9} {"upper",8} {"repl/ready",9} {"p99 ms",8} {"errors",6}";

    private async Task KillOneAsync()
    {
        var victim = _actuator.Instances.FirstOrDefault(i => i.ProcessId > 0);
        if (victim is null)
        {
            return;
        }
        try
        {
            using var process = Process.GetProcessById(victim.ProcessId);
            process.Kill();
            _killedPid = victim.ProcessId;
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or System.ComponentModel.Win32Exception)
        {
            await _progress.WriteLineAsync($"  (could not kill {victim.Id}: {e.Message})").ConfigureAwait(false);
            return;
        }
        var t = Math.Round(_clock.Elapsed.TotalSeconds, 1);
        AddEvent(new DemoEvent { T = t, Kind = "sigkill", Reason = $"{victim.Id} pid {victim.ProcessId}" });
        await _progress.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"{t,6:0.0}s  SIGKILL {victim.Id} (pid {victim.ProcessId}): its calls fail over to the others; the actuator restarts it.")).ConfigureAwait(false);
    }

    private void OnChanged(object? sender, ScaleEvent e)
    {
        RememberPids();
        var kind = e.Kind switch
        {
            ScaleEventKind.InstanceCrashed => "crashed",
            ScaleEventKind.InstanceRestarted => "restarted",
            _ => null,
        };
        if (kind is not null && _clock.IsRunning)
        {
            AddEvent(new DemoEvent { T = Math.Round(_clock.Elapsed.TotalSeconds, 1), Kind = kind, From = e.From, To = e.To, Reason = e.Instance ?? "" });
        }
    }

    private void AddEvent(DemoEvent e)
    {
        lock (_events)
        {
            _events.Add(e);
        }
    }

    private void RememberPids()
    {
        lock (_pids)
        {
            foreach (var instance in _actuator.Instances)
            {
                if (instance.ProcessId > 0)
                {
                    _pids.Add(instance.ProcessId);
                }
            }
        }
    }
}

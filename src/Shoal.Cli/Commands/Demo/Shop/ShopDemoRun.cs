using System.Diagnostics;
using System.Globalization;
using Shoal.Autoscaling;
using Shoal.Autoscaling.Actuators;
using Shoal.Autoscaling.Capacity;
using Shoal.Autoscaling.Forecasting;
using Shoal.Autoscaling.Policy;
using Shoal.Client.Cluster;
using Shoal.Client.Cluster.LoadBalancing;
using Shoal.Client;
using Shop.Inventory;
using Shop.Orders;
using Shop.Payment;

namespace Shoal.Cli.Commands.Demo.Shop;

/// <summary>
/// One run of the shop demo: the services' instances (Inventory autoscaled, the others fixed),
/// the order load, the control loop, the SIGKILL and the SIGTERM, and the reconciliation.
/// </summary>
internal sealed partial class ShopDemoRun
{
    private static readonly TimeSpan StartupTimeout = TimeSpan.FromSeconds(180);

    private readonly ShopDemoSettings _settings;
    private readonly DemoLoadShape _shape;
    private readonly IReadOnlyDictionary<string, LocalProcessActuator> _actuators;
    private readonly TextWriter _progress;
    private readonly List<ShopTimelinePoint> _timeline = [];
    private readonly List<ShopDemoEvent> _events = [];
    private readonly HashSet<int> _pids = [];
    private readonly Stopwatch _clock = new();
    private int _killedPid;
    private int _terminatedPid;
    private TimeSpan _lastTick;

    public ShopDemoRun(ShopDemoSettings settings, DemoLoadShape shape, IReadOnlyDictionary<string, LocalProcessActuator> actuators, TextWriter progress)
    {
        _settings = settings;
        _shape = shape;
        _actuators = actuators;
        _progress = progress;
        foreach (var (service, actuator) in actuators)
        {
            actuator.Changed += (_, e) => OnChanged(service, e);
        }
    }

    /// <summary>Inventory calls per order: a Reserve, and a Release for each declined one.</summary>
    private double InventoryCallsPerOrder => 1 + _settings.DeclinedShare;

    public async Task<ShopDemoReport> ExecuteAsync(string registry, CancellationToken cancellationToken)
    {
        var options = new ShoalChannelOptions { RegistryTokenFile = _settings.RegistryTokenFile };
        options.Cluster.LoadBalancing.Policy = LoadBalancerNames.P2cEwma;
        options.Cluster.RetryBudget.MinRetriesPerSecond = 200;
        var orders = ShoalChannel.ForTarget($"{registry}/shop.orders.Orders", options);
        var inventory = ShoalChannel.ForTarget($"{registry}/shop.inventory.Inventory", options);
        var payment = ShoalChannel.ForTarget($"{registry}/shop.payment.Payment", options);
        var latency = new ShopServiceLatency();
        await using (orders.ConfigureAwait(false))
        await using (inventory.ConfigureAwait(false))
        await using (payment.ConfigureAwait(false))
        await using (latency.ConfigureAwait(false))
        {
            var inventoryCluster = (ClusterCallInvoker)inventory.ClusterInvoker!;
            var started = Stopwatch.StartNew();
            await _actuators["Inventory"].ScaleAsync(_settings.MinReplicas, cancellationToken).ConfigureAwait(false);
            await _actuators["Payment"].ScaleAsync(_settings.FixedReplicas, cancellationToken).ConfigureAwait(false);
            await _actuators["Shipping"].ScaleAsync(1, cancellationToken).ConfigureAwait(false);
            await _actuators["Orders"].ScaleAsync(_settings.FixedReplicas, cancellationToken).ConfigureAwait(false);
            RememberPids();
            await WaitForShopAsync(new Orders.OrdersClient(orders), cancellationToken).ConfigureAwait(false);
            var leadTime = TimeSpan.FromSeconds(Math.Clamp(Math.Ceiling(started.Elapsed.TotalSeconds + 0.5), 3, 8));
            await _progress.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"Shop serving after {started.Elapsed.TotalSeconds:0.0} s (every service's instances registered and answering); the policy plans {leadTime.TotalSeconds:0} s ahead.")).ConfigureAwait(false);
            await _progress.WriteLineAsync($"{"time",7} {"orders/s",8} {"inv. fcst",9} {"repl/ready",9} {"p99 ms",8} {"errors",6}").ConfigureAwait(false);

            var policy = new ShoalScalingPolicy(PolicyOptions(leadTime), new FixedCapacityModel(_settings.Capacity), new HoltForecaster(0.6, 0.3));
            var signal = new ShopLoadSignal();
            var controller = new AutoscaleController(signal, policy, _actuators["Inventory"], TimeProvider.System, _settings.Interval);
            var load = new ShopOrderLoad(new Orders.OrdersClient(orders), _settings.DeclinedShare, new Random(1998));
            var ticks = _shape.Rates.Count;
            var killAt = Math.Max(1, ticks / 2);
            var terminateAt = Math.Min(ticks - 1, killAt + Math.Max(1, ticks / 10));
            _clock.Start();
            var running = load.RunAsync(_shape.RateAt, _shape.Duration, cancellationToken);
            for (var i = 1; i <= ticks; i++)
            {
                var wait = (_settings.Interval * i) - _clock.Elapsed;
                if (wait > TimeSpan.Zero)
                {
                    await Task.Delay(wait, cancellationToken).ConfigureAwait(false);
                }
                await TickAsync(load, signal, controller, inventoryCluster, cancellationToken).ConfigureAwait(false);
                await ReadLatencyAsync(latency, cancellationToken).ConfigureAwait(false);
                if (_settings.Kill && i == killAt)
                {
                    _killedPid = await SignalAsync("Inventory", "sigkill", cancellationToken).ConfigureAwait(false);
                }
                if (_settings.Kill && i == terminateAt)
                {
                    _terminatedPid = await SignalAsync("Payment", "sigterm", cancellationToken).ConfigureAwait(false);
                }
            }
            await running.ConfigureAwait(false);
            await _progress.WriteLineAsync("Load done; reconciling the ledger and the stock, then draining every instance.").ConfigureAwait(false);
            var audit = await new Payment.PaymentClient(payment).AuditAsync(new AuditRequest(), deadline: DateTime.UtcNow.AddSeconds(30), cancellationToken: cancellationToken).ConfigureAwait(false);
            var (lost, reserved) = await ReconcileStockAsync(new Inventory.InventoryClient(inventory), load, cancellationToken).ConfigureAwait(false);
            // Orders first: nothing calls the others once it is gone.
            foreach (var service in ShopPrograms.Services.Reverse())
            {
                await _actuators[service].ScaleAsync(0, CancellationToken.None).ConfigureAwait(false);
                await _actuators[service].WhenIdleAsync().ConfigureAwait(false);
            }
            RememberPids();
            var p99 = latency.P99Ms(ShopPrograms.Services);
            p99["client"] = Math.Round(load.Total.Count == 0 ? 0 : load.Total.ValueAt(99) / 1e6, 1);
            return new ShopDemoReport
            {
                Orders = load.Started,
                Placed = load.Placed,
                Declined = load.Declined,
                OutOfStock = load.OutOfStock,
                Failed = load.Failed,
                DoubleCharges = audit.OrdersChargedTwice,
                ChargesApproved = audit.Approved,
                LostStock = lost,
                ReservedUnits = reserved,
                SoldUnits = load.Sold().Values.Sum(),
                P99Ms = p99,
                ScaleOuts = _events.Count(e => e.Kind == "scale-out"),
                ScaleIns = _events.Count(e => e.Kind == "scale-in"),
                Restarts = _events.Count(e => e.Kind == "restarted"),
                KilledPid = _killedPid,
                TerminatedPid = _terminatedPid,
                Timeline = _timeline,
                Events = _events,
                InventoryCapacity = _settings.Capacity,
                PeakOrdersPerSecond = Math.Round(_shape.Peak, 1),
                Trace = _shape.Source,
                DurationSeconds = _shape.Duration.TotalSeconds,
                Processes = [.. _pids.Order()],
                Failures = [.. load.FailureSamples],
            };
        }
    }

    /// <summary>
    /// Shoal's policy on demo time: the defaults with every time constant divided by the compression
    /// (the demo's 1 s interval stands for a real 15 s), as the Greeter demo does.
    /// </summary>
    private ShoalPolicyOptions PolicyOptions(TimeSpan leadTime)
    {
        var defaults = new ShoalPolicyOptions();
        var factor = TimeSpan.FromSeconds(15) / _settings.Interval;
        var ticks = Math.Max(4, (int)Math.Round(_settings.Duration / _settings.Interval));
        var stabilisation = defaults.ScaleDownStabilisation / factor;
        return defaults with
        {
            MinReplicas = _settings.MinReplicas,
            MaxReplicas = _settings.MaxReplicas,
            LeadTime = leadTime,
            ControlInterval = _settings.Interval,
            ForecastInterval = _settings.Interval,
            ScaleDownStabilisation = stabilisation < _settings.Duration / 12 ? stabilisation : _settings.Duration / 12,
            MaxSeason = _settings.Duration,
            ErrorWindow = _settings.Interval * ticks,
        };
    }
}

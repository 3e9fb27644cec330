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
    private readonly IReadOnlyDictionary<string, IShopInstances> _instances;
    private readonly TextWriter _progress;
    private readonly List<ShopTimelinePoint> _timeline = [];
    private readonly List<ShopDemoEvent> _events = [];
    private readonly Dictionary<string, ShopInstance> _seen = [];
    private readonly Stopwatch _clock = new();
    private ShopInstance? _killed;
    private ShopInstance? _terminated;
    private TimeSpan _lastTick;

    public ShopDemoRun(ShopDemoSettings settings, DemoLoadShape shape, IReadOnlyDictionary<string, IShopInstances> instances, TextWriter progress)
    {
        _settings = settings;
        _shape = shape;
        _instances = instances;
        _progress = progress;
        foreach (var (service, set) in instances)
        {
            set.Actuator.Changed += (_, e) => OnChanged(service, e);
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
        var shipping = ShoalChannel.ForTarget($"{registry}/shop.shipping.Shipping", options);
        var latency = new ShopServiceLatency();
        await using (orders.ConfigureAwait(false))
        await using (inventory.ConfigureAwait(false))
        await using (payment.ConfigureAwait(false))
        await using (shipping.ConfigureAwait(false))
        await using (latency.ConfigureAwait(false))
        {
            var inventoryCluster = (ClusterCallInvoker)inventory.ClusterInvoker!;
            // Each service's registered instances, whose load windows give its latency.
            var clusters = new Dictionary<string, ClusterCallInvoker>
            {
                ["Orders"] = (ClusterCallInvoker)orders.ClusterInvoker!,
                ["Inventory"] = inventoryCluster,
                ["Payment"] = (ClusterCallInvoker)payment.ClusterInvoker!,
                ["Shipping"] = (ClusterCallInvoker)shipping.ClusterInvoker!,
            };
            var started = Stopwatch.StartNew();
            // The services start together: each registers when it is ready, and Orders finds the others
            // in the registry (a container takes seconds to start; one after the other would add up).
            await Task.WhenAll(
                _instances["Inventory"].Actuator.ScaleAsync(_settings.MinReplicas, cancellationToken),
                _instances["Payment"].Actuator.ScaleAsync(_settings.FixedReplicas, cancellationToken),
                _instances["Shipping"].Actuator.ScaleAsync(1, cancellationToken),
                _instances["Orders"].Actuator.ScaleAsync(_settings.FixedReplicas, cancellationToken)).ConfigureAwait(false);
            RememberInstances();
            await WaitForShopAsync(new Orders.OrdersClient(orders), cancellationToken).ConfigureAwait(false);
            var leadTime = TimeSpan.FromSeconds(Math.Clamp(Math.Ceiling(started.Elapsed.TotalSeconds + 0.5), 3, 8));
            await _progress.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"Shop serving after {started.Elapsed.TotalSeconds:0.0} s (every service's instances registered and answering); the policy plans {leadTime.TotalSeconds:0} s ahead.")).ConfigureAwait(false);
            await _progress.WriteLineAsync($"{"time",7} {"orders/s",8} {"inv. fcst",9} {"repl/ready",9} {"p99 ms",8} {"errors",6}").ConfigureAwait(false);

            var policy = new ShoalScalingPolicy(PolicyOptions(leadTime), new FixedCapacityModel(_settings.Capacity), new HoltForecaster(0.6, 0.3));
            var signal = new ShopLoadSignal();
            var controller = new AutoscaleController(signal, policy, _instances["Inventory"].Actuator, TimeProvider.System, _settings.Interval);
            var load = new ShopOrderLoad(new Orders.OrdersClient(orders), _settings.DeclinedShare, new Random(1998));
            var ticks = _shape.Rates.Count;
            // The signals go by the load's clock, not by tick count: a tick that waits on a slow scale-out
            // (containers take seconds to start) must not push them past the load's end.
            var killAt = _settings.Interval * Math.Max(1, ticks / 2);
            var terminateAt = _settings.Interval * Math.Min(ticks - 1, (ticks / 2) + Math.Max(1, ticks / 10));
            bool killed = !_settings.Kill, terminated = !_settings.Kill;
            _clock.Start();
            var running = load.RunAsync(_shape.RateAt, _shape.Duration, cancellationToken);
            for (var i = 1; i <= ticks; i++)
            {
                var wait = (_settings.Interval * i) - _clock.Elapsed;
                if (wait > TimeSpan.Zero)
                {
                    await Task.Delay(wait, cancellationToken).ConfigureAwait(false);
                }
                // A tick whose whole interval has already passed (the previous one waited on a slow
                // scale-out) is skipped, not run late: ticks run back to back would read a load
                // the interval never had, and the last of them would act after the load has ended.
                if (_clock.Elapsed - (_settings.Interval * i) < _settings.Interval)
                {
                    await TickAsync(load, signal, controller, inventoryCluster, cancellationToken).ConfigureAwait(false);
                    await ReadLatencyAsync(latency, clusters, cancellationToken).ConfigureAwait(false);
                }
                if (!killed && _clock.Elapsed >= killAt)
                {
                    killed = true;
                    _killed = await SignalAsync("Inventory", "sigkill", cancellationToken).ConfigureAwait(false);
                }
                if (!terminated && _clock.Elapsed >= terminateAt)
                {
                    terminated = true;
                    _terminated = await SignalAsync("Payment", "sigterm", cancellationToken).ConfigureAwait(false);
                }
            }
            await running.ConfigureAwait(false);
            await _progress.WriteLineAsync("Load done; reconciling the ledger and the stock, then draining every instance.").ConfigureAwait(false);
            var audit = await new Payment.PaymentClient(payment).AuditAsync(new AuditRequest(), deadline: DateTime.UtcNow.AddSeconds(30), cancellationToken: cancellationToken).ConfigureAwait(false);
            var (lost, reserved) = await ReconcileStockAsync(new Inventory.InventoryClient(inventory), load, cancellationToken).ConfigureAwait(false);
            // Orders first: nothing calls the others once it is gone; then the others together.
            await DrainAsync(["Orders"]).ConfigureAwait(false);
            await DrainAsync([.. ShopPrograms.Services.Where(s => s != "Orders")]).ConfigureAwait(false);
            RememberInstances();
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
                KilledPid = _killed?.ProcessId ?? 0,
                TerminatedPid = _terminated?.ProcessId ?? 0,
                Killed = _killed?.Id ?? "",
                Terminated = _terminated?.Id ?? "",
                Timeline = _timeline,
                Events = _events,
                InventoryCapacity = _settings.Capacity,
                PeakOrdersPerSecond = Math.Round(_shape.Peak, 1),
                Trace = _shape.Source,
                DurationSeconds = _shape.Duration.TotalSeconds,
                Processes = [.. Seen().Where(i => i.ProcessId > 0).Select(i => i.ProcessId).Order()],
                Instances = Seen(),
                Failures = [.. load.FailureSamples],
            };
        }
    }

    private Task DrainAsync(IEnumerable<string> services) => Task.WhenAll(services.Select(async service =>
    {
        await _instances[service].Actuator.ScaleAsync(0, CancellationToken.None).ConfigureAwait(false);
        await _instances[service].WhenIdleAsync().ConfigureAwait(false);
    }));

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

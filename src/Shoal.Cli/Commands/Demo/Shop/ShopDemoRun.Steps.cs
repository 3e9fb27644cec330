using System.Diagnostics;
using System.Globalization;
using Grpc.Core;
using Shoal.Autoscaling;
using Shoal.Autoscaling.Actuators;
using Shoal.Client.Cluster;
using Shop.Inventory;
using Shop.Orders;

namespace Shoal.Cli.Commands.Demo.Shop;

/// <summary>The shop demo's steps: waiting for the shop, one control interval, the signals, the reconciliation.</summary>
internal sealed partial class ShopDemoRun
{
    private static async Task WaitForShopAsync(Orders.OrdersClient orders, CancellationToken cancellationToken)
    {
        // An unknown order answers NotFound once an Orders instance is registered and serving.
        var clock = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                await orders.GetOrderAsync(new GetOrderRequest { OrderId = "ready?" }, deadline: DateTime.UtcNow.AddSeconds(5), cancellationToken: cancellationToken).ConfigureAwait(false);
                return;
            }
            catch (RpcException e) when (e.StatusCode == StatusCode.NotFound)
            {
                return;
            }
            catch (RpcException) when (clock.Elapsed < StartupTimeout && !cancellationToken.IsCancellationRequested)
            {
                await Task.Delay(100, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private async Task TickAsync(ShopOrderLoad load, ShopLoadSignal signal, AutoscaleController controller, ClusterCallInvoker inventory, CancellationToken cancellationToken)
    {
        var (started, failed, p99) = load.TakeInterval();
        // On a busy machine a tick can come late: the rate is over the time that really passed.
        var now = _clock.Elapsed;
        var t = Math.Round(now.TotalSeconds, 1);
        var offered = started / Math.Max((now - _lastTick).TotalSeconds, _settings.Interval.TotalSeconds / 2);
        _lastTick = now;
        var ready = inventory.Snapshot.All.Length;
        signal.Set(offered * InventoryCallsPerOrder, ready, TimeSpan.FromMilliseconds(p99), failed);
        var decision = await controller.TickAsync(cancellationToken).ConfigureAwait(false);
        RememberInstances();
        var point = new ShopTimelinePoint
        {
            T = t,
            Load = Math.Round(offered, 1),
            Forecast = Math.Round(decision.Forecast, 1),
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
            AddEvent(new ShopDemoEvent
            {
                T = t,
                Kind = kind,
                Service = "inventory",
                From = decision.CurrentReplicas,
                To = decision.Desired,
                Reason = decision.Reason.ToString(),
                Load = Math.Round(offered * InventoryCallsPerOrder, 1),
                Forecast = point.Forecast,
            });
            change = $"  inventory {kind} {decision.CurrentReplicas}->{decision.Desired} ({decision.Reason})";
        }
        await _progress.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"{t,6:0.0}s {point.Load,8:0} {point.Forecast,9:0} {point.Replicas,5}/{ready,-3} {point.P99Ms,8:0.0} {failed,6}{change}")).ConfigureAwait(false);
    }

    private static async Task ReadLatencyAsync(ShopServiceLatency latency, IReadOnlyDictionary<string, ClusterCallInvoker> clusters, CancellationToken cancellationToken)
    {
        foreach (var (service, cluster) in clusters)
        {
            await latency.ReadAsync(service, cluster.Snapshot.All.Select(e => e.Address.Port), cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Sends <paramref name="kind"/> (sigkill or sigterm) to the oldest instance of <paramref name="service"/>; returns it (null if none).</summary>
    private async Task<ShopInstance?> SignalAsync(string service, string kind, CancellationToken cancellationToken)
    {
        var instances = _instances[service];
        var victim = kind == "sigkill"
            ? await instances.KillOldestAsync(cancellationToken).ConfigureAwait(false)
            : await instances.StopOldestAsync(cancellationToken).ConfigureAwait(false);
        if (victim is null)
        {
            await _progress.WriteLineAsync($"  (could not {kind} an instance of {service})").ConfigureAwait(false);
            return null;
        }
        var t = Math.Round(_clock.Elapsed.TotalSeconds, 1);
        AddEvent(new ShopDemoEvent { T = t, Kind = kind, Service = service.ToLowerInvariant(), Reason = $"{victim.Id} {victim.Where}" });
        var what = kind == "sigkill"
            ? "Orders' calls on it fail over (Reserve and Release are idempotent); the actuator restarts it"
            : "it deregisters, finishes its charges and exits; the actuator starts it again";
        await _progress.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"{t,6:0.0}s  {kind.ToUpperInvariant()} {victim.Id} ({victim.Where}): {what}.")).ConfigureAwait(false);
        return victim;
    }

    /// <summary>Units neither available nor sold over every SKU, and units held by reservations.</summary>
    private static async Task<(long Lost, long Reserved)> ReconcileStockAsync(Inventory.InventoryClient inventory, ShopOrderLoad load, CancellationToken cancellationToken)
    {
        long lost = 0, reserved = 0;
        foreach (var (sku, sold) in load.Sold())
        {
            var level = await inventory.GetStockAsync(new GetStockRequest { Sku = sku }, deadline: DateTime.UtcNow.AddSeconds(30), cancellationToken: cancellationToken).ConfigureAwait(false);
            lost += ShopOrderLoad.InitialStock - level.Available - sold;
            reserved += level.Reserved;
        }
        return (lost, reserved);
    }

    private void OnChanged(string service, ScaleEvent e)
    {
        RememberInstances();
        var kind = e.Kind switch
        {
            ScaleEventKind.InstanceCrashed => "exited",
            ScaleEventKind.InstanceRestarted => "restarted",
            _ => null,
        };
        if (kind is not null && _clock.IsRunning)
        {
            AddEvent(new ShopDemoEvent { T = Math.Round(_clock.Elapsed.TotalSeconds, 1), Kind = kind, Service = service.ToLowerInvariant(), From = e.From, To = e.To, Reason = e.Instance ?? "" });
        }
    }

    private void AddEvent(ShopDemoEvent e)
    {
        lock (_events)
        {
            _events.Add(e);
        }
    }

    /// <summary>Remembers every instance seen running (a restarted one twice: it ran in two places).</summary>
    private void RememberInstances()
    {
        lock (_seen)
        {
            foreach (var instance in _instances.Values.SelectMany(i => i.Running))
            {
                _seen.TryAdd($"{instance.Service}/{instance.Id}/{instance.Where}", instance);
            }
        }
    }

    private List<ShopInstance> Seen()
    {
        lock (_seen)
        {
            return [.. _seen.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => p.Value)];
        }
    }
}

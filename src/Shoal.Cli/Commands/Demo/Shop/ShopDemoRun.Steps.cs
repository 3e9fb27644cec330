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
        RememberPids();
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

    private async Task ReadLatencyAsync(ShopServiceLatency latency, CancellationToken cancellationToken)
    {
        foreach (var (service, actuator) in _actuators)
        {
            await latency.ReadAsync(service, actuator.Instances.Where(i => i.ProcessId > 0).Select(i => i.Port), cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Sends <paramref name="kind"/> (sigkill or sigterm) to the oldest instance of <paramref name="service"/>; returns its pid (0 if none).</summary>
    private async Task<int> SignalAsync(string service, string kind, CancellationToken cancellationToken)
    {
        var victim = _actuators[service].Instances.FirstOrDefault(i => i.ProcessId > 0);
        if (victim is null)
        {
            return 0;
        }
        try
        {
            if (kind == "sigkill")
            {
                using var process = Process.GetProcessById(victim.ProcessId);
                process.Kill();
            }
            else
            {
                using var term = Process.Start("kill", ["-TERM", victim.ProcessId.ToString(CultureInfo.InvariantCulture)]);
                await term.WaitForExitAsync(cancellationToken).WaitAsync(TimeSpan.FromSeconds(10), cancellationToken).ConfigureAwait(false);
            }
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or System.ComponentModel.Win32Exception or TimeoutException)
        {
            await _progress.WriteLineAsync($"  (could not signal {victim.Id}: {e.Message})").ConfigureAwait(false);
            return 0;
        }
        var t = Math.Round(_clock.Elapsed.TotalSeconds, 1);
        AddEvent(new ShopDemoEvent { T = t, Kind = kind, Service = service.ToLowerInvariant(), Reason = $"{victim.Id} pid {victim.ProcessId}" });
        var what = kind == "sigkill"
            ? "Orders' calls on it fail over (Reserve and Release are idempotent); the actuator restarts it"
            : "it deregisters, finishes its charges and exits; the actuator starts it again";
        await _progress.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"{t,6:0.0}s  {kind.ToUpperInvariant()} {victim.Id} (pid {victim.ProcessId}): {what}.")).ConfigureAwait(false);
        return victim.ProcessId;
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
        RememberPids();
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

    private void RememberPids()
    {
        lock (_pids)
        {
            foreach (var instance in _actuators.Values.SelectMany(a => a.Instances))
            {
                if (instance.ProcessId > 0)
                {
                    _pids.Add(instance.ProcessId);
                }
            }
        }
    }
}

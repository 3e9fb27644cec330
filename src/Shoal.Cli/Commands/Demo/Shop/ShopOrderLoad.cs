using System.Diagnostics;
using System.Globalization;
using Grpc.Core;
using Shoal.Cli.Commands.Bench;
using Shoal.Telemetry.Internal;
using Shop.Orders;

namespace Shoal.Cli.Commands.Demo.Shop;

/// <summary>
/// Open-loop order load: orders start at the target rate whatever the latency (bounded in flight),
/// each latency counted from when the order was due. Every outcome is recorded, and the units of
/// every placed order, so the stock can be reconciled at the end.
/// </summary>
internal sealed class ShopOrderLoad
{
    /// <summary>Units of each SKU the demo's inventory starts with.</summary>
    public const long InitialStock = 1_000_000;

    /// <summary>SKUs the orders choose from (the first ones of a new inventory: sku-001, ...).</summary>
    public const int Skus = 10;

    /// <summary>Orders in flight at most.</summary>
    public const int MaxInFlight = 1000;

    private const string ApprovedCard = "4242-4242-4242-4242";
    private const string DeclinedCard = "4000-0000-0000-0002";
    private static readonly TimeSpan Tick = TimeSpan.FromMilliseconds(5);
    private static readonly TimeSpan OrderTimeout = TimeSpan.FromSeconds(30);

    private readonly Orders.OrdersClient _orders;
    private readonly double _declinedShare;
    private readonly Random _random;
    private readonly SemaphoreSlim _inFlight = new(MaxInFlight, MaxInFlight);
    private readonly object _gate = new();
    private readonly LatencyHistogram _total = new();
    private readonly List<Task> _calls = [];
    private readonly long[] _sold = new long[Skus];
    private readonly string _run = Guid.NewGuid().ToString("N")[..8];
    private LatencyHistogram _interval = new();
    private long _intervalStarted;
    private long _intervalFailed;
    private long _started;
    private long _nextId;

    /// <summary>Creates the load over the Orders client <paramref name="orders"/>; <paramref name="random"/> picks SKUs and cards.</summary>
    public ShopOrderLoad(Orders.OrdersClient orders, double declinedShare, Random random)
    {
        _orders = orders;
        _declinedShare = declinedShare;
        _random = random;
    }

    /// <summary>Orders started.</summary>
    public long Started => Interlocked.Read(ref _started);

    /// <summary>Orders placed (stock reserved, card charged, shipment created).</summary>
    public long Placed { get; private set; }

    /// <summary>Orders whose card was declined (their reservation released).</summary>
    public long Declined { get; private set; }

    /// <summary>Orders refused for want of stock.</summary>
    public long OutOfStock { get; private set; }

    /// <summary>Orders that ended in an error (must be 0).</summary>
    public long Failed { get; private set; }

    /// <summary>The first few failures, for the report.</summary>
    public List<string> FailureSamples { get; } = [];

    /// <summary>The latency of every order that had an outcome, nanoseconds from when it was due.</summary>
    public LatencyHistogram Total
    {
        get
        {
            lock (_gate)
            {
                return _total;
            }
        }
    }

    /// <summary>Units sold of each SKU (by placed orders), keyed by SKU name.</summary>
    public IReadOnlyDictionary<string, long> Sold()
    {
        lock (_gate)
        {
            return Enumerable.Range(0, Skus).ToDictionary(SkuName, i => _sold[i]);
        }
    }

    /// <summary>The name of SKU <paramref name="index"/> (0-based): <c>sku-001</c>, ...</summary>
    public static string SkuName(int index) => "sku-" + (index + 1).ToString("000", CultureInfo.InvariantCulture);

    /// <summary>Offers orders following <paramref name="rate"/> (orders per second at an elapsed time) for <paramref name="duration"/>, then waits for those in flight.</summary>
    public async Task RunAsync(Func<TimeSpan, double> rate, TimeSpan duration, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        var owed = 0.0;
        var last = TimeSpan.Zero;
        while (!cancellationToken.IsCancellationRequested && clock.Elapsed < duration)
        {
            var now = clock.Elapsed;
            owed += rate(now) * (now - last).TotalSeconds;
            last = now;
            while (owed >= 1)
            {
                owed -= 1;
                var call = PlaceAsync(Stopwatch.GetTimestamp(), cancellationToken);
                lock (_gate)
                {
                    _calls.RemoveAll(c => c.IsCompleted);
                    _calls.Add(call);
                    _intervalStarted++;
                }
                Interlocked.Increment(ref _started);
            }
            await Task.Delay(Tick, cancellationToken).ConfigureAwait(false);
        }
        Task[] pending;
        lock (_gate)
        {
            pending = [.. _calls];
        }
        await Task.WhenAll(pending).ConfigureAwait(false);
    }

    /// <summary>Since the last call: orders started, orders failed, p99 of the orders that ended (ms).</summary>
    public (long Started, long Failed, double P99Ms) TakeInterval()
    {
        lock (_gate)
        {
            var result = (_intervalStarted, _intervalFailed, _interval.Count == 0 ? 0 : _interval.ValueAt(99) / 1e6);
            _interval = new LatencyHistogram();
            _intervalStarted = 0;
            _intervalFailed = 0;
            return result;
        }
    }

    private async Task PlaceAsync(long due, CancellationToken cancellationToken)
    {
        PlaceOrderRequest request;
        int sku;
        lock (_gate)
        {
            sku = _random.Next(Skus);
            request = new PlaceOrderRequest
            {
                OrderId = $"demo-{_run}-{++_nextId}",
                Customer = "fan-" + _random.Next(10_000).ToString(CultureInfo.InvariantCulture),
                Card = _random.NextDouble() < _declinedShare ? DeclinedCard : ApprovedCard,
                Destination = "stadium-" + _random.Next(10).ToString(CultureInfo.InvariantCulture),
                Lines = { new OrderLine { Sku = SkuName(sku), Quantity = 1 + _random.Next(3), UnitPriceCents = 2500 } },
            };
        }
        await _inFlight.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var order = await _orders.PlaceOrderAsync(request, deadline: DateTime.UtcNow + OrderTimeout, cancellationToken: cancellationToken).ConfigureAwait(false);
            var nanoseconds = (long)((Stopwatch.GetTimestamp() - due) * (1e9 / Stopwatch.Frequency));
            lock (_gate)
            {
                _total.Record(nanoseconds);
                _interval.Record(nanoseconds);
                switch (order.Status)
                {
                    case OrderStatus.Placed:
                        Placed++;
                        _sold[sku] += request.Lines[0].Quantity;
                        break;
                    case OrderStatus.PaymentDeclined:
                        Declined++;
                        break;
                    default:
                        OutOfStock++;
                        break;
                }
            }
        }
        catch (RpcException e) when (!cancellationToken.IsCancellationRequested)
        {
            lock (_gate)
            {
                Failed++;
                _intervalFailed++;
                if (FailureSamples.Count < 5)
                {
                    FailureSamples.Add($"{request.OrderId}: {e.StatusCode}: {e.Status.Detail}");
                }
            }
        }
        finally
        {
            _inFlight.Release();
        }
    }
}

using System.Text.RegularExpressions;
using Shoal.FunctionalTests.Support;
using Shoal.FunctionalTests.Telemetry.Otlp;
using Xunit.Abstractions;

namespace Shoal.FunctionalTests.Telemetry;

/// <summary>
/// Issue 11's three-process trace: a client process calls an Orders-like process, which reserves
/// stock through a <c>static://</c> cluster channel over two Inventory-like processes, all on the
/// native transport. Every process exports its spans with the OpenTelemetry SDK and the OTLP
/// exporter (<c>AddShoalTelemetry()</c>, turned on by the standard <c>OTEL_EXPORTER_OTLP_*</c>
/// variables) to a receiver this test runs, which decodes them with its own OTLP message definitions.
/// </summary>
[Collection(ProcessHeavyCollection.Name)]
public sealed partial class ThreeProcessTraceTests(ITestOutputHelper output)
{
    private const int Burst = 4;
    private const int MaxKillRounds = 6;
    private const string PlaceOrder = "shop.orders.Orders/PlaceOrder";
    private const string Reserve = "shop.inventory.Inventory/Reserve";
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(40);
    private static readonly TimeSpan CallsTimeout = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan SpansTimeout = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task ClientOrdersTwoInventories_OneInventoryKilledMidCall_OneTraceAcrossProcessesWithSiblingFailoverAttempts()
    {
        await using var receiver = await OtlpTraceReceiver.StartAsync();
        await using var inventoryA = StartRole(receiver, "trace-inventory-a", "inventory", "--delay-ms", "200");
        await using var inventoryB = StartRole(receiver, "trace-inventory-b", "inventory", "--delay-ms", "200");
        var portA = await ListeningPortAsync(inventoryA);
        var portB = await ListeningPortAsync(inventoryB);
        var serviceByPort = new Dictionary<string, string> { [portA] = inventoryA.Name, [portB] = inventoryB.Name };
        await using var orders = StartRole(receiver, "trace-orders", "orders", "--inventory", $"static://127.0.0.1:{portA},127.0.0.1:{portB}");
        var ordersPort = await ListeningPortAsync(orders);
        await using var client = StartRole(receiver, "trace-client", "client", "--orders", $"shoal://127.0.0.1:{ordersPort}");
        await client.WaitForLineAsync(ClientReadyLine(), StartTimeout);

        // Every process up: each call is one trace, nested hop by hop across the three processes.
        await client.WriteLineAsync($"call {Burst}");
        var calm = await CallsAsync(client, Burst);
        foreach (var call in calm)
        {
            Assert.Equal("OK", call.Status);
            var spans = await SpansAsync(receiver, call.Trace, count: 6);
            var attempt = Assert.Single(AssertChain(spans, serviceByPort));
            Assert.NotEqual(Status.Types.StatusCode.Error, attempt.Status);
        }

        // B now holds every call it takes: bursts until it holds one, then SIGKILL it mid-call.
        await inventoryB.WriteLineAsync("hold");
        await inventoryB.WaitForLineAsync(HoldingLine(), StartTimeout);
        var placed = Burst;
        var killRound = new List<string>();
        for (var round = 0; round < MaxKillRounds && killRound.Count == 0; round++)
        {
            var burst = Enumerable.Range(placed + 1, Burst).Select(n => $"order-{n}").ToList();
            placed += Burst;
            await client.WriteLineAsync($"call {Burst}");
            var heldByB = new Regex($"^reserve ({string.Join('|', burst)})$");
            await WaitUntilAsync("inventory B to take a call of the burst, or the burst to end", CallsTimeout,
                () => inventoryB.Matches(heldByB).Count > 0 || client.Matches(CallLine()).Count >= placed);
            if (inventoryB.Matches(heldByB).Count > 0)
            {
                inventoryB.Kill();
                killRound = burst;
            }
            await CallsAsync(client, placed);
        }
        Assert.True(killRound.Count > 0, $"inventory B took no call in {MaxKillRounds} bursts of {Burst}.");
        // And once more with B gone.
        await client.WriteLineAsync($"call {Burst}");
        placed += Burst;
        var all = await CallsAsync(client, placed);
        Assert.All(all, call => Assert.Equal("OK", call.Status));

        // Stopped gracefully, the live processes flush what they have not exported yet.
        await client.WriteLineAsync("quit");
        Assert.Equal(0, await client.WaitForExitAsync(StartTimeout));
        await orders.TerminateAsync();
        await orders.WaitForExitAsync(StartTimeout);
        await inventoryA.TerminateAsync();
        await inventoryA.WaitForExitAsync(StartTimeout);

        // The call B held: two sibling attempts under one cluster call span, B's failed, A's OK.
        var killTraces = all.Where(c => killRound.Contains(c.Order)).Select(c => c.Trace).ToHashSet();
        var failedOver = receiver.Spans.Where(s => killTraces.Contains(s.TraceId)).GroupBy(s => s.TraceId)
            .Select(g => g.ToList()).Where(g => AttemptsOf(g).Count >= 2).ToList();
        Assert.True(failedOver.Count > 0, $"no call of the kill burst has two attempts. Spans:\n{Describe(receiver.Spans.Where(s => killTraces.Contains(s.TraceId)))}");
        foreach (var trace in failedOver)
        {
            output.WriteLine($"A call that failed over (trace {trace[0].TraceId}):\n{Describe(trace)}");
            var attempts = AssertChain(trace, serviceByPort);
            Assert.True(attempts.Count == 2, $"expected a failed attempt and its failover:\n{Describe(trace)}");
            var (first, second) = (attempts[0], attempts[1]);
            Assert.Equal(Status.Types.StatusCode.Error, first.Status);
            Assert.Equal(portB, first.Tag("server.port"));
            Assert.Equal("127.0.0.1", first.Tag("server.address"));
            Assert.NotEqual("0", first.Tag("rpc.grpc.status_code"));
            Assert.NotEqual(Status.Types.StatusCode.Error, second.Status);
            Assert.Equal(portA, second.Tag("server.port"));
            Assert.Equal("0", second.Tag("rpc.grpc.status_code"));
        }
        Assert.Equal(0, receiver.BadPayloads);
    }

    /// <summary>
    /// Asserts one call's chain: the client's root → its client span → Orders' server span → Orders'
    /// cluster call → attempts (siblings, in start order) → the server span of the instance the last
    /// attempt went to. Returns the attempts.
    /// </summary>
    private static List<ExportedSpan> AssertChain(List<ExportedSpan> spans, IReadOnlyDictionary<string, string> serviceByPort)
    {
        var trace = Describe(spans);
        var root = One(spans, trace, "the client's root", s => s.Service == "trace-client" && s.ParentSpanId.Length == 0);
        var client = One(spans, trace, "the client span", s => s.Service == "trace-client" && s.Kind == Span.Types.SpanKind.Client && s.ParentSpanId == root.SpanId);
        var server = One(spans, trace, "Orders' server span", s => s.Service == "trace-orders" && s.Kind == Span.Types.SpanKind.Server && s.ParentSpanId == client.SpanId);
        var cluster = One(spans, trace, "Orders' cluster call", s => s.Service == "trace-orders" && s.Kind == Span.Types.SpanKind.Internal && s.ParentSpanId == server.SpanId);
        Assert.Equal(PlaceOrder, client.Name);
        Assert.Equal(PlaceOrder, server.Name);
        Assert.Equal(Reserve, cluster.Name);
        var attempts = AttemptsOf(spans);
        Assert.True(attempts.Count > 0 && attempts.All(a => a.ParentSpanId == cluster.SpanId && a.Name == Reserve), $"attempts must be children of the cluster call:\n{trace}");
        var last = attempts[^1];
        var instance = serviceByPort[last.Tag("server.port") ?? ""];
        var inventory = One(spans, trace, "the last attempt's server span", s => s.Kind == Span.Types.SpanKind.Server && s.ParentSpanId == last.SpanId);
        Assert.Equal(instance, inventory.Service);
        Assert.Equal(Reserve, inventory.Name);
        Assert.Equal("shoal", inventory.Tag("rpc.system"));
        Assert.Single(spans.Select(s => s.TraceId).Distinct());
        return attempts;
    }

    private static List<ExportedSpan> AttemptsOf(List<ExportedSpan> spans)
        => [.. spans.Where(s => s.Service == "trace-orders" && s.Kind == Span.Types.SpanKind.Client).OrderBy(s => s.StartNanos)];

    private static ExportedSpan One(List<ExportedSpan> spans, string trace, string what, Func<ExportedSpan, bool> match)
    {
        var found = spans.Where(match).ToList();
        Assert.True(found.Count == 1, $"expected one span: {what}; found {found.Count} in the trace:\n{trace}");
        return found[0];
    }

    private static string Describe(IEnumerable<ExportedSpan> spans) => string.Join('\n', spans.OrderBy(s => s.StartNanos));
}

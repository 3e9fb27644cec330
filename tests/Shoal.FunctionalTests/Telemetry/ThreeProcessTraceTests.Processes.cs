using System.Text.RegularExpressions;
using Shoal.FunctionalTests.Support;

namespace Shoal.FunctionalTests.Telemetry;

/// <summary>Starting the roles of the trace host, reading their lines, bounded waits.</summary>
public sealed partial class ThreeProcessTraceTests
{
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(20);

    /// <summary>Starts a role exporting to <paramref name="receiver"/> as service <paramref name="service"/>, configured only by OTEL_* variables.</summary>
    private static ChildProcess StartRole(OtlpTraceReceiver receiver, string service, params string[] args)
        => ChildProcess.StartDotnet(service, Binaries.TraceHost, args, new Dictionary<string, string>
        {
            ["OTEL_EXPORTER_OTLP_ENDPOINT"] = receiver.Address.AbsoluteUri.TrimEnd('/'),
            ["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf",
            ["OTEL_SERVICE_NAME"] = service,
            // Export spans every 100 ms rather than every 5 s: a SIGKILLed process loses only the last moments.
            ["OTEL_BSP_SCHEDULE_DELAY"] = "100",
        }, input: true);

    private static async Task<string> ListeningPortAsync(ChildProcess process)
        => (await process.WaitForLineAsync(ListeningLine(), StartTimeout)).Groups["port"].Value;

    /// <summary>Waits until the client has printed <paramref name="count"/> call lines; returns them in order.</summary>
    private static async Task<List<(string Order, string Trace, string Status)>> CallsAsync(ChildProcess client, int count)
    {
        await WaitUntilAsync($"{count} calls to end", CallsTimeout, () => client.Matches(CallLine()).Count >= count);
        return [.. client.Matches(CallLine()).Select(m => (m.Groups["order"].Value, m.Groups["trace"].Value, m.Groups["status"].Value))];
    }

    /// <summary>Waits until at least <paramref name="count"/> spans of <paramref name="trace"/> arrived.</summary>
    private static async Task<List<ExportedSpan>> SpansAsync(OtlpTraceReceiver receiver, string trace, int count)
    {
        await WaitUntilAsync($"{count} spans of trace {trace}", SpansTimeout, () => receiver.Spans.Count(s => s.TraceId == trace) >= count);
        return [.. receiver.Spans.Where(s => s.TraceId == trace)];
    }

    private static async Task WaitUntilAsync(string what, TimeSpan timeout, Func<bool> condition)
    {
        var deadline = DateTime.UtcNow + timeout;
        for (var polls = 0; polls < 100_000 && !condition(); polls++)
        {
            Assert.True(DateTime.UtcNow < deadline, $"waited {timeout.TotalSeconds:0} s for {what}.");
            await Task.Delay(Poll);
        }
    }

    [GeneratedRegex(@"^\w+ listening: shoal://127\.0\.0\.1:(?<port>\d+)")]
    private static partial Regex ListeningLine();

    [GeneratedRegex("^holding$")]
    private static partial Regex HoldingLine();

    [GeneratedRegex("^client ready$")]
    private static partial Regex ClientReadyLine();

    [GeneratedRegex(@"^call (?<order>order-\d+) (?<trace>[0-9a-f]{32}) (?<status>\w+)$")]
    private static partial Regex CallLine();
}

using System.Collections.Concurrent;
using System.Diagnostics;
using Hello;
using Shoal.Client;
using Shoal.Telemetry;

using Shoal.Server.Tests.Infrastructure;

namespace Shoal.Server.Tests.Telemetry;

/// <summary>Client → A → B (cluster channel) with a listener on Shoal's source: one trace, spans nested hop by hop.</summary>
public sealed class TracingTests
{
    private const string TestSourceName = "Shoal.Server.Tests.Tracing";
    private static readonly ActivitySource TestSource = new(TestSourceName);

    [Theory]
    [InlineData(TestTransport.Native, "shoal")]
    [InlineData(TestTransport.Grpc, "grpc")]
    public async Task TwoHops_ListenerAttached_EverySpanSharesTheTraceAndNestsUnderTheCallThatCausedIt(TestTransport transport, string system)
    {
        var spans = new ConcurrentQueue<Activity>();
        using var listener = Listen(spans);
        await using var chain = await Chain.StartAsync(transport, new ShoalChannelOptions());

        ActivityTraceId trace;
        using (var root = TestSource.StartActivity("test")!)
        {
            trace = root.TraceId;
            await chain.Client.SayHelloAsync(new HelloRequest { Name = "echo" }, deadline: TestHost.Deadline());
        }

        // Server spans end after their trailers are written, so the client may see the reply first.
        var mine = await WaitForSpansAsync(spans, trace, count: 5);
        // Over gRPC, Grpc.Net.Client's and HttpClient's spans sit between a Shoal client span and the server's.
        var others = spans.Where(s => s.TraceId == trace && s.Source.Name != ShoalTelemetry.SourceName).ToDictionary(s => s.SpanId, s => s.ParentSpanId);
        ActivitySpanId ShoalParent(Activity span)
        {
            var parent = span.ParentSpanId;
            for (var i = 0; i < 10 && others.TryGetValue(parent, out var above); i++)
            {
                parent = above;
            }
            return parent;
        }
        var client = One(mine, "the client span", s => s.Kind == ActivityKind.Client && s.GetTagItem("shoal.instance.id") is null);
        var serverA = One(mine, "A's server span", s => s.Kind == ActivityKind.Server && ShoalParent(s) == client.SpanId);
        var cluster = One(mine, "A's cluster call", s => s.Kind == ActivityKind.Internal && s.ParentSpanId == serverA.SpanId);
        var attempt = One(mine, "the attempt", s => s.Kind == ActivityKind.Client && s.ParentSpanId == cluster.SpanId);
        var serverB = One(mine, "B's server span", s => s.Kind == ActivityKind.Server && ShoalParent(s) == attempt.SpanId);
        foreach (var span in new[] { client, serverA, attempt, serverB })
        {
            Assert.Equal("hello.Greeter/SayHello", span.DisplayName);
            Assert.Equal(system, span.GetTagItem("rpc.system"));
            Assert.Equal("hello.Greeter", span.GetTagItem("rpc.service"));
            Assert.Equal("SayHello", span.GetTagItem("rpc.method"));
            Assert.Equal(0, span.GetTagItem("rpc.grpc.status_code"));
        }
        Assert.Equal("127.0.0.1", attempt.GetTagItem("server.address"));
        Assert.NotNull(attempt.GetTagItem("shoal.instance.id"));
    }

    private static Activity One(Activity[] spans, string what, Func<Activity, bool> match)
    {
        var found = spans.Where(match).ToArray();
        Assert.True(found.Length == 1, $"Expected one {what}, found {found.Length} among: {Describe(spans)}");
        return found[0];
    }

    private static string Describe(IEnumerable<Activity> spans)
        => string.Join("; ", spans.Select(s => $"{s.Source.Name}:{s.OperationName} {s.Kind} {s.SpanId} <- {s.ParentSpanId} [{string.Join(",", s.TagObjects.Select(t => $"{t.Key}={t.Value}"))}]"));

    private static ActivityListener Listen(ConcurrentQueue<Activity> spans)
    {
        var listener = new ActivityListener
        {
            ShouldListenTo = static _ => true,
            Sample = static (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = spans.Enqueue,
        };
        ActivitySource.AddActivityListener(listener);
        return listener;
    }

    private static async Task<Activity[]> WaitForSpansAsync(ConcurrentQueue<Activity> spans, ActivityTraceId trace, int count)
    {
        var waited = Stopwatch.StartNew();
        while (true)
        {
            var mine = spans.Where(s => s.TraceId == trace && s.Source.Name == ShoalTelemetry.SourceName).ToArray();
            if (mine.Length >= count || waited.Elapsed > TimeSpan.FromSeconds(10))
            {
                Assert.True(mine.Length == count, $"Expected {count} Shoal spans in the trace, saw {mine.Length}: {Describe(spans.Where(s => s.TraceId == trace))}");
                return mine;
            }
            await Task.Delay(20);
        }
    }
}

using Grpc.Core;
using Hello;
using Shoal.Client;

using Shoal.Server.Tests.Infrastructure;

namespace Shoal.Server.Tests.Client;

/// <summary>
/// Client → A (forwards) → B (waits), each hop over the same transport, A reaching B through a
/// cluster channel (<c>static://</c>). The handlers pass nothing by hand.
/// </summary>
public sealed class CallContextPropagationTests
{
    [Theory]
    [InlineData(TestTransport.Native)]
    [InlineData(TestTransport.Grpc)]
    public async Task TwoHops_CallerGivesUpAfterOneSecond_LastHopIsCancelledAndNeverOutlivesTheDeadline(TestTransport transport)
    {
        await using var chain = await Chain.StartAsync(transport, new ShoalChannelOptions());
        // Both hops' connections are up first, so the 1 s deadline is spent on the call, not on dialling.
        await chain.Client.SayHelloAsync(new HelloRequest { Name = "echo" }, deadline: TestHost.Deadline());
        var sent = DateTime.UtcNow;
        var deadline = sent.AddSeconds(1);

        var error = await Assert.ThrowsAsync<RpcException>(async () => await chain.Client.SayHelloAsync(new HelloRequest { Name = "wait" }, deadline: deadline));

        Assert.Equal(StatusCode.DeadlineExceeded, error.StatusCode);
        var (seen, arrived) = await chain.Probe.Started.WaitAsync(TestHost.Timeout);
        AssertPropagated(deadline, sent, arrived, seen);
        // Without propagation B waits its full 30 s; with it, its token fires at the deadline (1 s).
        var ran = await chain.Probe.Cancelled.WaitAsync(TimeSpan.FromSeconds(15));
        Assert.True(ran < TimeSpan.FromSeconds(10), $"B ran {ran.TotalSeconds:0.0} s after the caller's 1 s deadline.");
    }

    [Theory]
    [InlineData(TestTransport.Native)]
    [InlineData(TestTransport.Grpc)]
    public async Task TwoHops_PropagationOff_LastHopHasNoDeadline(TestTransport transport)
    {
        await using var chain = await Chain.StartAsync(transport, new ShoalChannelOptions { PropagateCallContext = false });

        var reply = await chain.Client.SayHelloAsync(new HelloRequest { Name = "echo" }, deadline: TestHost.Deadline());

        Assert.Equal(DateTime.MaxValue.Ticks, long.Parse(reply.Message.Split('|')[0], System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task NativeHandler_PropagationOffButExplicitToken_LastHopGetsTheDeadline()
    {
        await using var chain = await Chain.StartAsync(TestTransport.Native, new ShoalChannelOptions { PropagateCallContext = false }, useToken: true);
        var sent = DateTime.UtcNow;
        var deadline = TestHost.Deadline();

        var reply = await chain.Client.SayHelloAsync(new HelloRequest { Name = "echo" }, deadline: deadline);

        var fields = reply.Message.Split('|');
        AssertPropagated(deadline, sent, Ticks(fields[2]), Ticks(fields[0]));
    }

    /// <summary>
    /// The deadline travels as a relative timeout, so each hop's copy is later by the time its request
    /// spent on the way: B's is at most the time from the client's send to B's arrival later than the
    /// caller's (plus the encoding's rounding), never earlier by more than that rounding.
    /// </summary>
    private static void AssertPropagated(DateTime deadline, DateTime sent, DateTime arrived, DateTime seen)
    {
        var rounding = TimeSpan.FromMilliseconds(50);
        Assert.InRange(seen, deadline - rounding, deadline + (arrived - sent) + rounding);
    }

    private static DateTime Ticks(string field) => new(long.Parse(field, System.Globalization.CultureInfo.InvariantCulture), DateTimeKind.Utc);

    [Theory]
    [InlineData(TestTransport.Native)]
    [InlineData(TestTransport.Grpc)]
    public async Task TwoHops_HeaderNamedForPropagation_ReachesTheLastHopAndOthersDoNot(TestTransport transport)
    {
        var options = new ShoalChannelOptions();
        options.PropagatedHeaders.Add("X-Tenant");
        await using var chain = await Chain.StartAsync(transport, options);

        var reply = await chain.Client.SayHelloAsync(new HelloRequest { Name = "echo" }, new Metadata { { "x-tenant", "blue" }, { "x-other", "no" } }, TestHost.Deadline());

        Assert.Equal("blue", reply.Message.Split('|')[1]);
    }
}

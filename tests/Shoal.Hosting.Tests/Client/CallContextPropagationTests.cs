using Grpc.Core;
using Hello;
using Microsoft.Extensions.DependencyInjection;
using Shoal.Hosting.Client;
using Shoal.Hosting.Tests.Infrastructure;

namespace Shoal.Hosting.Tests.Client;

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
        var deadline = DateTime.UtcNow.AddSeconds(1);

        var error = await Assert.ThrowsAsync<RpcException>(async () => await chain.Client.SayHelloAsync(new HelloRequest { Name = "wait" }, deadline: deadline));

        Assert.Equal(StatusCode.DeadlineExceeded, error.StatusCode);
        var seen = await chain.Probe.Started.WaitAsync(TestHost.Timeout);
        // The deadline travels as a relative timeout, so B's copy may be a little later, never unbounded.
        Assert.InRange(seen, deadline.AddSeconds(-1), deadline.AddMilliseconds(500));
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
        var deadline = TestHost.Deadline();

        var reply = await chain.Client.SayHelloAsync(new HelloRequest { Name = "echo" }, deadline: deadline);

        var seen = new DateTime(long.Parse(reply.Message.Split('|')[0], System.Globalization.CultureInfo.InvariantCulture), DateTimeKind.Utc);
        Assert.InRange(seen, deadline.AddSeconds(-5), deadline.AddMilliseconds(500));
    }

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

    private sealed class Chain : IAsyncDisposable
    {
        private readonly TestHost _a;
        private readonly TestHost _b;
        private readonly ShoalChannel _toB;
        private readonly ShoalChannel _toA;

        private Chain(TestHost a, TestHost b, ShoalChannel toB, ShoalChannel toA, CancellationProbeGreeter probe)
        {
            _a = a;
            _b = b;
            _toB = toB;
            _toA = toA;
            Probe = probe;
            Client = new Greeter.GreeterClient(toA);
        }

        public Greeter.GreeterClient Client { get; }

        public CancellationProbeGreeter Probe { get; }

        public static async Task<Chain> StartAsync(TestTransport transport, ShoalChannelOptions middle, bool useToken = false)
        {
            var probe = new CancellationProbeGreeter();
            var forwarder = new ForwardingGreeter { UseToken = useToken };
            var b = await TestHost.StartAsync(only: transport, services: s => s.AddService<CancellationProbeGreeter>(),
                builder: w => w.Services.AddSingleton(probe));
            TestHost? a = null;
            try
            {
                a = await TestHost.StartAsync(only: transport, services: s => s.AddService<ForwardingGreeter>(),
                    builder: w => w.Services.AddSingleton(forwarder));
                var port = new Uri(b.Target(transport)).Port;
                forwarder.Next = ShoalChannel.ForTarget($"static://127.0.0.1:{port}?transport={(transport == TestTransport.Native ? "native" : "grpc")}", middle);
                return new Chain(a, b, forwarder.Next, a.Channel(transport), probe);
            }
            catch
            {
                if (a is not null)
                {
                    await a.DisposeAsync();
                }
                await b.DisposeAsync();
                throw;
            }
        }

        public async ValueTask DisposeAsync()
        {
            await _toA.DisposeAsync();
            await _a.DisposeAsync();
            await _toB.DisposeAsync();
            await _b.DisposeAsync();
        }
    }
}

using Grpc.Core;
using Shoal.Client.Cluster.Endpoints;
using Shoal.Cluster.Tests.Fakes;

namespace Shoal.Cluster.Tests.FaultTolerance;

/// <summary>
/// The three paths of a unary call: straight to an observing connection (nothing to do after the
/// attempt), the fast path (first attempt direct, strategy only on failure) and the full strategy.
/// </summary>
public sealed class UnaryCallPathTests
{
    private static Task<object> Fail(StatusCode code) => Task.FromException<object>(new RpcException(new Status(code, "injected")));

    private static ClusterEndpoint OnlyEndpoint(ClusterHarness harness) => Assert.Single(harness.Invoker.Snapshot.Ready);

    private static ObservingTestCallInvoker Observing(ClusterHarness harness, Uri address)
        => (ObservingTestCallInvoker)harness.Factory.Connections[address].Invoker;

    [Theory]
    [InlineData("failfast", true)]
    [InlineData("failover", false)]
    public async Task NothingToDoAfterTheAttempt_ObservingConnection_TheConnectionCountsTheCall(string strategy, bool idempotent)
    {
        await using var harness = new ClusterHarness(ClusterHarness.PlainOptions(strategy, idempotent));
        harness.Factory.Observing = true;
        var address = harness.AddInstances(1)[0];

        var (response, status) = await harness.CallAsync();

        Assert.Equal(StatusCode.OK, status.StatusCode);
        Assert.Equal($"ok from {address}", response);
        Assert.Equal(1, Observing(harness, address).ObservedCalls);
        var endpoint = OnlyEndpoint(harness);
        Assert.Equal(0, endpoint.InFlight);
        Assert.Equal(1, endpoint.TotalCalls);
        Assert.True(endpoint.PeakEwmaMilliseconds > 0);
    }

    [Fact]
    public async Task NothingToDoAfterTheAttempt_ObservingConnectionFails_TheFailureCountsAgainstTheEndpoint()
    {
        await using var harness = new ClusterHarness(ClusterHarness.PlainOptions("failfast"));
        harness.Factory.Observing = true;
        harness.Factory.Handler = _ => Fail(StatusCode.Unavailable);
        harness.AddInstances(1);

        var (_, status) = await harness.CallAsync();

        Assert.Equal(StatusCode.Unavailable, status.StatusCode);
        var endpoint = OnlyEndpoint(harness);
        Assert.Equal(1, endpoint.ConsecutiveFailures);
        Assert.Equal(0, endpoint.InFlight);
    }

    [Fact]
    public async Task NothingToDoAfterTheAttempt_CallerCancels_NotCountedAgainstTheEndpoint()
    {
        await using var harness = new ClusterHarness(ClusterHarness.PlainOptions("failfast"));
        harness.Factory.Observing = true;
        harness.Factory.Handler = async call =>
        {
            await Task.Delay(Timeout.Infinite, call.Options.CancellationToken);
            return "never";
        };
        harness.AddInstances(1);
        using var cancellation = new CancellationTokenSource();

        var calling = harness.CallAsync(options: new CallOptions(cancellationToken: cancellation.Token));
        await Wait.UntilAsync(() => OnlyEndpoint(harness).InFlight == 1, "the call to start");
        await cancellation.CancelAsync();
        var (_, status) = await calling.WithTimeout();

        Assert.Equal(StatusCode.Cancelled, status.StatusCode);
        var endpoint = OnlyEndpoint(harness);
        Assert.Equal(0, endpoint.ConsecutiveFailures);
        Assert.Equal(0, endpoint.InFlight);
    }

    [Fact]
    public async Task IdempotentFailover_ObservingConnections_StillRetriesOnAnotherInstance()
    {
        await using var harness = new ClusterHarness(ClusterHarness.PlainOptions("failover", idempotent: true));
        harness.Factory.Observing = true;
        var addresses = harness.AddInstances(2);
        harness.Factory.Handler = call => call.Address == addresses[0] ? Fail(StatusCode.Unavailable) : Task.FromResult<object>("ok");

        for (var i = 0; i < 4; i++)
        {
            var (response, status) = await harness.CallAsync();
            Assert.Equal(StatusCode.OK, status.StatusCode);
            Assert.Equal("ok", response);
        }
        Assert.Equal(0, Observing(harness, addresses[0]).ObservedCalls + Observing(harness, addresses[1]).ObservedCalls);
        Assert.True(harness.CallsTo(addresses[0]) >= 1, "the failing instance was tried");
    }

    [Fact]
    public async Task FastPath_DisposedWhileWaitingToRetry_EndsCancelledWithoutTheRetry()
    {
        var options = ClusterHarness.PlainOptions("failover", idempotent: true);
        options.DefaultMethod.RetryBackoff = TimeSpan.FromMinutes(1);
        await using var harness = new ClusterHarness(options);
        harness.Factory.Handler = _ => Fail(StatusCode.Unavailable);
        harness.AddInstances(2);

        var call = harness.Invoker.AsyncUnaryCall(TestMethods.Unary, null, default, "hi");
        await Wait.UntilAsync(() => harness.TotalCalls == 1, "the first attempt");
        call.Dispose();
        var error = await Assert.ThrowsAsync<RpcException>(() => call.ResponseAsync.WithTimeout());

        Assert.Equal(StatusCode.Cancelled, error.StatusCode);
        Assert.Equal(1, harness.TotalCalls);
        Assert.Equal(StatusCode.Cancelled, call.GetStatus().StatusCode);
    }

    [Fact]
    public async Task FastPath_HeadersAskedBeforeTheResponse_CompleteWithIt()
    {
        await using var harness = new ClusterHarness(ClusterHarness.PlainOptions("failover", idempotent: true));
        var release = new TaskCompletionSource<object>(TaskCreationOptions.RunContinuationsAsynchronously);
        harness.Factory.Handler = _ => release.Task;
        harness.AddInstances(1);

        using var call = harness.Invoker.AsyncUnaryCall(TestMethods.Unary, null, default, "hi");
        var headers = call.ResponseHeadersAsync;
        Assert.False(headers.IsCompleted);
        Assert.Throws<InvalidOperationException>(() => call.GetStatus());
        release.SetResult("done");

        Assert.Equal("done", await call.ResponseAsync.WithTimeout());
        Assert.NotNull(await headers.WithTimeout());
        Assert.Equal(StatusCode.OK, call.GetStatus().StatusCode);
        Assert.Empty(call.GetTrailers());
    }
}

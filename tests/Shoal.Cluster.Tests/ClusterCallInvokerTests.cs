using Grpc.Core;
using Microsoft.Extensions.Options;
using Shoal.Client.Cluster;
using Shoal.Cluster.Tests.Fakes;
using Shoal.Connections;

namespace Shoal.Cluster.Tests;

public sealed class ClusterCallInvokerTests
{
    [Fact]
    public async Task NoInstance_WaitForReadyTimeoutPasses_FailsWithUnavailableNamingTheService()
    {
        await using var harness = new ClusterHarness(ClusterHarness.PlainOptions());

        var call = harness.CallAsync();
        Assert.False(call.IsCompleted);
        harness.Time.Advance(TimeSpan.FromSeconds(5));
        var (_, status) = await call;

        Assert.Equal(StatusCode.Unavailable, status.StatusCode);
        Assert.Equal("no ready instance of hello.Greeter", status.Detail);
    }

    [Fact]
    public async Task NoInstance_DeadlineSoonerThanWaitForReady_FailsAtTheDeadline()
    {
        await using var harness = new ClusterHarness(ClusterHarness.PlainOptions());
        var deadline = harness.Time.GetUtcNow().UtcDateTime.AddSeconds(1);

        var call = harness.CallAsync(options: new CallOptions(deadline: deadline));
        harness.Time.Advance(TimeSpan.FromSeconds(1));
        var (_, status) = await call;

        Assert.Equal(StatusCode.Unavailable, status.StatusCode);
    }

    [Fact]
    public async Task NoInstance_InstanceBecomesReadyWhileWaiting_CallSucceeds()
    {
        await using var harness = new ClusterHarness(ClusterHarness.PlainOptions());

        var call = harness.CallAsync();
        harness.AddInstances(1);
        var (response, status) = await call;

        Assert.Equal(StatusCode.OK, status.StatusCode);
        Assert.Equal("ok from shoal://127.0.0.1:7000/", response);
    }

    [Fact]
    public async Task StartAsync_ResolverDeliversSet_ReturnsTrueAndCallsSucceed()
    {
        await using var harness = new ClusterHarness(ClusterHarness.PlainOptions());
        harness.Resolver.Push(TestInstances.Set(1, TestInstances.Instance(7000), TestInstances.Instance(7010)));

        Assert.True(await harness.Invoker.StartAsync().WithTimeout());
        Assert.Equal(2, harness.Invoker.Snapshot.Ready.Length);
        Assert.Equal(StatusCode.OK, (await harness.CallAsync()).Status.StatusCode);
    }

    [Fact]
    public async Task BlockingUnaryCall_ReadyInstance_ReturnsTheResponse()
    {
        await using var harness = new ClusterHarness(ClusterHarness.PlainOptions());
        harness.AddInstances(1);

        var response = harness.Invoker.BlockingUnaryCall(TestMethods.Unary, null, default, "hi");

        Assert.Equal("ok from shoal://127.0.0.1:7000/", response);
    }

    [Fact]
    public async Task UnaryCall_Completes_LoadFeedbackReachesTheEndpoint()
    {
        await using var harness = new ClusterHarness(ClusterHarness.PlainOptions());
        harness.AddInstances(1);

        await harness.CallAsync();

        var endpoint = Assert.Single(harness.Invoker.Snapshot.Ready);
        Assert.Equal(0, endpoint.InFlight);
        Assert.Equal(1, endpoint.TotalCalls);
    }

    [Fact]
    public async Task ServerStreamingCall_ReadyInstance_PicksOnceAndTracksTheStream()
    {
        await using var harness = new ClusterHarness(ClusterHarness.PlainOptions());
        harness.AddInstances(2);

        using var call = harness.Invoker.AsyncServerStreamingCall(TestMethods.ServerStream, null, default, "hi");
        var endpointsInFlight = harness.Invoker.Snapshot.Ready.Sum(e => e.InFlight);
        Assert.True(await call.ResponseStream.MoveNext(CancellationToken.None).WithTimeout());
        Assert.StartsWith("ok from", call.ResponseStream.Current);
        Assert.False(await call.ResponseStream.MoveNext(CancellationToken.None).WithTimeout());

        Assert.Equal(1, endpointsInFlight);
        Assert.Equal(1, harness.TotalCalls);
        Assert.All(harness.Invoker.Snapshot.Ready, e => Assert.Equal(0, e.InFlight));
    }

    [Fact]
    public async Task ServerStreamingCall_ReadFails_TheCallerSeesItsStatus_AndTheEndpointIsCharged()
    {
        await using var harness = new ClusterHarness(ClusterHarness.PlainOptions());
        harness.Factory.Handler = _ => Task.FromException<object>(new RpcException(new Status(StatusCode.Unavailable, "the stream broke")));
        harness.AddInstances(1);

        using var call = harness.Invoker.AsyncServerStreamingCall(TestMethods.ServerStream, null, default, "hi");
        var ex = await Assert.ThrowsAsync<RpcException>(() => call.ResponseStream.MoveNext(CancellationToken.None).WithTimeout());

        Assert.Equal((StatusCode.Unavailable, "the stream broke"), (ex.StatusCode, ex.Status.Detail));
        var endpoint = Assert.Single(harness.Invoker.Snapshot.Ready);
        Assert.Equal(0, endpoint.InFlight);
        Assert.Equal(1, endpoint.ConsecutiveFailures);
    }

    [Fact]
    public async Task ServerStreamingCall_MessageArrivesAfterTheRead_IsDelivered_AndTheEndCompletesTheAttempt()
    {
        await using var harness = new ClusterHarness(ClusterHarness.PlainOptions());
        var reply = new TaskCompletionSource<object>(TaskCreationOptions.RunContinuationsAsynchronously);
        harness.Factory.Handler = _ => reply.Task;
        harness.AddInstances(1);

        using var call = harness.Invoker.AsyncServerStreamingCall(TestMethods.ServerStream, null, default, "hi");
        var read = call.ResponseStream.MoveNext(CancellationToken.None);
        Assert.False(read.IsCompleted);
        reply.SetResult("late");

        Assert.True(await read.WithTimeout());
        Assert.Equal("late", call.ResponseStream.Current);
        var endpoint = Assert.Single(harness.Invoker.Snapshot.Ready);
        Assert.Equal(1, endpoint.InFlight);
        Assert.False(await call.ResponseStream.MoveNext(CancellationToken.None).WithTimeout());
        Assert.Equal((0, 0, 1L), (endpoint.InFlight, endpoint.ConsecutiveFailures, endpoint.TotalCalls));
    }

    [Fact]
    public async Task ServerStreamingCall_NoInstance_FailsWithUnavailableAfterWaiting()
    {
        await using var harness = new ClusterHarness(ClusterHarness.PlainOptions());

        using var call = harness.Invoker.AsyncServerStreamingCall(TestMethods.ServerStream, null, default, "hi");
        var read = call.ResponseStream.MoveNext(CancellationToken.None);
        harness.Time.Advance(TimeSpan.FromSeconds(5));

        var ex = await Assert.ThrowsAsync<RpcException>(() => read.WithTimeout());
        Assert.Equal(StatusCode.Unavailable, ex.StatusCode);
    }

    [Fact]
    public async Task ServerStreamingCall_InstanceArrivesWhileWaiting_StreamStartsOnIt()
    {
        await using var harness = new ClusterHarness(ClusterHarness.PlainOptions());

        using var call = harness.Invoker.AsyncServerStreamingCall(TestMethods.ServerStream, null, default, "hi");
        var read = call.ResponseStream.MoveNext(CancellationToken.None);
        harness.AddInstances(1);

        Assert.True(await read.WithTimeout());
        Assert.Equal("ok from shoal://127.0.0.1:7000/", call.ResponseStream.Current);
    }

    [Fact]
    public async Task ConnectionBreaks_NextCalls_GoOnlyToTheOthers()
    {
        await using var harness = new ClusterHarness(ClusterHarness.PlainOptions());
        var addresses = harness.AddInstances(3);

        harness.Factory.Connections[addresses[1]].SetState(ConnectionState.TransientFailure);
        for (var i = 0; i < 30; i++)
        {
            Assert.Equal(StatusCode.OK, (await harness.CallAsync()).Status.StatusCode);
        }

        Assert.Equal(0, harness.CallsTo(addresses[1]));
    }

    [Fact]
    public void Constructor_UnknownPolicyAndStrategy_ThrowsListingBoth()
    {
        var options = new ClusterOptions();
        options.LoadBalancing.Policy = "fastest";
        options.DefaultMethod.Strategy = "pray";

        var ex = Assert.Throws<OptionsValidationException>(() => new ClusterCallInvoker("hello.Greeter", new FakeResolver(), [new FakeConnectionFactory()], options));

        Assert.Contains(ex.Failures, f => f.Contains("'fastest' is unknown", StringComparison.Ordinal));
        Assert.Contains(ex.Failures, f => f.Contains("'pray' is unknown", StringComparison.Ordinal));
    }
}

using Grpc.Core;
using Shoal.Cluster.Tests.Fakes;

namespace Shoal.Cluster.Tests.FaultTolerance;

public sealed class StrategyTests
{
    private static Task<object> Fail(StatusCode code) => Task.FromException<object>(new RpcException(new Status(code, "injected")));

    [Fact]
    public async Task Failfast_Unavailable_OneAttemptAndTheError()
    {
        await using var harness = new ClusterHarness(ClusterHarness.PlainOptions("failfast"));
        harness.Factory.Handler = _ => Fail(StatusCode.Unavailable);
        harness.AddInstances(3);

        var (_, status) = await harness.CallAsync();

        Assert.Equal(StatusCode.Unavailable, status.StatusCode);
        Assert.Equal(1, harness.TotalCalls);
    }

    [Fact]
    public async Task Failsafe_Failure_ReturnsTheDefaultResponseWithOk()
    {
        await using var harness = new ClusterHarness(ClusterHarness.PlainOptions("failsafe"));
        harness.Factory.Handler = _ => Fail(StatusCode.Internal);
        harness.AddInstances(2);

        var (response, status) = await harness.CallAsync();

        Assert.Equal(StatusCode.OK, status.StatusCode);
        Assert.Equal("", response);
    }

    [Fact]
    public async Task Failback_Failure_ReturnsDefaultAtOnceAndRetriesInTheBackground()
    {
        await using var harness = new ClusterHarness(ClusterHarness.PlainOptions("failback"));
        var attempts = 0;
        var retried = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        harness.Factory.Handler = _ =>
        {
            if (Interlocked.Increment(ref attempts) == 1)
            {
                return Fail(StatusCode.Unavailable);
            }
            retried.TrySetResult();
            return Task.FromResult<object>("ok");
        };
        harness.AddInstances(2);

        var (response, status) = await harness.CallAsync();
        Assert.Equal(StatusCode.OK, status.StatusCode);
        Assert.Equal("", response);
        Assert.Equal(1, attempts);

        // The first background retry waits FailbackBackoff (1 s).
        harness.Time.Advance(TimeSpan.FromSeconds(1));
        await retried.Task.WithTimeout();
        Assert.Equal(2, attempts);
    }

    [Fact]
    public async Task Failback_QueueFull_DropsTheCall()
    {
        var options = ClusterHarness.PlainOptions("failback");
        options.FailbackQueueCapacity = 1;
        await using var harness = new ClusterHarness(options);
        harness.Factory.Handler = _ => Fail(StatusCode.Unavailable);
        harness.AddInstances(1);

        await harness.CallAsync();
        var (_, status) = await harness.CallAsync();

        Assert.Equal(StatusCode.Unavailable, status.StatusCode);
    }

    [Fact]
    public async Task Forking_OneInstanceHangs_FirstSuccessWinsAndTheOtherIsCancelled()
    {
        var options = ClusterHarness.PlainOptions("forking");
        options.DefaultMethod.Forks = 2;
        await using var harness = new ClusterHarness(options);
        var hungCancelled = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        harness.Factory.Handler = async call =>
        {
            if (call.Address.Port == 7000)
            {
                try
                {
                    await Task.Delay(Timeout.Infinite, call.Options.CancellationToken);
                }
                catch (OperationCanceledException)
                {
                    hungCancelled.TrySetResult();
                    throw new RpcException(new Status(StatusCode.Cancelled, "cancelled"));
                }
            }
            return "fast";
        };
        harness.AddInstances(2);

        var (response, _) = await harness.CallAsync();

        Assert.Equal("fast", response);
        await hungCancelled.Task.WithTimeout();
        Assert.Equal(1, harness.CallsTo(TestInstances.Native(7000)));
        Assert.Equal(1, harness.CallsTo(TestInstances.Native(7010)));
    }

    [Fact]
    public async Task Forking_AllFail_ReturnsAFailure()
    {
        await using var harness = new ClusterHarness(ClusterHarness.PlainOptions("forking"));
        harness.Factory.Handler = _ => Fail(StatusCode.Unavailable);
        harness.AddInstances(3);

        var (_, status) = await harness.CallAsync();

        Assert.Equal(StatusCode.Unavailable, status.StatusCode);
        Assert.Equal(2, harness.TotalCalls);
    }

    [Fact]
    public async Task Broadcast_AllSucceed_EveryReadyInstanceIsCalled()
    {
        await using var harness = new ClusterHarness(ClusterHarness.PlainOptions("broadcast"));
        var addresses = harness.AddInstances(4);

        var (_, status) = await harness.CallAsync();

        Assert.Equal(StatusCode.OK, status.StatusCode);
        Assert.All(addresses, a => Assert.Equal(1, harness.CallsTo(a)));
    }

    [Fact]
    public async Task Broadcast_OneFails_TheCallFails()
    {
        await using var harness = new ClusterHarness(ClusterHarness.PlainOptions("broadcast"));
        harness.Factory.Handler = call => call.Address.Port == 7010 ? Fail(StatusCode.Internal) : Task.FromResult<object>("ok");
        harness.AddInstances(3);

        var (_, status) = await harness.CallAsync();

        Assert.Equal(StatusCode.Internal, status.StatusCode);
        Assert.Equal(3, harness.TotalCalls);
    }

    [Fact]
    public async Task Hedging_FirstAttemptSlow_SecondAttemptAfterDelayWins()
    {
        var options = ClusterHarness.PlainOptions("hedging");
        options.DefaultMethod.HedgingDelay = TimeSpan.FromMilliseconds(100);
        await using var harness = new ClusterHarness(options);
        var firstArrived = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var firstCancelled = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var attempts = 0;
        harness.Factory.Handler = async call =>
        {
            if (Interlocked.Increment(ref attempts) == 1)
            {
                firstArrived.TrySetResult();
                try
                {
                    await Task.Delay(Timeout.Infinite, call.Options.CancellationToken);
                }
                catch (OperationCanceledException)
                {
                    firstCancelled.TrySetResult();
                    throw new RpcException(new Status(StatusCode.Cancelled, "cancelled"));
                }
            }
            return $"answer from {call.Address.Port}";
        };
        harness.AddInstances(2);

        var callTask = harness.CallAsync();
        await firstArrived.Task.WithTimeout();
        Assert.False(callTask.IsCompleted);
        harness.Time.Advance(TimeSpan.FromMilliseconds(100));
        var (response, status) = await callTask;

        Assert.Equal(StatusCode.OK, status.StatusCode);
        Assert.StartsWith("answer from", response);
        Assert.Equal(2, attempts);
        await firstCancelled.Task.WithTimeout();
        Assert.Equal(1, harness.CallsTo(TestInstances.Native(7000)));
        Assert.Equal(1, harness.CallsTo(TestInstances.Native(7010)));
    }

    [Fact]
    public async Task Hedging_FirstAttemptFast_NoHedgeIsSent()
    {
        await using var harness = new ClusterHarness(ClusterHarness.PlainOptions("hedging"));
        harness.AddInstances(2);

        var (_, status) = await harness.CallAsync();
        harness.Time.Advance(TimeSpan.FromSeconds(1));

        Assert.Equal(StatusCode.OK, status.StatusCode);
        Assert.Equal(1, harness.TotalCalls);
    }

    [Fact]
    public async Task Hedging_NotIdempotent_OneAttemptOnly()
    {
        await using var harness = new ClusterHarness(ClusterHarness.PlainOptions("hedging", idempotent: false));
        harness.Factory.Handler = _ => Fail(StatusCode.Unavailable);
        harness.AddInstances(2);

        var (_, status) = await harness.CallAsync();

        Assert.Equal(StatusCode.Unavailable, status.StatusCode);
        Assert.Equal(1, harness.TotalCalls);
    }
}

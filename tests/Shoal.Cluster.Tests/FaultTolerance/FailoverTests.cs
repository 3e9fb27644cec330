using Grpc.Core;
using Shoal.Client.Cluster.FaultTolerance;
using Shoal.Cluster.Tests.Fakes;

namespace Shoal.Cluster.Tests.FaultTolerance;

public sealed class FailoverTests
{
    private static Task<object> Fail(StatusCode code) => Task.FromException<object>(new RpcException(new Status(code, "injected")));

    [Fact]
    public async Task IdempotentCall_TwoOfThreeUnavailable_SucceedsEveryTimeOnDistinctInstances()
    {
        await using var harness = new ClusterHarness(ClusterHarness.PlainOptions(policy: "random"));
        harness.Factory.Handler = call => call.Address.Port == 7020 ? Task.FromResult<object>("ok") : Fail(StatusCode.Unavailable);
        harness.AddInstances(3);

        for (var i = 0; i < 50; i++)
        {
            var headers = new Metadata { { "x-call", i.ToString(System.Globalization.CultureInfo.InvariantCulture) } };
            var (response, status) = await harness.CallAsync(options: new CallOptions(headers));
            Assert.Equal(StatusCode.OK, status.StatusCode);
            Assert.Equal("ok", response);
            var hits = harness.Factory.Connections.Values
                .SelectMany(c => c.TestInvoker.Received.Where(r => r.Header("x-call") == i.ToString(System.Globalization.CultureInfo.InvariantCulture)).Select(r => r.Address))
                .ToList();
            Assert.Equal(hits.Count, hits.Distinct().Count());
        }
    }

    [Fact]
    public async Task NonIdempotentCall_Unavailable_IsNotRetried()
    {
        await using var harness = new ClusterHarness(ClusterHarness.PlainOptions(idempotent: false));
        harness.Factory.Handler = _ => Fail(StatusCode.Unavailable);
        harness.AddInstances(3);

        var (_, status) = await harness.CallAsync();

        Assert.Equal(StatusCode.Unavailable, status.StatusCode);
        Assert.Equal(1, harness.TotalCalls);
    }

    [Fact]
    public async Task IdempotentCall_NonRetryableCode_IsNotRetried()
    {
        await using var harness = new ClusterHarness(ClusterHarness.PlainOptions());
        harness.Factory.Handler = _ => Fail(StatusCode.InvalidArgument);
        harness.AddInstances(3);

        var (_, status) = await harness.CallAsync();

        Assert.Equal(StatusCode.InvalidArgument, status.StatusCode);
        Assert.Equal(1, harness.TotalCalls);
    }

    [Fact]
    public async Task IdempotentCall_AllUnavailable_StopsAfterDefaultTwoRetries()
    {
        await using var harness = new ClusterHarness(ClusterHarness.PlainOptions());
        harness.Factory.Handler = _ => Fail(StatusCode.Unavailable);
        harness.AddInstances(5);

        var (_, status) = await harness.CallAsync();

        Assert.Equal(StatusCode.Unavailable, status.StatusCode);
        Assert.Equal(3, harness.TotalCalls);
    }

    [Fact]
    public async Task MethodKeyedPolicy_ExactKeyBeatsServiceWildcard()
    {
        var options = ClusterHarness.PlainOptions(idempotent: false);
        options.Methods["hello.Greeter/*"] = new MethodPolicy { Strategy = "failfast" };
        options.Methods["/hello.Greeter/SayHello"] = new MethodPolicy { Strategy = "failover", Idempotent = true };
        await using var harness = new ClusterHarness(options);
        harness.Factory.Handler = _ => Fail(StatusCode.Unavailable);
        harness.AddInstances(3);

        await harness.CallAsync(TestMethods.Unary);
        Assert.Equal(3, harness.TotalCalls);
        await harness.CallAsync(TestMethods.Other);
        Assert.Equal(4, harness.TotalCalls);
    }

    [Fact]
    public async Task DeadlinePassedDuringAttempt_NoRetryIsSent()
    {
        await using var harness = new ClusterHarness(ClusterHarness.PlainOptions());
        harness.Factory.Handler = _ =>
        {
            harness.Time.Advance(TimeSpan.FromSeconds(2));
            return Fail(StatusCode.Unavailable);
        };
        harness.AddInstances(3);
        var deadline = harness.Time.GetUtcNow().UtcDateTime.AddSeconds(1);

        var (_, status) = await harness.CallAsync(options: new CallOptions(deadline: deadline));

        Assert.Equal(StatusCode.Unavailable, status.StatusCode);
        Assert.Equal(1, harness.TotalCalls);
    }

    [Fact]
    public async Task FailingCluster_RetryBudget_CapsRetriesAtItsRatio()
    {
        var options = ClusterHarness.PlainOptions();
        options.RetryBudget.Ratio = 0.2;
        options.RetryBudget.MinRetriesPerSecond = 0;
        await using var harness = new ClusterHarness(options);
        harness.Factory.Handler = _ => Fail(StatusCode.Unavailable);
        harness.AddInstances(3);

        const int calls = 500;
        for (var i = 0; i < calls; i++)
        {
            await harness.CallAsync();
        }

        // Without the budget every call would make 3 attempts (1,500 in all).
        Assert.InRange(harness.TotalCalls, calls, (int)(calls * 1.2) + 1);
    }

    [Fact]
    public async Task SingleInstance_Unavailable_RetriesOnTheOnlyInstanceLeft()
    {
        await using var harness = new ClusterHarness(ClusterHarness.PlainOptions());
        var attempts = 0;
        harness.Factory.Handler = _ => Interlocked.Increment(ref attempts) == 1 ? Fail(StatusCode.Unavailable) : Task.FromResult<object>("ok");
        harness.AddInstances(1);

        var (response, _) = await harness.CallAsync();

        Assert.Equal("ok", response);
        Assert.Equal(2, attempts);
    }
}

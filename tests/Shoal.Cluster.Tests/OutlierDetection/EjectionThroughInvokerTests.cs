using Grpc.Core;
using Shoal.Cluster.Tests.Fakes;

namespace Shoal.Cluster.Tests.OutlierDetection;

public sealed class EjectionThroughInvokerTests
{
    [Fact]
    public async Task FailingInstance_EjectedAfterFiveFailures_ThenGetsNoCalls()
    {
        var options = ClusterHarness.PlainOptions("failover");
        options.OutlierEjection.Enabled = true;
        await using var harness = new ClusterHarness(options);
        harness.Factory.Handler = call => call.Address.Port == 7010
            ? Task.FromException<object>(new RpcException(new Status(StatusCode.Unavailable, "down")))
            : Task.FromResult<object>("ok");
        var addresses = harness.AddInstances(3);

        for (var i = 0; i < 60; i++)
        {
            Assert.Equal(StatusCode.OK, (await harness.CallAsync()).Status.StatusCode);
        }

        Assert.Equal(5, harness.CallsTo(addresses[1]));
        Assert.DoesNotContain(harness.Invoker.Snapshot.Ready, e => e.Address == addresses[1]);
    }

    [Fact]
    public async Task ApplicationErrors_DoNotCountAgainstTheInstance()
    {
        var options = ClusterHarness.PlainOptions("failfast");
        options.OutlierEjection.Enabled = true;
        await using var harness = new ClusterHarness(options);
        harness.Factory.Handler = _ => Task.FromException<object>(new RpcException(new Status(StatusCode.NotFound, "no such user")));
        harness.AddInstances(2);

        for (var i = 0; i < 30; i++)
        {
            await harness.CallAsync();
        }

        Assert.Equal(2, harness.Invoker.Snapshot.Ready.Length);
    }
}

using Shoal.Client.Cluster;
using Shoal.Client.Cluster.FaultTolerance;

namespace Shoal.Cluster.Tests;

public sealed class ClusterOptionsValidatorTests
{
    [Fact]
    public void Defaults_AreValid()
    {
        var result = new ClusterOptionsValidator().Validate(null, new ClusterOptions());

        Assert.True(result.Succeeded, result.FailureMessage);
    }

    [Fact]
    public void Defaults_AreP2cEwmaAndFailoverWithTwoRetries()
    {
        var options = new ClusterOptions();

        Assert.Equal("p2c_ewma", options.LoadBalancing.Policy);
        Assert.Equal("failover", options.DefaultMethod.Strategy);
        Assert.Equal(2, options.DefaultMethod.Retries);
        Assert.Equal(TimeSpan.FromSeconds(60), options.LoadBalancing.WarmupPeriod);
        Assert.Equal(50, options.OutlierEjection.MaxEjectionPercent);
        Assert.Equal(5, options.OutlierEjection.ConsecutiveFailures);
    }

    [Theory]
    [InlineData("/hello.Greeter/SayHello", true)]
    [InlineData("hello.Greeter/*", true)]
    [InlineData("*", true)]
    [InlineData("hello.Greeter", false)]
    [InlineData("/a/b/c", false)]
    public void MethodKeys_AreChecked(string key, bool valid)
    {
        var options = new ClusterOptions();
        options.Methods[key] = new MethodPolicy();

        Assert.Equal(valid, new ClusterOptionsValidator().Validate(null, options).Succeeded);
    }

    [Fact]
    public void OutOfRangeValues_AreAllReported()
    {
        var options = new ClusterOptions { WaitForReadyTimeout = TimeSpan.FromSeconds(-1) };
        options.LoadBalancing.WarmupMinWeightPercent = 0;
        options.RetryBudget.Ratio = -1;
        options.DefaultMethod.Retries = 100;

        var result = new ClusterOptionsValidator().Validate(null, options);

        Assert.True(result.Failed);
        Assert.Equal(4, result.Failures!.Count());
    }
}

using Shoal.Cli.Commands;
using Shoal.Cli.Commands.Bench;

namespace Shoal.Cli.Tests.Commands.Bench;

public sealed class TargetPoliciesTests
{
    [Theory]
    [InlineData("registry://127.0.0.1:2379/hello.Greeter", "p2c_ewma", "hedging", "registry://127.0.0.1:2379/hello.Greeter?lb=p2c_ewma&strategy=hedging")]
    [InlineData("static://a:1,b:2?transport=grpc", "random", null, "static://a:1,b:2?transport=grpc&lb=random")]
    [InlineData("static://a:1,b:2?lb=random", "round_robin", "failover", "static://a:1,b:2?lb=random&strategy=failover")]
    [InlineData("dns:///greeter:7000", null, null, "dns:///greeter:7000")]
    public void ClusterTargets_CarryThePoliciesInTheirQuery(string target, string? lb, string? strategy, string expected)
    {
        Assert.Equal(expected, TargetPolicies.Apply(target, lb, strategy, out var ignored));
        Assert.False(ignored);
    }

    [Fact]
    public void DirectTarget_IsUnchanged_AndSaysThePoliciesAreIgnored()
    {
        Assert.Equal("shoal://127.0.0.1:7000", TargetPolicies.Apply("shoal://127.0.0.1:7000", "random", null, out var ignored));
        Assert.True(ignored);
    }

    [Fact]
    public void MalformedTarget_IsAUsageError()
    {
        Assert.Throws<UsageException>(() => TargetPolicies.Apply("nowhere", "random", null, out _));
    }
}

namespace Shoal.Cli.Commands.Bench;

/// <summary>The load balancer and fault-tolerance strategy names a cluster target accepts.</summary>
internal static class ChannelPolicyNames
{
    /// <summary>Load balancers.</summary>
    public static readonly string[] LoadBalancers = ["round_robin", "random", "least_request", "p2c_ewma", "consistent_hash"];

    /// <summary>Fault-tolerance strategies.</summary>
    public static readonly string[] Strategies = ["failover", "failfast", "failsafe", "failback", "forking", "broadcast", "hedging"];
}

namespace Shoal.Client.Cluster.FaultTolerance;

/// <summary>The names of the built-in fault-tolerance strategies.</summary>
public static class FaultToleranceNames
{
    /// <summary>Retry on a different instance (idempotent methods, retryable codes); the default.</summary>
    public const string Failover = "failover";

    /// <summary>One attempt; its error is the call's error.</summary>
    public const string Failfast = "failfast";

    /// <summary>One attempt; an error is logged and swallowed, the caller gets the default response.</summary>
    public const string Failsafe = "failsafe";

    /// <summary>One attempt; on error the caller gets the default response and the call is retried in the background.</summary>
    public const string Failback = "failback";

    /// <summary>Several instances in parallel; the first success wins.</summary>
    public const string Forking = "forking";

    /// <summary>Every ready instance; fails if any fails.</summary>
    public const string Broadcast = "broadcast";

    /// <summary>A second attempt after a delay when the first has not answered; the first success wins.</summary>
    public const string Hedging = "hedging";

    /// <summary>The strategy used when none is configured.</summary>
    public const string Default = Failover;
}

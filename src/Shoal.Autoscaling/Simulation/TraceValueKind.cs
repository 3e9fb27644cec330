namespace Shoal.Autoscaling.Simulation;

/// <summary>What the numbers of a trace file are.</summary>
public enum TraceValueKind
{
    /// <summary>Decided by the header (a name with rate, rps, qps or per second is a rate; count, requests, hits or calls a count); without a header, a count when rows have timestamps and a rate when they do not.</summary>
    Auto,

    /// <summary>Requests per interval.</summary>
    Count,

    /// <summary>Requests per second.</summary>
    Rate,
}

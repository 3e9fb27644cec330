namespace Shoal.Client.Cluster.LoadBalancing;

/// <summary>What a <see cref="PickResult"/> asks the caller to do.</summary>
public enum PickResultType
{
    /// <summary>Send the call to <see cref="PickResult.Endpoint"/>.</summary>
    Endpoint,

    /// <summary>Nothing can be picked now; wait for a new picker (wait-for-ready) or fail when the wait ends.</summary>
    Queue,

    /// <summary>Fail this attempt with <see cref="PickResult.Status"/>; a fault-tolerance strategy may try again.</summary>
    Failure,

    /// <summary>Fail the call with <see cref="PickResult.Status"/> and do not retry it (load shedding).</summary>
    Drop,
}

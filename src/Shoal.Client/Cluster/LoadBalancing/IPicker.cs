namespace Shoal.Client.Cluster.LoadBalancing;

/// <summary>
/// Chooses an endpoint for one attempt over an immutable snapshot (grpc-dotnet's
/// <c>SubchannelPicker</c>, kitex's <c>Picker.Next</c>). A picker is immutable once built, safe to
/// call from any thread, lock-free, O(1) or O(log n), allocates nothing, never retries and never
/// does I/O.
/// </summary>
public interface IPicker
{
    /// <summary>Picks for one attempt.</summary>
    PickResult Pick(in PickContext context);
}

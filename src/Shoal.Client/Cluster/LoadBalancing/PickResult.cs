using Grpc.Core;
using Shoal.Client.Cluster.Endpoints;

namespace Shoal.Client.Cluster.LoadBalancing;

/// <summary>
/// The outcome of one <see cref="IPicker.Pick"/>. A value type built by static factories, as
/// grpc-dotnet's <c>PickResult</c>, so that picking allocates nothing.
/// </summary>
public readonly struct PickResult
{
    private PickResult(PickResultType type, ClusterEndpoint? endpoint, ICallTracker? tracker, Status status)
    {
        Type = type;
        Endpoint = endpoint;
        Tracker = tracker;
        Status = status;
    }

    /// <summary>What the caller should do.</summary>
    public PickResultType Type { get; }

    /// <summary>The picked endpoint when <see cref="Type"/> is <see cref="PickResultType.Endpoint"/>.</summary>
    public ClusterEndpoint? Endpoint { get; }

    /// <summary>Receives the call's start and completion (load feedback); the endpoint itself unless a picker supplies another.</summary>
    public ICallTracker? Tracker { get; }

    /// <summary>The status of a failure or a drop.</summary>
    public Status Status { get; }

    /// <summary>Send the call to <paramref name="endpoint"/>, reporting to <paramref name="tracker"/> (the endpoint when null).</summary>
    public static PickResult ForEndpoint(ClusterEndpoint endpoint, ICallTracker? tracker = null)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        return new PickResult(PickResultType.Endpoint, endpoint, tracker ?? endpoint, Status.DefaultSuccess);
    }

    /// <summary>Nothing is ready: wait for the next picker.</summary>
    public static PickResult ForQueue() => new(PickResultType.Queue, null, null, Status.DefaultSuccess);

    /// <summary>Fail this attempt with <paramref name="status"/> (it must not be OK).</summary>
    public static PickResult ForFailure(Status status)
    {
        if (status.StatusCode == StatusCode.OK)
        {
            throw new ArgumentException("A failure needs a status other than OK.", nameof(status));
        }
        return new PickResult(PickResultType.Failure, null, null, status);
    }

    /// <summary>Fail the call with <paramref name="status"/> and do not retry (it must not be OK).</summary>
    public static PickResult ForDrop(Status status)
    {
        if (status.StatusCode == StatusCode.OK)
        {
            throw new ArgumentException("A drop needs a status other than OK.", nameof(status));
        }
        return new PickResult(PickResultType.Drop, null, null, status);
    }

    /// <inheritdoc/>
    public override string ToString() => Type == PickResultType.Endpoint ? $"Endpoint({Endpoint!.Address})" : $"{Type}({Status})";
}

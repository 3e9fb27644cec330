namespace Shoal.Client.Cluster.LoadBalancing.Internal;

/// <summary>The picker while nothing is ready: every pick waits for the next picker.</summary>
internal sealed class QueuePicker : IPicker
{
    public static QueuePicker Instance { get; } = new();

    private QueuePicker()
    {
    }

    public PickResult Pick(in PickContext context) => PickResult.ForQueue();
}

using Shoal.Autoscaling.Signals;

namespace Shoal.Autoscaling.Hosting.Internal;

/// <summary>Passes reads through and remembers the last one, so a decision is reported with the load it was taken on.</summary>
internal sealed class RecordingSignalSource(ILoadSignalSource inner) : ILoadSignalSource
{
    private ClusterLoad _last = ClusterLoad.Empty(DateTimeOffset.UnixEpoch);

    public ClusterLoad Last => Volatile.Read(ref _last);

    public ClusterLoad Read()
    {
        var load = inner.Read();
        Volatile.Write(ref _last, load);
        return load;
    }
}

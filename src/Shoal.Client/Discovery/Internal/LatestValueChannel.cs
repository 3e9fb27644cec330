using System.Threading.Channels;
using Shoal.Discovery;

namespace Shoal.Client.Discovery.Internal;

/// <summary>
/// A one-slot channel that keeps only the newest set: a consumer that falls behind skips to the
/// latest full set, which is all it needs because every set is complete.
/// </summary>
internal static class LatestValueChannel
{
    public static Channel<InstanceSet> Create() => Channel.CreateBounded<InstanceSet>(new BoundedChannelOptions(1)
    {
        FullMode = BoundedChannelFullMode.DropOldest,
        SingleReader = true,
        SingleWriter = true,
    });
}

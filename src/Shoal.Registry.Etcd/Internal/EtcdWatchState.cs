using Google.Protobuf;
using Shoal.Discovery;
using Shoal.Instances;

namespace Shoal.Registry.Etcd.Internal;

/// <summary>
/// What one etcd watch holds between streams: the instances under the service's prefix by key,
/// the last revision seen (a new stream resumes after it), and whether it must list again (first
/// stream, or the revision was compacted).
/// </summary>
internal sealed class EtcdWatchState(string service, ByteString prefix, ByteString rangeEnd)
{
    public string Service { get; } = service;

    public ByteString Prefix { get; } = prefix;

    public ByteString RangeEnd { get; } = rangeEnd;

    public Dictionary<string, ServiceInstance> Instances { get; } = new(StringComparer.Ordinal);

    public long Revision { get; set; }

    public bool NeedList { get; set; } = true;

    /// <summary>The full set at the current revision.</summary>
    public InstanceSet ToSet() => new(Service, Revision, [.. Instances.Values]);
}

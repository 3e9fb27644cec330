using Shoal.Client.Cluster.LoadBalancing.ConsistentHash;

namespace Shoal.Client.Cluster.LoadBalancing.Internal;

/// <summary>The immutable ring of a <see cref="ConsistentHashLoadBalancer"/>; a pick is a binary search.</summary>
internal sealed class ConsistentHashPicker : PickerBase
{
    private readonly string _header;
    private readonly ulong[] _hashes;
    private readonly int[] _owners;

    public ConsistentHashPicker(WeightedEndpoints endpoints, Random random, string header, int virtualNodes, int maxRingSize)
        : base(endpoints, random)
    {
        _header = header;
        var count = endpoints.Count;
        var nodes = new int[count];
        long total = 0;
        for (var i = 0; i < count; i++)
        {
            var weight = Math.Max(1, endpoints[i].Instance.Weight);
            nodes[i] = (int)Math.Max(1, Math.Round(virtualNodes * weight / 100.0));
            total += nodes[i];
        }
        if (total > maxRingSize)
        {
            var scale = (double)maxRingSize / total;
            total = 0;
            for (var i = 0; i < count; i++)
            {
                nodes[i] = Math.Max(1, (int)(nodes[i] * scale));
                total += nodes[i];
            }
        }

        _hashes = new ulong[total];
        _owners = new int[total];
        var slot = 0;
        for (var i = 0; i < count; i++)
        {
            var address = endpoints[i].Address.OriginalString;
            for (var v = 0; v < nodes[i]; v++)
            {
                _hashes[slot] = KeyHash.Hash(address, v);
                _owners[slot] = i;
                slot++;
            }
        }
        Array.Sort(_hashes, _owners);
    }

    /// <summary>How many virtual nodes the ring holds.</summary>
    internal int RingSize => _hashes.Length;

    protected override int PickIndex(in PickContext context)
    {
        var key = context.Headers?.GetValue(_header);
        if (key is null)
        {
            return Random.Next(Endpoints.Count);
        }
        return _owners[SlotFor(KeyHash.Hash(key))];
    }

    private int SlotFor(ulong hash)
    {
        // First virtual node at or after the key, wrapping past the end of the ring.
        int lo = 0, hi = _hashes.Length;
        while (lo < hi)
        {
            var mid = (lo + hi) >>> 1;
            if (_hashes[mid] < hash)
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid;
            }
        }
        return lo == _hashes.Length ? 0 : lo;
    }
}

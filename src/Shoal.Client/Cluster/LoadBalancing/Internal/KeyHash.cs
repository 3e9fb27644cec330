namespace Shoal.Client.Cluster.LoadBalancing.Internal;

/// <summary>Allocation-free 64-bit hashing of strings for the hash ring: FNV-1a over UTF-16 code units, then a SplitMix64 finaliser.</summary>
internal static class KeyHash
{
    private const ulong FnvOffset = 14695981039346656037UL;
    private const ulong FnvPrime = 1099511628211UL;

    public static ulong Hash(ReadOnlySpan<char> text) => Mix(Fnv(text));

    public static ulong Hash(ReadOnlySpan<char> text, int salt) => Mix(Fnv(text) + ((ulong)(uint)salt * 0x9E3779B97F4A7C15UL));

    private static ulong Fnv(ReadOnlySpan<char> text)
    {
        var hash = FnvOffset;
        foreach (var c in text)
        {
            hash = (hash ^ (byte)c) * FnvPrime;
            hash = (hash ^ (byte)(c >> 8)) * FnvPrime;
        }
        return hash;
    }

    private static ulong Mix(ulong z)
    {
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}

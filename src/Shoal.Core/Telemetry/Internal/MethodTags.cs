using System.Collections.Concurrent;
using System.Diagnostics;
using Grpc.Core;

namespace Shoal.Telemetry.Internal;

/// <summary>
/// The tags of a method's measurements, split from its full name once and kept, so recording a
/// call allocates nothing: a <see cref="TagList"/> holds up to eight tags inline, and the status
/// codes are boxed once.
/// </summary>
internal static class MethodTags
{
    // Method names come from the services a process serves and calls: a small set. The bound
    // only guards against a caller inventing names; past it, names are split per call instead.
    private const int MaxCached = 4096;

    private static readonly ConcurrentDictionary<string, (string Service, string Method)> Names = new(StringComparer.Ordinal);
    private static readonly object[] Codes = Enumerable.Range(0, 17).Select(static c => (object)c).ToArray();

    public static TagList Of(string fullMethod, string transport)
    {
        var (service, method) = Split(fullMethod);
        return new TagList
        {
            { "rpc.system", transport == RpcMetrics.Grpc ? "grpc" : "shoal" },
            { "rpc.service", service },
            { "rpc.method", method },
            { "shoal.transport", transport },
        };
    }

    public static object Boxed(StatusCode code) => (uint)code < (uint)Codes.Length ? Codes[(int)code] : (int)code;

    private static (string Service, string Method) Split(string fullMethod)
    {
        if (Names.TryGetValue(fullMethod, out var names))
        {
            return names;
        }
        var name = fullMethod.StartsWith('/') ? fullMethod[1..] : fullMethod;
        var slash = name.LastIndexOf('/');
        names = slash > 0 ? (name[..slash], name[(slash + 1)..]) : ("", name);
        if (Names.Count < MaxCached)
        {
            Names.TryAdd(fullMethod, names);
        }
        return names;
    }
}

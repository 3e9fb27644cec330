using System.Collections.Concurrent;
using System.Text;
using Grpc.Core;

namespace Shoal.Client.Native.Internal.Client;

/// <summary>The UTF-8 bytes of each method's full name, encoded once per <see cref="IMethod"/> instance.</summary>
internal static class MethodNames
{
    private static readonly ConcurrentDictionary<IMethod, byte[]> s_names = new(ReferenceEqualityComparer.Instance);

    public static byte[] Get(IMethod method)
        => s_names.TryGetValue(method, out var name) ? name : s_names.GetOrAdd(method, static m => Encoding.UTF8.GetBytes(m.FullName));
}

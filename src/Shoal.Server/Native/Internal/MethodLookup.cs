using System.Text;

namespace Shoal.Server.Native.Internal;

/// <summary>
/// Finds a method by its UTF-8 name straight from the frame bytes, without making a string:
/// an open-addressed table keyed by a hash of the bytes.
/// </summary>
internal sealed class MethodLookup
{
    private readonly ServerMethod?[] _slots;
    private readonly int _mask;
    private readonly HashSet<string> _services;

    public MethodLookup(IEnumerable<ServerMethod> methods, IEnumerable<string> services)
    {
        var list = methods.ToList();
        var size = 16;
        while (size < list.Count * 4)
        {
            size *= 2;
        }
        _slots = new ServerMethod?[size];
        _mask = size - 1;
        foreach (var method in list)
        {
            var i = Hash(method.NameUtf8) & _mask;
            while (_slots[i] is not null)
            {
                i = (i + 1) & _mask;
            }
            _slots[i] = method;
        }
        _services = new HashSet<string>(services, StringComparer.Ordinal);
    }

    public ServerMethod? Find(ReadOnlySpan<byte> name)
    {
        var i = Hash(name) & _mask;
        while (_slots[i] is { } method)
        {
            if (name.SequenceEqual(method.NameUtf8))
            {
                return method;
            }
            i = (i + 1) & _mask;
        }
        return null;
    }

    /// <summary>Whether the service part of <paramref name="name"/> (<c>/package.Service/Method</c>) is bound.</summary>
    public bool HasServiceOf(ReadOnlySpan<byte> name)
    {
        var text = Encoding.UTF8.GetString(name);
        var parts = text.Split('/', StringSplitOptions.RemoveEmptyEntries);
        return parts.Length == 2 && _services.Contains(parts[0]);
    }

    private static int Hash(ReadOnlySpan<byte> bytes)
    {
        // FNV-1a: cheap and good enough for a few hundred method names.
        var hash = 2166136261u;
        foreach (var b in bytes)
        {
            hash = (hash ^ b) * 16777619u;
        }
        return (int)(hash ^ (hash >> 15));
    }
}

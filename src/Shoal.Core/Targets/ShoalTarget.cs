using System.Collections.Immutable;
using System.Diagnostics.CodeAnalysis;
using System.Net;

namespace Shoal.Targets;

/// <summary>
/// A parsed call target. The scheme says how instances are found:
/// <c>shoal://host:port</c> (one instance, native protocol), <c>http://host:port</c> and
/// <c>https://host:port</c> (one instance, gRPC), <c>static://h1:p1,h2:p2</c>,
/// <c>dns:///name:port</c>, <c>registry://host:port/service</c> and <c>etcd://h1:p1,h2:p2/service</c>.
/// </summary>
/// <remarks>
/// <see cref="Uri"/> does not accept a comma-separated authority, so the target is split by hand:
/// <c>scheme://authority/path?query</c>. The query carries per-target options such as
/// <c>transport=grpc</c> or <c>lb=round_robin</c>.
/// </remarks>
public sealed class ShoalTarget
{
    private ShoalTarget(string original, string scheme, string authority, string path, ImmutableDictionary<string, string> query)
    {
        Original = original;
        Scheme = scheme;
        Authority = authority;
        Path = path;
        Query = query;
        Hosts = authority.Length == 0
            ? ImmutableArray<string>.Empty
            : authority.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToImmutableArray();
    }

    /// <summary>The text the target was parsed from.</summary>
    public string Original { get; }

    /// <summary>The scheme, lower case: <c>shoal</c>, <c>http</c>, <c>https</c>, <c>static</c>, <c>dns</c>, <c>registry</c>, <c>etcd</c> or another that a resolver factory claims.</summary>
    public string Scheme { get; }

    /// <summary>Everything between <c>://</c> and the first <c>/</c>; may be empty (<c>dns:///name</c>).</summary>
    public string Authority { get; }

    /// <summary>The authority split on commas: one <c>host:port</c> per entry.</summary>
    public ImmutableArray<string> Hosts { get; }

    /// <summary>The path without its leading slash: a service name for registries, <c>name:port</c> for DNS.</summary>
    public string Path { get; }

    /// <summary>Options from the query string.</summary>
    public ImmutableDictionary<string, string> Query { get; }

    /// <summary>Whether the target names exactly one instance directly (<c>shoal</c>, <c>http</c>, <c>https</c>).</summary>
    public bool IsDirect => Scheme is "shoal" or "http" or "https";

    /// <summary>Parses <paramref name="text"/>; throws <see cref="FormatException"/> with the reason when it is not a target.</summary>
    public static ShoalTarget Parse(string text)
    {
        if (!TryParse(text, out var target, out var error))
        {
            throw new FormatException(error);
        }
        return target;
    }

    /// <summary>Parses <paramref name="text"/>; on failure <paramref name="error"/> says why.</summary>
    public static bool TryParse(string? text, [NotNullWhen(true)] out ShoalTarget? target, [NotNullWhen(false)] out string? error)
    {
        target = null;
        if (string.IsNullOrWhiteSpace(text))
        {
            error = "The target is empty; expected for example shoal://127.0.0.1:7000.";
            return false;
        }

        var trimmed = text.Trim();
        var schemeEnd = trimmed.IndexOf("://", StringComparison.Ordinal);
        if (schemeEnd <= 0)
        {
            error = $"The target '{trimmed}' has no scheme; expected scheme://..., for example shoal://127.0.0.1:7000.";
            return false;
        }

        var scheme = trimmed[..schemeEnd].ToLowerInvariant();
        if (!scheme.All(c => char.IsAsciiLetterOrDigit(c) || c is '+' or '-' or '.'))
        {
            error = $"The target '{trimmed}' has an invalid scheme '{scheme}'.";
            return false;
        }

        var rest = trimmed[(schemeEnd + 3)..];
        var queryStart = rest.IndexOf('?');
        var query = ImmutableDictionary<string, string>.Empty.WithComparers(StringComparer.OrdinalIgnoreCase);
        if (queryStart >= 0)
        {
            foreach (var pair in rest[(queryStart + 1)..].Split('&', StringSplitOptions.RemoveEmptyEntries))
            {
                var eq = pair.IndexOf('=');
                var key = Uri.UnescapeDataString(eq < 0 ? pair : pair[..eq]);
                var value = eq < 0 ? "" : Uri.UnescapeDataString(pair[(eq + 1)..]);
                query = query.SetItem(key, value);
            }
            rest = rest[..queryStart];
        }

        var slash = rest.IndexOf('/');
        var authority = slash < 0 ? rest : rest[..slash];
        var path = slash < 0 ? "" : rest[(slash + 1)..].TrimEnd('/');

        var parsed = new ShoalTarget(trimmed, scheme, authority, path, query);
        if (parsed.IsDirect || scheme is "static" or "registry" or "etcd")
        {
            if (parsed.Hosts.IsEmpty)
            {
                error = $"The target '{trimmed}' names no host; expected {scheme}://host:port.";
                return false;
            }
            foreach (var host in parsed.Hosts)
            {
                if (!TrySplitHostPort(host, out _, out _))
                {
                    error = $"The target '{trimmed}' has '{host}', which is not host:port with a port from 1 to 65535.";
                    return false;
                }
            }
            if (parsed.IsDirect && parsed.Hosts.Length != 1)
            {
                error = $"The target '{trimmed}' names {parsed.Hosts.Length} hosts; {scheme}:// takes one (use static:// for a list).";
                return false;
            }
        }
        if (scheme is "registry" or "etcd" && path.Length == 0)
        {
            error = $"The target '{trimmed}' names no service; expected {scheme}://host:port/package.Service.";
            return false;
        }
        if (scheme == "dns" && (path.Length == 0 || !TrySplitHostPort(path, out _, out _)))
        {
            error = $"The target '{trimmed}' should be dns:///name:port (or dns://server/name:port).";
            return false;
        }

        target = parsed;
        error = null;
        return true;
    }

    /// <summary>Splits <c>host:port</c> (IPv6 as <c>[::1]:port</c>).</summary>
    public static bool TrySplitHostPort(string text, [NotNullWhen(true)] out string? host, out int port)
    {
        host = null;
        port = 0;
        var colon = text.LastIndexOf(':');
        if (colon <= 0 || colon == text.Length - 1)
        {
            return false;
        }
        var hostPart = text[..colon];
        if (hostPart.StartsWith('['))
        {
            if (!hostPart.EndsWith(']') || !IPAddress.TryParse(hostPart[1..^1], out _))
            {
                return false;
            }
            hostPart = hostPart[1..^1];
        }
        else if (hostPart.Contains(':'))
        {
            return false;
        }
        if (!int.TryParse(text.AsSpan(colon + 1), System.Globalization.NumberStyles.None, null, out port) || port is < 1 or > 65535)
        {
            return false;
        }
        host = hostPart;
        return true;
    }

    /// <inheritdoc/>
    public override string ToString() => Original;
}

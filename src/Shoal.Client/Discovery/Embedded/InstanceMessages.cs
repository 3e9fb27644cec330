using System.Collections.Immutable;
using Shoal.Client.Discovery.Embedded.Protocol;
using Shoal.Instances;

namespace Shoal.Client.Discovery.Embedded;

/// <summary>Converts between <see cref="ServiceInstance"/> and the registry's wire message <see cref="Protocol.Instance"/>.</summary>
public static class InstanceMessages
{
    /// <summary>The wire name of a transport: <c>native</c> or <c>grpc</c>.</summary>
    public static string TransportName(TransportKind transport) => transport switch
    {
        TransportKind.Native => "native",
        TransportKind.Grpc => "grpc",
        _ => transport.ToString().ToLowerInvariant(),
    };

    /// <summary>The transport for a wire name; false for a name this version does not know.</summary>
    public static bool TryParseTransport(string name, out TransportKind transport)
    {
        switch (name?.ToLowerInvariant())
        {
            case "native":
                transport = TransportKind.Native;
                return true;
            case "grpc":
                transport = TransportKind.Grpc;
                return true;
            default:
                transport = default;
                return false;
        }
    }

    /// <summary>The wire form of <paramref name="instance"/>.</summary>
    public static Instance ToMessage(ServiceInstance instance)
    {
        ArgumentNullException.ThrowIfNull(instance);
        var message = new Instance
        {
            InstanceId = instance.InstanceId,
            Zone = instance.Zone,
            Version = instance.Version,
            Weight = instance.Weight,
            StartTimeUnixMs = instance.StartTime.ToUnixTimeMilliseconds(),
        };
        message.Services.AddRange(instance.Services);
        foreach (var (transport, uri) in instance.Addresses)
        {
            message.Addresses[TransportName(transport)] = uri.OriginalString;
        }
        foreach (var (key, value) in instance.Metadata)
        {
            message.Metadata[key] = value;
        }
        return message;
    }

    /// <summary>
    /// The instance a wire message describes. Addresses of transports this version does not know
    /// are skipped; an address that is not an absolute URI throws <see cref="ArgumentException"/>.
    /// </summary>
    public static ServiceInstance FromMessage(Instance message)
    {
        ArgumentNullException.ThrowIfNull(message);
        var addresses = ImmutableDictionary.CreateBuilder<TransportKind, Uri>();
        foreach (var (name, text) in message.Addresses)
        {
            if (!TryParseTransport(name, out var transport))
            {
                continue;
            }
            if (!Uri.TryCreate(text, UriKind.Absolute, out var uri))
            {
                throw new ArgumentException($"Instance '{message.InstanceId}' has an invalid {name} address '{text}'.");
            }
            addresses[transport] = uri;
        }
        var startMs = Math.Clamp(message.StartTimeUnixMs, 0, DateTimeOffset.MaxValue.ToUnixTimeMilliseconds());
        return new ServiceInstance
        {
            Services = [.. message.Services],
            InstanceId = message.InstanceId,
            Addresses = addresses.ToImmutable(),
            Zone = message.Zone,
            Version = message.Version,
            Weight = message.Weight,
            StartTime = DateTimeOffset.FromUnixTimeMilliseconds(startMs),
            Metadata = message.Metadata.Count == 0
                ? ImmutableDictionary<string, string>.Empty
                : message.Metadata.ToImmutableDictionary(StringComparer.Ordinal),
        };
    }
}

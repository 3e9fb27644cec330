using System.Collections.Immutable;
using System.Text.Json;
using System.Text.Json.Serialization;
using Shoal.Client.Discovery.Embedded;
using Shoal.Instances;

namespace Shoal.Registry.Etcd.Internal;

/// <summary>The JSON stored under an instance's key; transports by name (<c>native</c>, <c>grpc</c>).</summary>
internal sealed class EtcdInstanceDocument
{
    public List<string> Services { get; set; } = [];

    public string InstanceId { get; set; } = "";

    public Dictionary<string, string> Addresses { get; set; } = [];

    public string Zone { get; set; } = "";

    public string Version { get; set; } = "";

    public int Weight { get; set; } = 100;

    public DateTimeOffset StartTime { get; set; }

    public Dictionary<string, string> Metadata { get; set; } = [];

    public static byte[] Serialize(ServiceInstance instance)
    {
        var document = new EtcdInstanceDocument
        {
            Services = [.. instance.Services],
            InstanceId = instance.InstanceId,
            Addresses = instance.Addresses.ToDictionary(a => InstanceMessages.TransportName(a.Key), a => a.Value.OriginalString),
            Zone = instance.Zone,
            Version = instance.Version,
            Weight = instance.Weight,
            StartTime = instance.StartTime,
            Metadata = new Dictionary<string, string>(instance.Metadata),
        };
        return JsonSerializer.SerializeToUtf8Bytes(document, EtcdJsonContext.Default.EtcdInstanceDocument);
    }

    /// <summary>The instance in <paramref name="json"/>; throws <see cref="JsonException"/> or <see cref="FormatException"/> when it is not one.</summary>
    public static ServiceInstance Deserialize(ReadOnlySpan<byte> json)
    {
        var document = JsonSerializer.Deserialize(json, EtcdJsonContext.Default.EtcdInstanceDocument)
            ?? throw new FormatException("The value is JSON null, not an instance.");
        var addresses = ImmutableDictionary.CreateBuilder<TransportKind, Uri>();
        foreach (var (name, text) in document.Addresses ?? [])
        {
            if (InstanceMessages.TryParseTransport(name, out var transport))
            {
                addresses[transport] = Uri.TryCreate(text, UriKind.Absolute, out var uri)
                    ? uri
                    : throw new FormatException($"Instance '{document.InstanceId}' has an invalid {name} address '{text}'.");
            }
        }
        return new ServiceInstance
        {
            Services = [.. document.Services ?? []],
            InstanceId = document.InstanceId ?? "",
            Addresses = addresses.ToImmutable(),
            Zone = document.Zone ?? "",
            Version = document.Version ?? "",
            Weight = document.Weight,
            StartTime = document.StartTime,
            Metadata = (document.Metadata ?? []).ToImmutableDictionary(StringComparer.Ordinal),
        };
    }
}

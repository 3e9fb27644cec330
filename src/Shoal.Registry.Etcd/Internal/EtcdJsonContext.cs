using System.Text.Json.Serialization;

namespace Shoal.Registry.Etcd.Internal;

/// <summary>Source-generated JSON for <see cref="EtcdInstanceDocument"/>.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(EtcdInstanceDocument))]
internal sealed partial class EtcdJsonContext : JsonSerializerContext;

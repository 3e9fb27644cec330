using System.Collections.Immutable;

namespace Shoal.Instances;

/// <summary>
/// One running instance as the registry knows it: which services it serves, where, and how much
/// traffic it should take. Immutable; a change is a new value.
/// </summary>
public sealed record ServiceInstance
{
    /// <summary>The fully qualified service names it serves, such as <c>hello.Greeter</c>.</summary>
    public required ImmutableArray<string> Services { get; init; }

    /// <summary>Unique for the life of the process; a restarted instance has a new id.</summary>
    public required string InstanceId { get; init; }

    /// <summary>One address per transport, such as <c>shoal://127.0.0.1:7000</c> and <c>http://127.0.0.1:7001</c>.</summary>
    public required ImmutableDictionary<TransportKind, Uri> Addresses { get; init; }

    /// <summary>Failure domain (zone) of the instance; empty when unknown.</summary>
    public string Zone { get; init; } = "";

    /// <summary>The version of the instance's software; empty when unknown.</summary>
    public string Version { get; init; } = "";

    /// <summary>Relative share of traffic; 100 is the default, 0 takes none.</summary>
    public int Weight { get; init; } = 100;

    /// <summary>When the instance started (drives warm-up ramps).</summary>
    public DateTimeOffset StartTime { get; init; }

    /// <summary>Free-form labels.</summary>
    public ImmutableDictionary<string, string> Metadata { get; init; } = ImmutableDictionary<string, string>.Empty;

    /// <summary>The address for <paramref name="transport"/>, or null when the instance does not serve it.</summary>
    public Uri? AddressFor(TransportKind transport) => Addresses.TryGetValue(transport, out var uri) ? uri : null;

    /// <summary>Whether the instance serves <paramref name="service"/>.</summary>
    public bool Serves(string service) => Services.Contains(service, StringComparer.Ordinal);
}

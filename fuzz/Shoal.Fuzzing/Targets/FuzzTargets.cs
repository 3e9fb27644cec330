namespace Shoal.Fuzzing.Targets;

/// <summary>Every target, by name.</summary>
internal static class FuzzTargets
{
    /// <summary>The target names, in the order the docs list them.</summary>
    public static IReadOnlyList<string> Names { get; } = ["server", "client", "payload", "json", "protobuf"];

    /// <summary>Makes the target called <paramref name="name"/>, or null for an unknown name.</summary>
    public static IFuzzTarget? Create(string name) => name switch
    {
        "server" => new ServerConnectionTarget(),
        "client" => new ClientConnectionTarget(),
        "payload" => new PayloadTarget(),
        "json" => new JsonToProtobufTarget(),
        "protobuf" => new ProtobufToJsonTarget(),
        _ => null,
    };
}

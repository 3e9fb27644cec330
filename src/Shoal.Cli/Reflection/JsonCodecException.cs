namespace Shoal.Cli.Reflection;

/// <summary>A JSON request that does not fit its message type; <see cref="Path"/> names the field (<c>items[2].name</c>).</summary>
internal sealed class JsonCodecException(string path, string reason)
    : Exception(path.Length == 0 ? reason : $"field '{path}': {reason}")
{
    /// <summary>The JSON path of the offending field; empty for the message itself.</summary>
    public string Path { get; } = path;

    /// <summary>What is wrong with it.</summary>
    public string Reason { get; } = reason;
}

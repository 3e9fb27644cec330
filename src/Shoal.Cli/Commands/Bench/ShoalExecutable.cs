using System.Reflection;

namespace Shoal.Cli.Commands.Bench;

/// <summary>How to start this same program again: the apphost, or <c>dotnet shoal.dll</c>.</summary>
/// <param name="FileName">The executable.</param>
/// <param name="Prefix">Arguments before the command (the assembly when run through <c>dotnet</c>).</param>
internal sealed record ShoalExecutable(string FileName, IReadOnlyList<string> Prefix)
{
    /// <summary>The running program: <see cref="Environment.ProcessPath"/>, plus the entry assembly when that is the <c>dotnet</c> host.</summary>
    public static ShoalExecutable Current()
    {
        var processPath = Environment.ProcessPath ?? throw new InvalidOperationException("The path of this process is unknown; cannot start the servers.");
        var isDotnetHost = Path.GetFileNameWithoutExtension(processPath).Equals("dotnet", StringComparison.OrdinalIgnoreCase);
        if (!isDotnetHost)
        {
            return new ShoalExecutable(processPath, []);
        }
        var assembly = Assembly.GetEntryAssembly()?.Location;
        if (string.IsNullOrEmpty(assembly))
        {
            throw new InvalidOperationException("The entry assembly's path is unknown; cannot start the servers.");
        }
        return new ShoalExecutable(processPath, [assembly]);
    }

    /// <summary>Runs <c>shoal.dll</c> at <paramref name="assemblyPath"/> through the <c>dotnet</c> host (tests).</summary>
    public static ShoalExecutable ViaDotnet(string assemblyPath) => new("dotnet", [assemblyPath]);
}

using Shoal.Tests.Packaging;

namespace Shoal.Packaging.Tests;

/// <summary>
/// What a restore resolved for a project (its <c>obj/project.assets.json</c>): every package and
/// project in every target, and every shared framework the project or any package asks for.
/// </summary>
internal static class RestoredGraph
{
    public const string AspNetCore = "Microsoft.AspNetCore.";
    public const string Etcd = "dotnet-etcd";
    public const string Kubernetes = "KubernetesClient";

    /// <summary>What a client-only app must never carry: Kestrel (package or shared framework), etcd, Kubernetes, the server.</summary>
    public static readonly string[] ForbiddenForClients = [AspNetCore, Etcd, Kubernetes, "Shoal.Server"];

    public static HashSet<string> Read(string projectFolder)
    {
        var assets = Path.Combine(projectFolder, "obj", "project.assets.json");
        Assert.True(File.Exists(assets), $"{assets} is missing: the restore wrote nothing.");
        return RestoreAssets.ReadGraph(assets);
    }

    /// <summary>The names in <paramref name="graph"/> that are, or sit under, a forbidden id (a trailing dot forbids a whole family).</summary>
    public static string[] Offending(IEnumerable<string> graph, IEnumerable<string> forbidden)
        => graph.Where(name => forbidden.Any(f => Matches(name, f))).Order(StringComparer.Ordinal).ToArray();

    private static bool Matches(string name, string forbidden)
        => forbidden.EndsWith('.')
            ? name.StartsWith(forbidden, StringComparison.OrdinalIgnoreCase)
            : name.Equals(forbidden, StringComparison.OrdinalIgnoreCase) || name.StartsWith(forbidden + ".", StringComparison.OrdinalIgnoreCase);
}

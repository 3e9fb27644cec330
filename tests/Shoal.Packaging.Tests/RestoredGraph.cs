using System.Text.Json;

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
        using var document = JsonDocument.Parse(File.ReadAllText(assets));
        var names = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var framework in document.RootElement.GetProperty("project").GetProperty("frameworks").EnumerateObject())
        {
            if (framework.Value.TryGetProperty("frameworkReferences", out var references))
            {
                names.UnionWith(references.EnumerateObject().Select(r => r.Name));
            }
        }
        foreach (var target in document.RootElement.GetProperty("targets").EnumerateObject())
        {
            foreach (var library in target.Value.EnumerateObject())
            {
                names.Add(library.Name.Split('/')[0]);
                if (library.Value.TryGetProperty("frameworkReferences", out var references))
                {
                    names.UnionWith(references.EnumerateArray().Select(r => r.GetString()!));
                }
            }
        }
        return names;
    }

    /// <summary>The names in <paramref name="graph"/> that are, or sit under, a forbidden id (a trailing dot forbids a whole family).</summary>
    public static string[] Offending(IEnumerable<string> graph, IEnumerable<string> forbidden)
        => graph.Where(name => forbidden.Any(f => Matches(name, f))).Order(StringComparer.Ordinal).ToArray();

    private static bool Matches(string name, string forbidden)
        => forbidden.EndsWith('.')
            ? name.StartsWith(forbidden, StringComparison.OrdinalIgnoreCase)
            : name.Equals(forbidden, StringComparison.OrdinalIgnoreCase) || name.StartsWith(forbidden + ".", StringComparison.OrdinalIgnoreCase);
}

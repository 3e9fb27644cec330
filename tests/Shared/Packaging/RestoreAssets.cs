using System.Text.Json;

namespace Shoal.Tests.Packaging;

/// <summary>
/// What a restore resolved (a project's <c>obj/project.assets.json</c>): every package and project in
/// every target, and every shared framework the project or any package asks for.
/// </summary>
internal static class RestoreAssets
{
    public static HashSet<string> ReadGraph(string assetsPath)
    {
        using var document = JsonDocument.Parse(File.ReadAllText(assetsPath));
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
}

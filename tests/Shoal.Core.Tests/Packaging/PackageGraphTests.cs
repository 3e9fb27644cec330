using Shoal.Tests.Packaging;

namespace Shoal.Core.Tests.Packaging;

/// <summary>
/// The package graph matches use: each library's resolved graph (its restore output,
/// <c>obj/project.assets.json</c>: every transitive package and project, and every shared
/// framework any of them needs) holds none of what that library must never pull in. A client-only
/// app referencing <c>Shoal.Client</c> gets no Kestrel, no dotnet-etcd and no Kubernetes client.
/// </summary>
public sealed class PackageGraphTests
{
    private const string AspNetCore = "Microsoft.AspNetCore.";
    private const string Etcd = "dotnet-etcd";
    private const string Kubernetes = "KubernetesClient";
    private const string Docker = "Docker.DotNet";

    public static TheoryData<string, string[]> Forbidden => new()
    {
        { "Shoal.Core", [AspNetCore, Etcd, Kubernetes, "Shoal.Client", "Shoal.Server", "Grpc.Net.Client"] },
        { "Shoal.Client", [AspNetCore, Etcd, Kubernetes, "Shoal.Server"] },
        { "Shoal.Server", [Etcd, Kubernetes] },
        { "Shoal.Registry.Etcd", [AspNetCore, Kubernetes, "Shoal.Server", "Shoal.Autoscaling"] },
        { "Shoal.Autoscaling", [AspNetCore, Etcd, Kubernetes, "Shoal.Client", "Shoal.Server"] },
        { "Shoal.Autoscaling.Kubernetes", [AspNetCore, Etcd, Docker, "Shoal.Client", "Shoal.Server", "Shoal.Autoscaling.Hosting"] },
        { "Shoal.Autoscaling.Hosting", [AspNetCore, Etcd, Kubernetes, Docker, "Shoal.Server", "Shoal.Registry.Etcd", "Shoal.Autoscaling.Kubernetes", "Shoal.Autoscaling.Containers"] },
        { "Shoal.Autoscaling.Containers", [AspNetCore, Etcd, Kubernetes, "Shoal.Client", "Shoal.Server", "Shoal.Autoscaling.Hosting"] },
        { "Shoal.OpenTelemetry", [AspNetCore, Etcd, Kubernetes, Docker, "Shoal.Client", "Shoal.Server"] },
    };

    [Theory]
    [MemberData(nameof(Forbidden))]
    public void ResolvedGraph_Library_HoldsNothingItMustNeverReference(string project, string[] forbidden)
    {
        var resolved = ResolvedGraph(project);

        Assert.NotEmpty(resolved);
        var offending = resolved.Where(name => forbidden.Any(f => name.StartsWith(f, StringComparison.OrdinalIgnoreCase) && !IsAllowedPrefixMatch(name, f))).ToArray();
        Assert.True(offending.Length == 0, $"{project} resolves {string.Join(", ", offending)}; it must never reference {string.Join(", ", forbidden)}.");
    }

    [Fact]
    public void ResolvedGraph_Server_CarriesAspNetCoreSoTheCheckCanSeeIt()
    {
        // The check reads shared-framework references: the server's graph must show Kestrel's.
        Assert.Contains("Microsoft.AspNetCore.App", ResolvedGraph("Shoal.Server"));
        Assert.Contains("Shoal.Client", ResolvedGraph("Shoal.Server"));
        Assert.Contains(Etcd, ResolvedGraph("Shoal.Registry.Etcd"));
    }

    [Fact]
    public void SourceProjects_NoneReferencesAnythingUnderSamples()
    {
        var src = Path.Combine(RepositoryRoot(), "src");
        var projects = Directory.GetFiles(src, "*.csproj", SearchOption.AllDirectories);

        Assert.NotEmpty(projects);
        var offending = projects
            .SelectMany(project => System.Xml.Linq.XDocument.Load(project).Descendants()
                .SelectMany(element => element.Attributes())
                .Where(attribute => attribute.Value.Replace('\\', '/').Split(';').Any(path => path.Contains("samples/", StringComparison.OrdinalIgnoreCase)))
                .Select(attribute => $"{Path.GetRelativePath(src, project)}: {attribute.Parent!.Name.LocalName} {attribute.Name}=\"{attribute.Value}\""))
            .ToArray();
        Assert.True(offending.Length == 0, "src/ must not reference samples/: " + string.Join("; ", offending));
    }

    /// <summary>A name that only begins with a forbidden id's text (Shoal.ClientX for Shoal.Client) is another package; ids match whole or as a dotted prefix.</summary>
    private static bool IsAllowedPrefixMatch(string name, string forbidden)
        => !forbidden.EndsWith('.') && name.Length > forbidden.Length && name[forbidden.Length] != '.';

    /// <summary>Every package, project and shared framework in <paramref name="project"/>'s restore graph.</summary>
    private static HashSet<string> ResolvedGraph(string project)
    {
        var assets = Path.Combine(RepositoryRoot(), "src", project, "obj", "project.assets.json");
        Assert.True(File.Exists(assets), $"{assets} is missing; restore the solution first.");
        return RestoreAssets.ReadGraph(assets);
    }

    private static string RepositoryRoot()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "Shoal.slnx")))
            {
                return folder.FullName;
            }
        }
        throw new DirectoryNotFoundException("No Shoal.slnx above " + AppContext.BaseDirectory);
    }
}

using System.Xml.Linq;

namespace Shoal.Packaging.Tests;

/// <summary>The template's pinned versions of gRPC, Protobuf and the test stack are the ones Shoal itself is built and tested with.</summary>
public sealed class TemplateVersionsTests
{
    [Fact]
    public void TemplatePackageVersions_EachThirdPartyPackage_MatchesTheRepository()
    {
        var repository = Versions(Path.Combine(Repository.Root, "Directory.Packages.props"));
        var template = Versions(Path.Combine(Repository.Root, "src", "Shoal.Templates", "templates", "shoal-service", "Directory.Packages.props"));

        Assert.Equal("$(ShoalVersion)", template["Shoal.Client"]);
        Assert.Equal("$(ShoalVersion)", template["Shoal.Server"]);
        var thirdParty = template.Where(p => !p.Key.StartsWith("Shoal.", StringComparison.Ordinal)).ToArray();
        Assert.NotEmpty(thirdParty);
        foreach (var (id, version) in thirdParty)
        {
            Assert.True(repository.TryGetValue(id, out var pinned), $"the template pins {id}, which the repository does not use");
            Assert.True(pinned == version, $"the template pins {id} {version}; the repository builds with {pinned}");
        }
    }

    private static Dictionary<string, string> Versions(string props)
        => XDocument.Load(props).Descendants("PackageVersion")
            .ToDictionary(e => e.Attribute("Include")!.Value, e => e.Attribute("Version")!.Value, StringComparer.Ordinal);
}

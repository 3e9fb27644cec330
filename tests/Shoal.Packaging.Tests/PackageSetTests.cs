namespace Shoal.Packaging.Tests;

/// <summary>The packs of the solution: exactly the libraries, the tool and the templates, each with its metadata.</summary>
[Collection(LocalFeedCollection.Name)]
public sealed class PackageSetTests(LocalFeed feed)
{
    public static readonly string[] Libraries =
    [
        "Shoal.Core", "Shoal.Client", "Shoal.Server", "Shoal.Registry.Etcd",
        "Shoal.Autoscaling", "Shoal.Autoscaling.Hosting", "Shoal.Autoscaling.Kubernetes", "Shoal.Autoscaling.Containers",
        "Shoal.OpenTelemetry",
    ];

    public static readonly string[] Packages = [.. Libraries, "Shoal.Cli", "Shoal.Templates"];

    public static TheoryData<string> EveryPackage => new(Packages);

    [Fact]
    public void PackSolution_EveryProject_YieldsTheLibrariesTheToolAndTheTemplatesOnly()
    {
        var packed = Directory.GetFiles(feed.Feed, "*.nupkg").Select(Path.GetFileName).Order(StringComparer.Ordinal).ToArray();

        var expected = Packages.Select(id => $"{id}.{feed.Version}.nupkg").Order(StringComparer.Ordinal).ToArray();
        Assert.Equal(expected, packed);
    }

    [Fact]
    public void PackSolution_EachLibrary_HasItsSymbolPackage()
    {
        var symbols = Directory.GetFiles(feed.Feed, "*.snupkg").Select(Path.GetFileName).ToHashSet(StringComparer.Ordinal);

        var missing = Libraries.Where(id => !symbols.Contains($"{id}.{feed.Version}.snupkg")).ToArray();
        Assert.True(missing.Length == 0, $"no .snupkg for {string.Join(", ", missing)}");
    }

    [Theory]
    [MemberData(nameof(EveryPackage))]
    public void Nuspec_Package_HasVersionDescriptionLicenseReadmeAndRepository(string id)
    {
        var package = Nupkg.Open(feed.PackagePath(id));

        Assert.Equal(id, package.Value("id"));
        Assert.Equal(feed.Version, package.Value("version"));
        var description = package.Value("description");
        Assert.False(string.IsNullOrWhiteSpace(description) || description == "Package Description", $"{id} has no description of its own");
        Assert.Equal("expression", package.Attribute("license", "type"));
        Assert.Equal("MIT", package.Value("license"));
        var readme = package.Value("readme");
        Assert.False(string.IsNullOrEmpty(readme), $"{id} names no readme");
        Assert.Contains(readme, package.Entries);
        Assert.Contains($"# {id}", package.ReadEntry(readme), StringComparison.Ordinal);
        Assert.Equal("git", package.Attribute("repository", "type"));
        Assert.StartsWith("https://", package.Attribute("repository", "url"), StringComparison.Ordinal);
        Assert.StartsWith("https://", package.Value("projectUrl"), StringComparison.Ordinal);
        Assert.False(string.IsNullOrWhiteSpace(package.Value("authors")));
        Assert.Contains("shoal", package.Value("tags") ?? "", StringComparison.Ordinal);
    }

    [Fact]
    public void ToolPackage_ShoalCli_InstallsTheShoalCommand()
    {
        var package = Nupkg.Open(feed.PackagePath("Shoal.Cli"));

        Assert.Equal(["DotnetTool"], package.PackageTypes);
        var settings = Assert.Single(package.Entries, e => e.EndsWith("/DotnetToolSettings.xml", StringComparison.Ordinal));
        Assert.Contains("Name=\"shoal\"", package.ReadEntry(settings), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ToolPackage_InstalledIntoAToolPath_RunsShoal()
    {
        var tools = feed.NewFolder("tools");
        // The tool's own NuGet folder: the machine's cache never holds this run's Shoal.Cli.
        var isolated = new Dictionary<string, string> { ["NUGET_PACKAGES"] = Path.Combine(tools, "packages") };
        await DotnetCommand.RunAsync(feed.Root, TimeSpan.FromMinutes(3), isolated,
            "tool", "install", "Shoal.Cli", "--version", feed.Version, "--tool-path", Path.Combine(tools, "bin"), "--add-source", feed.Feed);

        var (exitCode, output) = await DotnetCommand.TryRunAsync(tools, TimeSpan.FromMinutes(1), null,
            Path.Combine(tools, "bin", ".store", "shoal.cli", feed.Version, "shoal.cli", feed.Version, "tools", "net10.0", "any", "shoal.dll"), "--help");

        Assert.True(exitCode == 0, output);
        Assert.Contains("Usage:", output, StringComparison.Ordinal);
        Assert.Contains("call", output, StringComparison.Ordinal);
    }

    [Fact]
    public void TemplatePackage_ShoalService_DefaultsToThePackagesVersion()
    {
        var package = Nupkg.Open(feed.PackagePath("Shoal.Templates"));

        Assert.Equal(["Template"], package.PackageTypes);
        var config = package.ReadEntry("content/templates/shoal-service/.template.config/template.json");
        Assert.Contains("\"shortName\": \"shoal-service\"", config, StringComparison.Ordinal);
        Assert.Contains($"\"defaultValue\": \"{feed.Version}\"", config, StringComparison.Ordinal);
        Assert.DoesNotContain(package.Entries, e => e.Contains("/bin/", StringComparison.Ordinal) || e.Contains("/obj/", StringComparison.Ordinal));
    }
}

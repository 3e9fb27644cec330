using System.Text.RegularExpressions;

namespace Shoal.Packaging.Tests;

/// <summary>
/// <c>dotnet new shoal-service</c> from the packed template, installed into a hive of this test's
/// own (never the machine's template list), then <c>dotnet test</c> in the new folder against the
/// local feed.
/// </summary>
[Collection(LocalFeedCollection.Name)]
public sealed partial class TemplateTests(LocalFeed feed)
{
    [Fact]
    public async Task ShoalService_CreatedFromTheTemplatePackage_BuildsAndItsTestsPass()
    {
        var hive = Path.Combine(feed.Root, "template-hive");
        var cliHome = Path.Combine(feed.Root, "cli-home");
        Directory.CreateDirectory(cliHome);
        var isolated = new Dictionary<string, string> { ["DOTNET_CLI_HOME"] = cliHome };
        var service = Path.Combine(feed.NewFolder("template"), "Acme.Greeter");

        await DotnetCommand.RunAsync(feed.Root, TimeSpan.FromMinutes(3), isolated,
            "new", "install", feed.PackagePath("Shoal.Templates"), "--debug:custom-hive", hive);
        await DotnetCommand.RunAsync(feed.Root, TimeSpan.FromMinutes(3), isolated,
            "new", "shoal-service", "-n", "Acme.Greeter", "-o", service, "--debug:custom-hive", hive);

        Assert.True(File.Exists(Path.Combine(service, "src", "Acme.Greeter.Contracts", "Protos", "greeter.proto")));
        Assert.True(File.Exists(Path.Combine(service, "src", "Acme.Greeter.Server", "Program.cs")));
        Assert.True(File.Exists(Path.Combine(service, "src", "Acme.Greeter.Client", "Program.cs")));
        Assert.True(File.Exists(Path.Combine(service, "tests", "Acme.Greeter.Tests", "Acme.Greeter.Tests.csproj")));
        Assert.Contains($"<ShoalVersion>{feed.Version}</ShoalVersion>", File.ReadAllText(Path.Combine(service, "Directory.Build.props")), StringComparison.Ordinal);

        var output = await DotnetCommand.RunAsync(service, TimeSpan.FromMinutes(10), null, "test", "-nologo", "-v", "quiet");

        var summary = TestSummary().Match(output);
        Assert.True(summary.Success, $"no test summary in:\n{output}");
        Assert.Equal("0", summary.Groups["failed"].Value);
        Assert.NotEqual("0", summary.Groups["passed"].Value);
    }

    [GeneratedRegex(@"Failed:\s+(?<failed>\d+), Passed:\s+(?<passed>\d+)")]
    private static partial Regex TestSummary();
}

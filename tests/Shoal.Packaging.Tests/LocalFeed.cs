namespace Shoal.Packaging.Tests;

/// <summary>
/// The solution packed once into a temporary local feed, shared by every test here. Projects the
/// tests create restore from that feed and the machine's normal sources, into a temporary
/// global packages folder (the machine's own folder is only read, as a fallback), so the Shoal
/// packages of one run never land in the machine's NuGet cache and shadow the next run's.
/// </summary>
public sealed class LocalFeed : IAsyncLifetime
{
    private static readonly TimeSpan PackTimeout = TimeSpan.FromMinutes(10);

    public string Root { get; } = Directory.CreateTempSubdirectory("shoal-packaging-").FullName;

    public string Feed => Path.Combine(Root, "feed");

    public string Version => Repository.Version;

    /// <summary>What <c>dotnet pack</c> printed.</summary>
    public string PackOutput { get; private set; } = "";

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(Feed);
        // --no-build: building this test project built every packable project; the pack only collects them.
        PackOutput = await DotnetCommand.RunAsync(Repository.Root, PackTimeout, environment: null,
            "pack", "Shoal.slnx", "-c", Repository.Configuration, "--no-build", "-nologo", "-v", "quiet",
            $"-p:PackageOutputPath={Feed}{Path.DirectorySeparatorChar}");
        // Every project the tests create sits under Root, so restore finds this file above it.
        File.WriteAllText(Path.Combine(Root, "nuget.config"), NuGetConfig());
    }

    public Task DisposeAsync()
    {
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
            // A file still open by a build server: the temp folder is the OS's to clean.
        }
        return Task.CompletedTask;
    }

    /// <summary>The path of package <paramref name="id"/> in the feed.</summary>
    public string PackagePath(string id) => Path.Combine(Feed, $"{id}.{Version}.nupkg");

    /// <summary>A new empty folder under <see cref="Root"/> for a project of one test.</summary>
    public string NewFolder(string name)
    {
        var folder = Path.Combine(Root, name + "-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(folder);
        return folder;
    }

    private string NuGetConfig()
    {
        var machinePackages = Environment.GetEnvironmentVariable("NUGET_PACKAGES")
            ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        return $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <config>
                <add key="globalPackagesFolder" value="{Path.Combine(Root, "packages")}" />
              </config>
              <packageSources>
                <add key="shoal-local-feed" value="{Feed}" />
              </packageSources>
              <fallbackPackageFolders>
                <add key="machine-packages" value="{machinePackages}" />
              </fallbackPackageFolders>
            </configuration>
            """;
    }
}

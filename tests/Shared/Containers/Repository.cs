namespace Shoal.Tests.Containers;

/// <summary>Paths in the repository the tests run from.</summary>
public static class Repository
{
    private static readonly Lazy<string> RootPath = new(FindRoot);

    /// <summary>Gets the repository's root (the folder holding Shoal.slnx).</summary>
    public static string Root => RootPath.Value;

    /// <summary>Gets a path under the root.</summary>
    public static string PathOf(params string[] parts) => System.IO.Path.Combine([Root, .. parts]);

    private static string FindRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        for (var i = 0; i < 12 && directory is not null; i++, directory = directory.Parent)
        {
            if (File.Exists(System.IO.Path.Combine(directory.FullName, "Shoal.slnx")))
            {
                return directory.FullName;
            }
        }
        throw new DirectoryNotFoundException("Shoal.slnx was not found above the test's directory.");
    }
}

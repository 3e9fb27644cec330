namespace Shoal.Fuzzing.Tests;

/// <summary>Where the fuzzing corpus and regression inputs live in the repository.</summary>
internal static class RepositoryFiles
{
    /// <summary>The repository root: the first folder above the test binaries that holds Shoal.slnx.</summary>
    public static string Root { get; } = FindRoot();

    public static string Corpus(string target) => Path.Combine(Root, "fuzz", "corpus", target);

    public static string Regressions(string target) => Path.Combine(Root, "fuzz", "regressions", target);

    private static string FindRoot()
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

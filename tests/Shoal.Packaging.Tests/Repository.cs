using System.Reflection;
using System.Xml.Linq;

namespace Shoal.Packaging.Tests;

/// <summary>Where the repository is, the configuration this suite was built in, and the version every package carries.</summary>
internal static class Repository
{
    public static string Root { get; } = FindRoot();

    /// <summary>Release or Debug: the packs reuse the build this test project caused.</summary>
    public static string Configuration { get; } =
        typeof(Repository).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Release";

    /// <summary>The one version of every package: <c>VersionPrefix</c> in <c>Directory.Build.props</c>.</summary>
    public static string Version { get; } = ReadVersion();

    private static string ReadVersion()
    {
        var props = XDocument.Load(Path.Combine(Root, "Directory.Build.props"));
        var prefix = props.Descendants("VersionPrefix").Select(e => e.Value.Trim()).Single();
        var suffix = props.Descendants("VersionSuffix").Select(e => e.Value.Trim()).SingleOrDefault();
        return string.IsNullOrEmpty(suffix) ? prefix : $"{prefix}-{suffix}";
    }

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

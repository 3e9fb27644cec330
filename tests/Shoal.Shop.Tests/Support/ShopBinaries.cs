namespace Shoal.Shop.Tests.Support;

/// <summary>Finds the shop's programs built beside the tests (same configuration and target framework).</summary>
public static class ShopBinaries
{
    /// <summary>The dll of <c>samples/Shop/Shop.{service}</c>.</summary>
    public static string Of(string service) => Locate(Path.Combine("samples", "Shop", "Shop." + service), "Shop." + service);

    /// <summary><c>src/Shoal.Cli</c>'s shoal.dll, which finds the shop's programs where this build put them (samples/Shop/*/bin/).</summary>
    public static string Shoal => Locate(Path.Combine("src", "Shoal.Cli"), "shoal");

    private static string Locate(string projectDirectory, string name)
    {
        // The tests run from tests/Shoal.Shop.Tests/bin/<Configuration>/<tfm>/.
        var tfm = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var configuration = tfm.Parent!.Name;
        for (var dir = tfm; dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, projectDirectory, "bin", configuration, tfm.Name, name + ".dll");
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }
        throw new FileNotFoundException($"{name}.dll ({configuration}) was not found above {AppContext.BaseDirectory}; build {projectDirectory}.");
    }
}

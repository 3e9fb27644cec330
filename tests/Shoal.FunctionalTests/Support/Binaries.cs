namespace Shoal.FunctionalTests.Support;

/// <summary>Finds the programs built beside the tests (same configuration and target framework).</summary>
public static class Binaries
{
    /// <summary>samples/Greeter/Greeter.Server's dll.</summary>
    public static string GreeterServer => Locate(Path.Combine("samples", "Greeter", "Greeter.Server"), "Greeter.Server");

    /// <summary>tests/Shoal.FunctionalTests.RegistryHost's dll.</summary>
    public static string RegistryHost => Locate(Path.Combine("tests", "Shoal.FunctionalTests.RegistryHost"), "Shoal.FunctionalTests.RegistryHost");

    /// <summary>tests/Shoal.FunctionalTests.TraceHost's dll (the three-process trace test's roles).</summary>
    public static string TraceHost => Locate(Path.Combine("tests", "Shoal.FunctionalTests.TraceHost"), "Shoal.FunctionalTests.TraceHost");

    private static string Locate(string projectDirectory, string name)
    {
        // The tests run from tests/Shoal.FunctionalTests/bin/<Configuration>/<tfm>/.
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

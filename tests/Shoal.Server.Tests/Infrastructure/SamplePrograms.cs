using System.Diagnostics;

namespace Shoal.Server.Tests.Infrastructure;

/// <summary>Finds and runs the Greeter sample programs built beside the tests.</summary>
public static class SamplePrograms
{
    /// <summary>The path of samples/Greeter/<paramref name="name"/>'s dll for this test run's configuration.</summary>
    public static string Locate(string name)
    {
        // The tests run from tests/Shoal.Server.Tests/bin/<Configuration>/<tfm>/.
        var tfmDirectory = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var configuration = tfmDirectory.Parent!.Name;
        for (var dir = tfmDirectory; dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "samples", "Greeter", name, "bin", configuration, tfmDirectory.Name, name + ".dll");
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }
        throw new FileNotFoundException($"{name}.dll ({configuration}) was not found above {AppContext.BaseDirectory}; build samples/Greeter/{name}.");
    }

    /// <summary>Runs a sample to completion (killed past <paramref name="timeout"/>) and returns its exit code and output.</summary>
    public static async Task<(int ExitCode, string Stdout, string Stderr)> RunAsync(string name, TimeSpan timeout, params string[] args)
    {
        var dll = Locate(name);
        var info = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = Path.GetDirectoryName(dll)!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(dll);
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }
        using var process = Process.Start(info)!;
        try
        {
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            await process.WaitForExitAsync().WaitAsync(timeout);
            return (process.ExitCode, await stdout, await stderr);
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
        }
    }
}

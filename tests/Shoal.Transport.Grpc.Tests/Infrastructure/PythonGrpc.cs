using System.Diagnostics;
using System.Text.Json;

namespace Shoal.Transport.Grpc.Tests.Infrastructure;

/// <summary>
/// Runs the interop scripts with Debian's python3-grpcio. The interpreter is /usr/bin/python3 on
/// purpose: a python3 earlier on PATH (pyenv) may have no grpc module.
/// </summary>
public static class PythonGrpc
{
    public const string Interpreter = "/usr/bin/python3";

    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    public static string Script(string name) => Path.Combine(AppContext.BaseDirectory, "Interop", name);

    public static ProcessStartInfo StartInfo(string script, params string[] args)
    {
        if (!File.Exists(Interpreter))
        {
            throw new InvalidOperationException($"{Interpreter} is missing; run scripts/install-test-deps.sh (it installs python3-grpcio and python3-protobuf).");
        }
        var info = new ProcessStartInfo(Interpreter)
        {
            WorkingDirectory = Path.GetDirectoryName(Script(script))!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(Script(script));
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }
        return info;
    }

    /// <summary>Runs interop_client.py for one case against <paramref name="authority"/> and returns the JSON it printed.</summary>
    public static async Task<JsonElement> RunClientAsync(string authority, string testCase)
    {
        using var process = Process.Start(StartInfo("interop_client.py", authority, testCase))!;
        try
        {
            process.StandardInput.Close();
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            await process.WaitForExitAsync().WaitAsync(Timeout);
            var output = await stdout;
            if (process.ExitCode != 0)
            {
                throw new InvalidOperationException($"interop_client.py {testCase} exited with {process.ExitCode}: {await stderr}{MissingGrpcHint(await stderr)}");
            }
            return JsonDocument.Parse(output).RootElement.Clone();
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
        }
    }

    public static string MissingGrpcHint(string stderr) => stderr.Contains("No module named", StringComparison.Ordinal)
        ? " (install python3-grpcio and python3-protobuf: scripts/install-test-deps.sh)"
        : "";
}

using System.Diagnostics;
using System.Text.RegularExpressions;

namespace Shoal.Server.Tests.Infrastructure;

/// <summary>The sample's Greeter.Server run as a real process; killed on dispose if it is still running.</summary>
public sealed partial class GreeterServerProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly TaskCompletionSource<Match> _listening = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly List<string> _output = [];

    private GreeterServerProcess(Process process) => _process = process;

    /// <summary>Everything the process printed so far (for failure messages).</summary>
    public string Output
    {
        get
        {
            lock (_output)
            {
                return string.Join('\n', _output);
            }
        }
    }

    public static GreeterServerProcess Start(params string[] args)
    {
        var dll = SamplePrograms.Locate("Greeter.Server");
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
        var process = new Process { StartInfo = info };
        var server = new GreeterServerProcess(process);
        process.OutputDataReceived += (_, e) => server.OnLine(e.Data);
        process.ErrorDataReceived += (_, e) => server.OnLine(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return server;
    }

    /// <summary>Waits for the "Greeter listening" line and returns the native and gRPC targets it printed.</summary>
    public async Task<(string Native, string Grpc)> WaitForAddressesAsync(TimeSpan timeout)
    {
        var exited = _process.WaitForExitAsync();
        var first = await Task.WhenAny(_listening.Task, exited).WaitAsync(timeout);
        if (first != _listening.Task)
        {
            throw new InvalidOperationException($"Greeter.Server exited with {_process.ExitCode} before listening:\n{Output}");
        }
        var match = await _listening.Task;
        return (match.Groups["native"].Value, match.Groups["grpc"].Value);
    }

    /// <summary>Sends SIGTERM, as a service manager or Kubernetes does to stop a process.</summary>
    public async Task TerminateAsync()
    {
        using var kill = Process.Start("kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        await kill.WaitForExitAsync().WaitAsync(TestHost.Timeout);
    }

    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        await _process.WaitForExitAsync().WaitAsync(timeout);
        return _process.ExitCode;
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                await _process.WaitForExitAsync().WaitAsync(TestHost.Timeout);
            }
        }
        finally
        {
            _process.Dispose();
        }
    }

    private void OnLine(string? line)
    {
        if (line is null)
        {
            return;
        }
        lock (_output)
        {
            _output.Add(line);
        }
        if (ListeningLine().Match(line) is { Success: true } match)
        {
            _listening.TrySetResult(match);
        }
    }

    [GeneratedRegex(@"Greeter listening: native (?<native>\S+), grpc (?<grpc>[^\s,]+)")]
    private static partial Regex ListeningLine();
}

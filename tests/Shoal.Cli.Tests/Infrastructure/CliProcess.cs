using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text;

namespace Shoal.Cli.Tests.Infrastructure;

/// <summary>The built CLI as a separate process: <c>dotnet shoal.dll ...</c>, every wait bounded, killed when disposed.</summary>
internal sealed class CliProcess : IDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _stderr = new();
    private readonly StringBuilder _stdout = new();
    private readonly TaskCompletionSource<string> _firstLine = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private CliProcess(Process process)
    {
        _process = process;
    }

    public int Pid => _process.Id;

    public static string AssemblyPath => Path.Combine(AppContext.BaseDirectory, "shoal.dll");

    public static CliProcess Start(params string[] args)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(AssemblyPath);
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }
        var process = new Process { StartInfo = start };
        var cli = new CliProcess(process);
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is null)
            {
                cli._firstLine.TrySetException(new InvalidOperationException("stdout closed before a line came."));
                return;
            }
            lock (cli._stdout)
            {
                cli._stdout.AppendLine(e.Data);
            }
            cli._firstLine.TrySetResult(e.Data);
        };
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                lock (cli._stderr)
                {
                    cli._stderr.AppendLine(e.Data);
                }
            }
        };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return cli;
    }

    /// <summary>Runs to completion: exit code, stdout, stderr. Killed after <paramref name="timeout"/>.</summary>
    public static async Task<(int ExitCode, string Output, string Error)> RunAsync(TimeSpan timeout, string? stdin, params string[] args)
    {
        using var cli = Start(args);
        if (stdin is not null)
        {
            await cli._process.StandardInput.WriteAsync(stdin);
        }
        cli._process.StandardInput.Close();
        var exitCode = await cli.WaitForExitAsync(timeout);
        return (exitCode, cli.Output, cli.Error);
    }

    public string Output
    {
        get
        {
            lock (_stdout)
            {
                return _stdout.ToString();
            }
        }
    }

    public string Error
    {
        get
        {
            lock (_stderr)
            {
                return _stderr.ToString();
            }
        }
    }

    public Task<string> FirstLineAsync(TimeSpan timeout) => _firstLine.Task.WaitAsync(timeout);

    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        try
        {
            await _process.WaitForExitAsync().WaitAsync(timeout);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"shoal did not exit within {timeout}. stderr: {Error}");
        }
        // The parameterless wait drains the redirected streams.
        _process.WaitForExit();
        return _process.ExitCode;
    }

    public void Terminate() => Assert.Equal(0, SendSignal(_process.Id, 15));

    /// <summary>SIGKILL: the process dies at once, its sockets reset, nothing drains.</summary>
    public void KillNow() => Assert.Equal(0, SendSignal(_process.Id, 9));

    public bool HasExited => _process.HasExited;

    public void Dispose()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
            }
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }
        _process.Dispose();
    }

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int SendSignal(int pid, int signal);
}

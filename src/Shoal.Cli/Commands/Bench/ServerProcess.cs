using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using Shoal.Cli.Commands.Serve;

namespace Shoal.Cli.Commands.Bench;

/// <summary>
/// A <c>shoal serve</c> child process: started with its arguments, ready once it prints its
/// addresses, stopped with SIGTERM (then killed if it does not exit in time).
/// </summary>
internal sealed class ServerProcess : IAsyncDisposable
{
    private static readonly TimeSpan ReadyTimeout = TimeSpan.FromSeconds(60);
    private readonly Process _process;

    private ServerProcess(Process process, ServeReady ready)
    {
        _process = process;
        Ready = ready;
    }

    /// <summary>What the server printed when it was ready: its addresses and process id.</summary>
    public ServeReady Ready { get; }

    /// <summary>The child's process id.</summary>
    public int Pid => _process.Id;

    /// <summary>Starts <c>shoal serve</c> with <paramref name="serveArguments"/> and waits (bounded) for its ready line.</summary>
    public static async Task<ServerProcess> StartAsync(ShoalExecutable executable, IEnumerable<string> serveArguments, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(executable.FileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var argument in executable.Prefix.Append("serve").Concat(serveArguments))
        {
            start.ArgumentList.Add(argument);
        }
        var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {executable.FileName}.");
        var stderr = new StringBuilder();
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                lock (stderr)
                {
                    stderr.AppendLine(e.Data);
                }
            }
        };
        process.BeginErrorReadLine();
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(ReadyTimeout);
            while (true)
            {
                string? line;
                try
                {
                    line = await process.StandardOutput.ReadLineAsync(timeout.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
                {
                    throw new InvalidOperationException($"shoal serve printed no address within {ReadyTimeout.TotalSeconds:0}s. {Tail(stderr)}");
                }
                if (line is null)
                {
                    await process.WaitForExitAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(5), CancellationToken.None).ConfigureAwait(false);
                    throw new InvalidOperationException($"shoal serve exited ({process.ExitCode}) before it was ready. {Tail(stderr)}");
                }
                if (line.StartsWith('{') && JsonSerializer.Deserialize(line, CliJsonContext.Default.ServeReady) is { } ready)
                {
                    var server = new ServerProcess(process, ready);
                    // Keep draining stdout so the child never blocks on a full pipe.
                    _ = process.StandardOutput.ReadToEndAsync(CancellationToken.None);
                    return server;
                }
            }
        }
        catch
        {
            Kill(process);
            process.Dispose();
            throw;
        }
    }

    /// <summary>Stops the server: SIGTERM, a bounded wait for a graceful exit, then a kill.</summary>
    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_process.HasExited)
            {
                if (OperatingSystem.IsWindows() || SendSigterm(_process.Id) != 0)
                {
                    Kill(_process);
                }
                try
                {
                    await _process.WaitForExitAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(15), CancellationToken.None).ConfigureAwait(false);
                }
                catch (TimeoutException)
                {
                    Kill(_process);
                }
            }
        }
        finally
        {
            _process.Dispose();
        }
    }

    private static void Kill(Process process)
    {
        try
        {
            process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }
    }

    private static string Tail(StringBuilder stderr)
    {
        lock (stderr)
        {
            var text = stderr.ToString().Trim();
            return text.Length == 0 ? "(no stderr)" : "stderr: " + (text.Length > 800 ? text[^800..] : text).ReplaceLineEndings(" | ");
        }
    }

    private static int SendSigterm(int pid) => NativeMethods.Kill(pid, 15);

    private static class NativeMethods
    {
        [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
        public static extern int Kill(int pid, int signal);
    }
}

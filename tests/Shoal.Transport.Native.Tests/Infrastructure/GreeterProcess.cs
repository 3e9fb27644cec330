using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;

namespace Shoal.Transport.Native.Tests.Infrastructure;

/// <summary>
/// The sample Greeter.Server run as a child process on free loopback ports, so hostile-peer tests
/// can attack a real server and read its resident memory (VmRSS). Killed on dispose.
/// </summary>
public sealed partial class GreeterProcess : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);

    private readonly Process _process;
    private readonly List<string> _output = [];
    private readonly TaskCompletionSource<(int Native, int Grpc)> _listening = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private GreeterProcess(Process process) => _process = process;

    /// <summary>The native port.</summary>
    public int Port { get; private set; }

    /// <summary>The gRPC (HTTP/2 cleartext) port.</summary>
    public int GrpcPort { get; private set; }

    /// <summary>The native address.</summary>
    public Uri Address => new($"shoal://127.0.0.1:{Port}");

    /// <summary>What the process printed (for failure messages).</summary>
    public string Output
    {
        get
        {
            lock (_output)
            {
                return string.Join('\n', _output.TakeLast(40));
            }
        }
    }

    /// <summary>How many lines the process printed that contain <paramref name="fragment"/>.</summary>
    public int CountLines(string fragment)
    {
        lock (_output)
        {
            return _output.Count(l => l.Contains(fragment, StringComparison.Ordinal));
        }
    }

    /// <summary>Starts the server with extra configuration, such as <c>--Shoal:Server:Native:IdleTimeout=00:00:01</c>.</summary>
    public static async Task<GreeterProcess> StartAsync(params string[] settings)
    {
        var dll = Locate();
        var info = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = Path.GetDirectoryName(dll)!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in (string[])[dll, "--tcp-port", "0", "--grpc-port", "0", "--Logging:LogLevel:Default=Warning", .. settings])
        {
            info.ArgumentList.Add(arg);
        }
        var process = new Process { StartInfo = info };
        var server = new GreeterProcess(process);
        process.OutputDataReceived += (_, e) => server.OnLine(e.Data);
        process.ErrorDataReceived += (_, e) => server.OnLine(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            var exited = process.WaitForExitAsync();
            var first = await Task.WhenAny(server._listening.Task, exited).WaitAsync(StartTimeout);
            if (first != server._listening.Task)
            {
                throw new InvalidOperationException($"Greeter.Server exited with {process.ExitCode} before listening:\n{server.Output}");
            }
            (server.Port, server.GrpcPort) = await server._listening.Task;
            return server;
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    /// <summary>The process's resident memory now, in bytes (VmRSS of /proc/&lt;pid&gt;/status).</summary>
    public long ResidentBytes()
    {
        foreach (var line in File.ReadLines($"/proc/{_process.Id}/status"))
        {
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
            {
                var kib = line["VmRSS:".Length..].Trim().Split(' ')[0];
                return long.Parse(kib, CultureInfo.InvariantCulture) * 1024;
            }
        }
        throw new InvalidOperationException("VmRSS not found for the Greeter.Server process.");
    }

    /// <summary>
    /// Samples <see cref="ResidentBytes"/> every 25 ms until disposed; <see cref="RssSampler.Peak"/> is
    /// the highest seen. A server that passes twice the test's <paramref name="bound"/> is killed at
    /// once, so a broken server fails its test instead of exhausting the shared machine.
    /// </summary>
    public RssSampler SampleRss(long bound) => new(this, bound);

    private void Kill()
    {
        try
        {
            _process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(15));
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
            _listening.TrySetResult((
                int.Parse(match.Groups["port"].Value, CultureInfo.InvariantCulture),
                int.Parse(match.Groups["grpc"].Value, CultureInfo.InvariantCulture)));
        }
    }

    private static string Locate()
    {
        // The tests run from tests/Shoal.Transport.Native.Tests/bin/<Configuration>/<tfm>/.
        var tfm = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var configuration = tfm.Parent!.Name;
        for (var dir = tfm; dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "samples", "Greeter", "Greeter.Server", "bin", configuration, tfm.Name, "Greeter.Server.dll");
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }
        throw new FileNotFoundException($"Greeter.Server.dll ({configuration}) was not found above {AppContext.BaseDirectory}; build samples/Greeter/Greeter.Server.");
    }

    [GeneratedRegex(@"Greeter listening: native shoal://127\.0\.0\.1:(?<port>\d+), grpc http://127\.0\.0\.1:(?<grpc>\d+)")]
    private static partial Regex ListeningLine();

    /// <summary>Polls a process's RSS in the background (bounded by its disposal) and keeps the peak.</summary>
    public sealed class RssSampler : IAsyncDisposable
    {
        private readonly CancellationTokenSource _stop = new();
        private readonly Task _loop;
        private long _peak;

        internal RssSampler(GreeterProcess process, long bound)
        {
            _peak = process.ResidentBytes();
            _loop = Task.Run(async () =>
            {
                while (!_stop.IsCancellationRequested)
                {
                    try
                    {
                        var rss = process.ResidentBytes();
                        if (rss > Volatile.Read(ref _peak))
                        {
                            Volatile.Write(ref _peak, rss);
                        }
                        if (rss > 2 * bound)
                        {
                            process.Kill();
                            return;
                        }
                        await Task.Delay(25, _stop.Token);
                    }
                    catch (Exception e) when (e is OperationCanceledException or IOException or InvalidOperationException)
                    {
                        return;
                    }
                }
            });
        }

        /// <summary>The highest RSS seen so far, in bytes.</summary>
        public long Peak => Volatile.Read(ref _peak);

        public async ValueTask DisposeAsync()
        {
            await _stop.CancelAsync();
            await _loop.WaitAsync(TimeSpan.FromSeconds(5));
            _stop.Dispose();
        }
    }
}

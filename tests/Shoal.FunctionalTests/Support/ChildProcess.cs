using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;

namespace Shoal.FunctionalTests.Support;

/// <summary>A process started by a test: its output is kept, lines can be awaited, and it is killed on dispose.</summary>
public sealed class ChildProcess : IAsyncDisposable
{
    private static readonly TimeSpan ExitWait = TimeSpan.FromSeconds(10);

    private readonly Process _process;
    private readonly List<string> _lines = [];
    private readonly List<(Regex Pattern, TaskCompletionSource<Match> Found)> _waiters = [];

    private ChildProcess(Process process, string name)
    {
        _process = process;
        Name = name;
    }

    /// <summary>A short name for messages.</summary>
    public string Name { get; }

    /// <summary>The process id.</summary>
    public int Id => _process.Id;

    /// <summary>Whether the process has exited.</summary>
    public bool HasExited => _process.HasExited;

    /// <summary>Everything the process printed (stdout and stderr), for failure messages.</summary>
    public string Output
    {
        get
        {
            lock (_lines)
            {
                return string.Join('\n', _lines.TakeLast(60));
            }
        }
    }

    /// <summary>
    /// Starts <paramref name="fileName"/> with <paramref name="args"/>, with <paramref name="environment"/>
    /// added to the test's environment; with <paramref name="input"/>, its standard input is a pipe
    /// for <see cref="WriteLineAsync"/> (else it inherits the test's).
    /// </summary>
    public static ChildProcess Start(string name, string fileName, IEnumerable<string> args, string? workingDirectory = null,
        IReadOnlyDictionary<string, string>? environment = null, bool input = false)
    {
        var info = new ProcessStartInfo(fileName)
        {
            RedirectStandardInput = input,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? Environment.CurrentDirectory,
        };
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }
        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            info.Environment[key] = value;
        }
        var process = new Process { StartInfo = info };
        var child = new ChildProcess(process, name);
        process.OutputDataReceived += (_, e) => child.OnLine(e.Data);
        process.ErrorDataReceived += (_, e) => child.OnLine(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return child;
    }

    /// <summary>Starts a built .NET program (<c>dotnet program.dll args</c>).</summary>
    public static ChildProcess StartDotnet(string name, string dll, IEnumerable<string> args, IReadOnlyDictionary<string, string>? environment = null, bool input = false)
        => Start(name, "dotnet", [dll, .. args], Path.GetDirectoryName(dll), environment, input);

    /// <summary>Writes one line to the standard input of a process started with <c>input: true</c>.</summary>
    public async Task WriteLineAsync(string line)
    {
        await _process.StandardInput.WriteLineAsync(line).ConfigureAwait(false);
        await _process.StandardInput.FlushAsync().ConfigureAwait(false);
    }

    /// <summary>Every line printed so far that matches <paramref name="pattern"/>, in order.</summary>
    public IReadOnlyList<Match> Matches(Regex pattern)
    {
        lock (_lines)
        {
            return [.. _lines.Select(l => pattern.Match(l)).Where(m => m.Success)];
        }
    }

    /// <summary>Waits for a line matching <paramref name="pattern"/> (printed before or after the call); fails if the process exits first.</summary>
    public async Task<Match> WaitForLineAsync(Regex pattern, TimeSpan timeout)
    {
        var found = new TaskCompletionSource<Match>(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_lines)
        {
            foreach (var line in _lines)
            {
                if (pattern.Match(line) is { Success: true } match)
                {
                    return match;
                }
            }
            _waiters.Add((pattern, found));
        }
        var exited = _process.WaitForExitAsync();
        var first = await Task.WhenAny(found.Task, exited, Task.Delay(timeout)).ConfigureAwait(false);
        if (first == found.Task)
        {
            return await found.Task.ConfigureAwait(false);
        }
        var why = first == exited ? $"exited with {_process.ExitCode}" : $"printed no line matching /{pattern}/ within {timeout.TotalSeconds:0} s";
        throw new InvalidOperationException($"{Name} {why}. Output:\n{Output}");
    }

    /// <summary>SIGKILL: the process dies without any goodbye.</summary>
    public void Kill()
    {
        try
        {
            _process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // Already exited.
        }
        _process.WaitForExit(ExitWait);
    }

    /// <summary>SIGTERM: asks the process to stop gracefully.</summary>
    public async Task TerminateAsync()
    {
        using var kill = Process.Start("kill", ["-TERM", _process.Id.ToString(CultureInfo.InvariantCulture)]);
        await kill.WaitForExitAsync().WaitAsync(ExitWait).ConfigureAwait(false);
    }

    /// <summary>Waits for the process to exit by itself and returns its exit code; throws <see cref="TimeoutException"/> after <paramref name="timeout"/>.</summary>
    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        await _process.WaitForExitAsync().WaitAsync(timeout).ConfigureAwait(false);
        return _process.ExitCode;
    }

    /// <inheritdoc/>
    public ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            Kill();
        }
        _process.Dispose();
        return ValueTask.CompletedTask;
    }

    private void OnLine(string? line)
    {
        if (line is null)
        {
            return;
        }
        lock (_lines)
        {
            _lines.Add(line);
            for (var i = _waiters.Count - 1; i >= 0; i--)
            {
                if (_waiters[i].Pattern.Match(line) is { Success: true } match)
                {
                    _waiters[i].Found.TrySetResult(match);
                    _waiters.RemoveAt(i);
                }
            }
        }
    }
}

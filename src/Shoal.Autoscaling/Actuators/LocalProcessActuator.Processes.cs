using System.Diagnostics;
using System.Globalization;
using Shoal.Autoscaling.Actuators.Internal;
using Shoal.Autoscaling.Internal;

namespace Shoal.Autoscaling.Actuators;

/// <summary>Starting, stopping and restarting the instance processes.</summary>
public sealed partial class LocalProcessActuator
{
    /// <summary>Starts one instance process (called under the lock).</summary>
    private SupervisedProcess Start(string id, int restarts)
    {
        var port = _options.PortAllocator?.Invoke() ?? FreePort();
        var info = new ProcessStartInfo(_options.FileName)
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
        };
        if (_options.WorkingDirectory is { } directory)
        {
            info.WorkingDirectory = directory;
        }

        foreach (var argument in _options.Arguments)
        {
            info.ArgumentList.Add(Substitute(argument, id, port));
        }

        foreach (var (name, value) in _options.Environment)
        {
            info.Environment[name] = Substitute(value, id, port);
        }

        var process = new Process { StartInfo = info, EnableRaisingEvents = true };
        var supervised = new SupervisedProcess(id, port, process, restarts);
        process.Exited += (_, _) => OnExited(supervised);

        // Drain the pipes so a chatty instance never blocks on a full buffer.
        process.OutputDataReceived += static (_, _) => { };
        process.ErrorDataReceived += static (_, _) => { };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        AutoscalingLog.InstanceStarted(_logger, id, process.Id, port);
        return supervised;
    }

    private static string Substitute(string text, string id, int port) =>
        text.Replace("{port}", port.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal)
            .Replace("{instance}", id, StringComparison.Ordinal);

    private void OnExited(SupervisedProcess process)
    {
        if (process.Stopping)
        {
            return;
        }

        ScaleEvent crashed;
        lock (_gate)
        {
            if (_disposed || !_running.Contains(process))
            {
                return;
            }

            crashed = Event(ScaleEventKind.InstanceCrashed, process.Id);
        }

        // The crash is reported before the restart is scheduled, so listeners see them in order.
        AutoscalingLog.InstanceCrashed(_logger, process.Id, process.Describe().ProcessId, SafeExitCode(process.Process));
        Raise(crashed);
        Track(RestartAsync(process));
    }

    private async Task RestartAsync(SupervisedProcess crashed)
    {
        // Back off on an instance that keeps crashing: the delay doubles per restart, up to 32 times.
        var delay = _options.RestartDelay * Math.Pow(2, Math.Min(crashed.Restarts, 5));
        await Task.Delay(delay, _time).ConfigureAwait(false);
        ScaleEvent restarted;
        lock (_gate)
        {
            var index = _running.IndexOf(crashed);
            if (_disposed || index < 0)
            {
                return;
            }

            var replacement = Start(crashed.Id, crashed.Restarts + 1);
            _running[index] = replacement;
            restarted = Event(ScaleEventKind.InstanceRestarted, crashed.Id);
        }

        crashed.Process.Dispose();
        Raise(restarted);
    }

    private async Task StopAsync(SupervisedProcess process)
    {
        if (!process.MarkStopping())
        {
            return;
        }

        var p = process.Process;
        var pid = process.Describe().ProcessId;
        try
        {
            if (!p.HasExited)
            {
                ProcessSignals.Terminate(p);
                using var grace = new CancellationTokenSource(_options.GracePeriod, _time);
                try
                {
                    await p.WaitForExitAsync(grace.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    AutoscalingLog.InstanceKilled(_logger, process.Id, pid, _options.GracePeriod);
                    p.Kill(entireProcessTree: true);
                    await p.WaitForExitAsync().ConfigureAwait(false);
                    Raise(new ScaleEvent(_time.GetUtcNow(), Name, ScaleEventKind.InstanceKilled, 0, 0, process.Id));
                }
            }

            AutoscalingLog.InstanceStopped(_logger, process.Id, pid, SafeExitCode(p));
            Raise(new ScaleEvent(_time.GetUtcNow(), Name, ScaleEventKind.InstanceStopped, 0, 0, process.Id));
        }
        finally
        {
            p.Dispose();
        }
    }

    private static int SafeExitCode(Process process)
    {
        try
        {
            return process.HasExited ? process.ExitCode : -1;
        }
        catch (InvalidOperationException)
        {
            return -1;
        }
    }
}

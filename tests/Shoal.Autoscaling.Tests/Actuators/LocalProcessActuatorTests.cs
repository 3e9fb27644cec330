using System.Diagnostics;
using Shoal.Autoscaling.Actuators;

namespace Shoal.Autoscaling.Tests.Actuators;

/// <summary>Starts real (tiny) processes: sleep and /bin/sh.</summary>
public sealed class LocalProcessActuatorTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task StartTwo_StopOne_KillOne_TheKilledOneIsRestarted()
    {
        var events = new List<ScaleEvent>();
        var actuator = new LocalProcessActuator(new LocalProcessOptions
        {
            FileName = "/bin/sh",
            Arguments = ["-c", "exec sleep 60", "{port}"],
            GracePeriod = TimeSpan.FromSeconds(5),
            RestartDelay = TimeSpan.FromMilliseconds(100),
        });
        actuator.Changed += (_, e) =>
        {
            lock (events)
            {
                events.Add(e);
            }
        };
        var pids = new List<int>();
        try
        {
            await actuator.ScaleAsync(2);
            var two = actuator.Instances;
            pids.AddRange(two.Select(i => i.ProcessId));
            Assert.Equal(2, two.Count);
            Assert.Equal(2, await actuator.GetReplicasAsync());
            Assert.NotEqual(two[0].Port, two[1].Port);
            Assert.All(two, i => Assert.True(IsRunning(i.ProcessId)));

            // Scale to 1: the newest instance gets SIGTERM and is not restarted.
            await actuator.ScaleAsync(1);
            await actuator.WhenIdleAsync().WaitAsync(Patience);
            Assert.False(IsRunning(two[1].ProcessId));
            Assert.Equal(two[0].Id, Assert.Single(actuator.Instances).Id);

            // kill -9 the survivor: it is restarted under the same id with a new process.
            Process.GetProcessById(two[0].ProcessId).Kill();
            var restarted = await WaitFor(() => actuator.Instances is [{ Restarts: 1 } i] ? i : null);
            await WaitFor(() =>
            {
                lock (events)
                {
                    return events.Find(e => e.Kind == ScaleEventKind.InstanceRestarted);
                }
            });
            pids.Add(restarted.ProcessId);
            Assert.Equal(two[0].Id, restarted.Id);
            Assert.NotEqual(two[0].ProcessId, restarted.ProcessId);
            Assert.True(IsRunning(restarted.ProcessId));
            lock (events)
            {
                Assert.Contains(events, e => e.Kind == ScaleEventKind.InstanceStopped && e.Instance == two[1].Id);
                Assert.Contains(events, e => e.Kind == ScaleEventKind.InstanceCrashed && e.Instance == two[0].Id);
                Assert.Contains(events, e => e.Kind == ScaleEventKind.InstanceRestarted && e.Instance == two[0].Id);
                Assert.DoesNotContain(events, e => e.Kind == ScaleEventKind.InstanceCrashed && e.Instance == two[1].Id);
            }
        }
        finally
        {
            await actuator.DisposeAsync().AsTask().WaitAsync(Patience);
            foreach (var pid in pids)
            {
                KillIfRunning(pid);
            }
        }

        Assert.All(pids, pid => Assert.False(IsRunning(pid)));
    }

    [Fact]
    public async Task InstanceIgnoringSigterm_IsKilledAfterTheGracePeriod()
    {
        var events = new List<ScaleEvent>();
        var ready = Path.Combine(Path.GetTempPath(), $"shoal-actuator-{Guid.NewGuid():N}.ready");
        var actuator = new LocalProcessActuator(new LocalProcessOptions
        {
            FileName = "/bin/sh",
            Arguments = ["-c", $"trap '' TERM; touch {ready}; while true; do sleep 1; done"],
            GracePeriod = TimeSpan.FromMilliseconds(500),
        });
        actuator.Changed += (_, e) =>
        {
            lock (events)
            {
                events.Add(e);
            }
        };
        var pid = 0;
        try
        {
            await actuator.ScaleAsync(1);
            pid = actuator.Instances[0].ProcessId;

            // SIGTERM before the shell has installed its trap would simply end it.
            await WaitFor(() => File.Exists(ready) ? ready : null);
            await actuator.ScaleAsync(0);
            await actuator.WhenIdleAsync().WaitAsync(Patience);

            Assert.False(IsRunning(pid));
            lock (events)
            {
                Assert.Contains(events, e => e.Kind == ScaleEventKind.InstanceKilled);
            }
        }
        finally
        {
            await actuator.DisposeAsync().AsTask().WaitAsync(Patience);
            KillIfRunning(pid);
            File.Delete(ready);
        }
    }

    [Fact]
    public async Task Arguments_GetThePortAndInstanceIdSubstituted()
    {
        var file = Path.Combine(Path.GetTempPath(), $"shoal-actuator-{Guid.NewGuid():N}.txt");
        var actuator = new LocalProcessActuator(new LocalProcessOptions
        {
            FileName = "/bin/sh",
            Arguments = ["-c", $"echo \"$0 $1\" > {file}; exec sleep 60", "{instance}", "{port}"],
            PortAllocator = () => 45678,
            InstancePrefix = "greeter",
        });
        try
        {
            await actuator.ScaleAsync(1);
            var text = await WaitFor(() => File.Exists(file) && File.ReadAllText(file).Contains('\n', StringComparison.Ordinal) ? File.ReadAllText(file) : null);
            Assert.Equal("greeter-1 45678\n", text);
        }
        finally
        {
            await actuator.DisposeAsync().AsTask().WaitAsync(Patience);
            File.Delete(file);
        }
    }

    private static async Task<T> WaitFor<T>(Func<T?> probe)
        where T : class
    {
        var deadline = DateTime.UtcNow + Patience;
        for (var i = 0; i < 2000 && DateTime.UtcNow < deadline; i++)
        {
            if (probe() is { } value)
            {
                return value;
            }

            await Task.Delay(20);
        }

        throw new TimeoutException("condition not met in time");
    }

    private static bool IsRunning(int pid)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }

    private static void KillIfRunning(int pid)
    {
        if (pid == 0 || !IsRunning(pid))
        {
            return;
        }

        try
        {
            using var process = Process.GetProcessById(pid);
            process.Kill(entireProcessTree: true);
        }
        catch (ArgumentException)
        {
        }
        catch (InvalidOperationException)
        {
        }
    }
}

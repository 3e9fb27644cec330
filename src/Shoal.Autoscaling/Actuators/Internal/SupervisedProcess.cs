using System.Diagnostics;

namespace Shoal.Autoscaling.Actuators.Internal;

/// <summary>A running instance process and what the supervisor knows about it.</summary>
internal sealed class SupervisedProcess(string id, int port, Process process, int restarts)
{
    private int _stopping;

    public string Id { get; } = id;

    public int Port { get; } = port;

    public Process Process { get; } = process;

    public int Restarts { get; } = restarts;

    /// <summary>Gets whether the supervisor itself is stopping it (its exit is then expected).</summary>
    public bool Stopping => Volatile.Read(ref _stopping) != 0;

    /// <summary>Marks the process as being stopped; returns false if it already was.</summary>
    public bool MarkStopping() => Interlocked.Exchange(ref _stopping, 1) == 0;

    public LocalInstance Describe() => new(Id, Port, SafePid(), Restarts);

    private int SafePid()
    {
        try
        {
            return Process.Id;
        }
        catch (InvalidOperationException)
        {
            return 0;
        }
    }
}

using System.Runtime.InteropServices;

namespace Shoal.Autoscaling.Actuators.Internal;

/// <summary>Sends POSIX signals; .NET's Process.Kill only sends SIGKILL.</summary>
internal static class ProcessSignals
{
    private const int SigTerm = 15;

    /// <summary>Asks a process to stop (SIGTERM on Unix; on Windows there is no equivalent, so it is killed).</summary>
    public static void Terminate(System.Diagnostics.Process process)
    {
        if (OperatingSystem.IsWindows())
        {
            process.Kill(entireProcessTree: true);
            return;
        }

        _ = Kill(process.Id, SigTerm);
    }

    // A plain DllImport: an int-only signature needs no marshalling, and LibraryImport would need unsafe code.
    [DllImport("libc", EntryPoint = "kill")]
    private static extern int Kill(int pid, int signal);
}

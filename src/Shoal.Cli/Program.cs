using System.Runtime.InteropServices;
using Shoal.Cli;

// SIGINT and SIGTERM cancel the running command instead of killing the process, so `serve`
// drains its calls and `bench` stops its servers before the process exits. A second signal
// gets the default action and ends the process at once.
using var stop = new CancellationTokenSource();
void OnSignal(PosixSignalContext context)
{
    if (stop.IsCancellationRequested)
    {
        return;
    }
    context.Cancel = true;
    stop.Cancel();
}
using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal);
using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal);

// The command tree is built in ShoalCli.BuildRootCommand.
return await ShoalCli.RunAsync(args, Console.Out, Console.Error, stop.Token).ConfigureAwait(false);

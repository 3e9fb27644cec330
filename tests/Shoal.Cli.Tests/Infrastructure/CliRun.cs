namespace Shoal.Cli.Tests.Infrastructure;

/// <summary>Runs the shoal command line in this process with captured output, bounded in time.</summary>
internal static class CliRun
{
    public static async Task<(int ExitCode, string Output, string Error)> RunAsync(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        var exitCode = await ShoalCli.RunAsync(args, output, error, timeout.Token).WaitAsync(TimeSpan.FromSeconds(150));
        return (exitCode, output.ToString(), error.ToString());
    }
}

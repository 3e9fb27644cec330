using System.CommandLine;
using System.Text.Json;

namespace Shoal.Cli.Commands.Demo;

/// <summary><c>shoal demo</c>: a Greeter host on free ports, called over both transports, summarized.</summary>
internal static class DemoCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Build()
    {
        var json = new Option<bool>("--json") { Description = "Print one JSON document instead of the summary." };
        var command = new Command("demo", "Start a Greeter host on free ports and call it over both transports (unary and streaming).") { json };
        command.SetAction((parseResult, cancellationToken) => CommandRunner.RunAsync(parseResult, cancellationToken, async io =>
        {
            var report = await DemoRunner.RunAsync(io.Cancellation).ConfigureAwait(false);
            if (parseResult.GetValue(json))
            {
                await io.Output.WriteLineAsync(JsonSerializer.Serialize(report, CliJsonContext.Default.DemoReport)).ConfigureAwait(false);
            }
            else
            {
                await io.Output.WriteAsync(report.ToText()).ConfigureAwait(false);
            }
            if (report.Ok)
            {
                return ExitCodes.Success;
            }
            var failed = report.Steps.FirstOrDefault(s => !s.Ok);
            await io.Error.WriteLineAsync(failed is null
                ? "ERROR: demo latency sample had failed calls."
                : $"ERROR: demo call {failed.Method} over {failed.Transport} failed: {string.Join(" ", failed.Result)}").ConfigureAwait(false);
            return ExitCodes.Failure;
        }));
        return command;
    }
}

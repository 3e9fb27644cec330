using System.CommandLine;
using Shoal.Cli.Commands;
using Shoal.Cli.Commands.Autoscale;
using Shoal.Cli.Commands.Bench;
using Shoal.Cli.Commands.Call;
using Shoal.Cli.Commands.Dashboard;
using Shoal.Cli.Commands.Demo;
using Shoal.Cli.Commands.Registry;
using Shoal.Cli.Commands.Serve;

namespace Shoal.Cli;

/// <summary>The <c>shoal</c> command line: builds the command tree and runs one command.</summary>
internal static class ShoalCli
{
    /// <summary>The command tree: demo, serve, call, bench, registry, autoscale, dashboard.</summary>
    public static RootCommand BuildRootCommand()
    {
        var root = new RootCommand("Shoal: one service, two transports (native shoal:// and gRPC), a cluster-aware client.");
        root.Subcommands.Add(DemoCommand.Build());
        root.Subcommands.Add(ServeCommand.Build());
        root.Subcommands.Add(CallCommand.Build());
        root.Subcommands.Add(BenchCommand.Build());
        root.Subcommands.Add(RegistryCommand.Build());
        root.Subcommands.Add(AutoscaleCommand.Build());
        root.Subcommands.Add(DashboardCommand.Build());

        // A command is one line here; its options and action live in its own Commands/ folder.
        return root;
    }

    /// <summary>The command's words from itself up to the root (<c>run</c>, <c>autoscale</c>, <c>shoal</c>).</summary>
    private static IEnumerable<string> CommandPath(System.CommandLine.Parsing.CommandResult? command)
    {
        for (; command is not null; command = command.Parent as System.CommandLine.Parsing.CommandResult)
        {
            yield return command.Parent is null ? "shoal" : command.Command.Name;
        }
    }

    /// <summary>
    /// How arguments are parsed: no response files, so <c>@path</c> reaches the command as written
    /// (<c>shoal call -d @request.json</c> reads the file as the request, not as more arguments).
    /// </summary>
    public static ParserConfiguration Parsing { get; } = new() { ResponseFileTokenReplacer = null };

    /// <summary>
    /// Parses <paramref name="args"/> and runs the command. Usage errors print to
    /// <paramref name="error"/> and return <see cref="ExitCodes.Usage"/> without running anything.
    /// </summary>
    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        var root = BuildRootCommand();
        var parsed = root.Parse(args, Parsing);
        if (parsed.Errors.Count > 0)
        {
            foreach (var parseError in parsed.Errors)
            {
                await error.WriteLineAsync($"shoal: {parseError.Message}").ConfigureAwait(false);
            }
            var commandName = string.Join(' ', CommandPath(parsed.CommandResult).Reverse());
            await error.WriteLineAsync($"Run '{commandName} --help' for usage.").ConfigureAwait(false);
            return ExitCodes.Usage;
        }

        var configuration = new InvocationConfiguration
        {
            Output = output,
            Error = error,
            // Signals are handled by Program (so a test host can pass its own token); commands catch their own errors.
            ProcessTerminationTimeout = null,
            EnableDefaultExceptionHandler = false,
        };
        return await parsed.InvokeAsync(configuration, cancellationToken).ConfigureAwait(false);
    }
}

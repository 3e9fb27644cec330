using System.CommandLine;
using Grpc.Core;

namespace Shoal.Cli.Commands;

/// <summary>Runs a command body and turns what it throws into an exit code and one stderr line.</summary>
internal static class CommandRunner
{
    /// <summary>Runs <paramref name="body"/>; exceptions become exit codes 1 (failure), 2 (usage) or 130 (interrupted).</summary>
    public static async Task<int> RunAsync(ParseResult parseResult, CancellationToken cancellationToken, Func<CommandIO, Task<int>> body)
    {
        var io = new CommandIO(
            parseResult.InvocationConfiguration.Output,
            parseResult.InvocationConfiguration.Error,
            cancellationToken);
        try
        {
            return await body(io).ConfigureAwait(false);
        }
        catch (UsageException ex)
        {
            await io.Error.WriteLineAsync($"shoal: {ex.Message}").ConfigureAwait(false);
            return ExitCodes.Usage;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            await io.Error.WriteLineAsync("shoal: interrupted").ConfigureAwait(false);
            return ExitCodes.Interrupted;
        }
        catch (RpcException ex)
        {
            await io.Error.WriteLineAsync(FormatStatus(ex.Status)).ConfigureAwait(false);
            return ExitCodes.Failure;
        }
        catch (Exception ex)
        {
            await io.Error.WriteLineAsync($"ERROR: {Describe(ex)}").ConfigureAwait(false);
            return ExitCodes.Failure;
        }
    }

    /// <summary>The stderr line for a failed call: <c>ERROR: &lt;StatusCode&gt;: &lt;detail&gt;</c>.</summary>
    public static string FormatStatus(Status status) => $"ERROR: {status.StatusCode}: {status.Detail}";

    /// <summary>One line that says what went wrong, with the innermost cause when it adds something.</summary>
    public static string Describe(Exception ex)
    {
        var message = ex.Message;
        var inner = ex is AggregateException { InnerExceptions.Count: 1 } aggregate ? aggregate.InnerExceptions[0] : ex.InnerException;
        if (inner is not null && !message.Contains(inner.Message, StringComparison.Ordinal))
        {
            message += " (" + inner.Message + ")";
        }
        return message.ReplaceLineEndings(" ");
    }
}

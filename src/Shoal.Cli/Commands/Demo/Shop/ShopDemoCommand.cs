using System.CommandLine;
using System.Text.Json;

namespace Shoal.Cli.Commands.Demo.Shop;

/// <summary><c>shoal demo --app shop</c>: the flags it shares with the Greeter demo, its defaults, the report and the exit code.</summary>
internal static class ShopDemoCommand
{
    /// <summary>The shop demo's settings from <c>demo</c>'s flags; a flag left out takes the shop's default.</summary>
    public static ShopDemoSettings Settings(ParseResult parse, Option<TimeSpan> duration, Option<double> capacity, Option<int> minReplicas, Option<int> maxReplicas, Option<string?> trace, Option<bool> noKill)
    {
        var defaults = new ShopDemoSettings();
        T Given<T>(Option<T> option, T fallback) => parse.GetResult(option) is { Implicit: false } ? parse.GetValue(option)! : fallback;
        var settings = defaults with
        {
            Duration = Given(duration, defaults.Duration),
            Capacity = Given(capacity, defaults.Capacity),
            MinReplicas = Given(minReplicas, defaults.MinReplicas),
            MaxReplicas = Given(maxReplicas, defaults.MaxReplicas),
            TracePath = parse.GetValue(trace),
            Kill = !parse.GetValue(noKill),
        };
        return settings.MinReplicas > settings.MaxReplicas
            ? throw new UsageException("--min-replicas must not exceed --max-replicas.")
            : settings;
    }

    /// <summary>Runs the demo and prints its report (text, or one JSON document); exit code 1 when a promise was broken.</summary>
    public static async Task<int> RunAsync(ShopDemoSettings settings, bool json, CommandIO io)
    {
        // Missing programs, podman or image are a usage error before anything starts.
        if (settings.Containers)
        {
            await ShopContainerEngine.CheckAsync(settings.Image, io.Cancellation).ConfigureAwait(false);
        }
        else
        {
            foreach (var service in ShopPrograms.Services)
            {
                ShopPrograms.Locate(settings.ProgramsDirectory, service);
            }
        }
        var report = await ShopDemoRunner.RunAsync(settings, json ? io.Error : io.Output, io.Cancellation).ConfigureAwait(false);
        if (json)
        {
            await io.Output.WriteLineAsync(JsonSerializer.Serialize(report, ShopDemoJsonContext.Default.ShopDemoReport)).ConfigureAwait(false);
        }
        else
        {
            await io.Output.WriteAsync(report.ToText()).ConfigureAwait(false);
        }
        if (report.Ok)
        {
            return ExitCodes.Success;
        }
        await io.Error.WriteLineAsync(
            $"ERROR: shop demo: {report.Failed} failed orders, {report.DoubleCharges} double charges, {report.LostStock} units of lost stock, " +
            $"{report.ChargesApproved} approved charges for {report.Placed} placed orders, {report.ProcessesLeft.Count} processes and {report.ContainersLeft.Count} containers left; {string.Join("; ", report.Failures)}").ConfigureAwait(false);
        return ExitCodes.Failure;
    }
}

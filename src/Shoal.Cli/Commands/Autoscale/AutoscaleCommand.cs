using System.CommandLine;
using System.Globalization;
using Shoal.Autoscaling.Simulation;

namespace Shoal.Cli.Commands.Autoscale;

/// <summary>
/// <c>shoal autoscale</c>: the autoscaler's commands. <c>run</c> runs it against a live cluster; <c>simulate</c> replays a trace through Shoal's
/// policy or the Kubernetes HPA baseline (or compares them); the logic lives in
/// <see cref="SimulationRunner"/> so it is tested without the command line.
/// </summary>
public static class AutoscaleCommand
{
    /// <summary>Builds the <c>autoscale</c> command with its subcommands.</summary>
    /// <returns>The command.</returns>
    public static Command Build()
    {
        var autoscale = new Command("autoscale", "Load prediction and autoscaling: run the autoscaler on a live cluster, or simulate Shoal's policy against the Kubernetes HPA.");
        autoscale.Subcommands.Add(BuildSimulate());
        autoscale.Subcommands.Add(AutoscaleRunCommand.Build());
        return autoscale;
    }

    private static Command BuildSimulate()
    {
        // Values are read as text and validated by SimulationRunner, so bad input always ends with
        // exit code 2 and one line on stderr instead of the parser's help page.
        var trace = new Option<string?>("--trace") { Description = "Request trace: CSV 'timestamp,value' per interval (a header allowed), or one value per line." };
        var values = new Option<string?>("--values") { Description = "What the trace's values are: auto (default: from the header; counts with timestamps, rates without), count (per interval) or rate (per second)." };
        var interval = new Option<string?>("--interval") { Description = "Interval of a trace without timestamps (default 1m)." };
        var synthetic = new Option<string?>("--synthetic") { Description = "A generated trace instead: " + string.Join(", ", Shoal.Autoscaling.Simulation.Corpus.TraceCorpus.Families) + "." };
        var seed = new Option<string?>("--seed") { Description = "Seed of the synthetic trace (default 1)." };
        var nines = new Option<string?>("--nines") { Description = "Shoal's knob: provision for the quantile 1 - 10^-nines of the forecast load (default 3: the 99.9% quantile)." };
        var policy = new Option<string?>("--policy") { Description = "shoal (default) or hpa." };
        var target = new Option<string?>("--hpa-target") { Description = "HPA target utilisation for --policy hpa (default 0.7)." };
        var startup = new Option<string?>("--startup") { Description = "Delay from decision to a ready replica (default 60s)." };
        var drain = new Option<string?>("--drain") { Description = "Drain delay of a removed replica (default 30s)." };
        var capacity = new Option<string?>("--capacity") { Description = "Requests per second one replica serves (default: the trace's peak / 20)." };
        var compare = new Option<bool>("--compare") { Description = "Compare Shoal's frontier (its knob swept) with the HPA's and the seasonal-naive baseline's (targets 40%..90%) at equal cost." };
        var json = new Option<bool>("--json") { Description = "Print one JSON document." };
        var timeline = new Option<bool>("--timeline") { Description = "With --compare --json, include Shoal's timeline." };

        var simulate = new Command("simulate", "Replay a trace through Shoal's policy or the HPA baseline on a simulated cluster.")
        {
            trace, values, interval, synthetic, seed, nines, policy, target, startup, drain, capacity, compare, json, timeline,
        };
        simulate.SetAction(parseResult =>
        {
            var error = parseResult.InvocationConfiguration.Error;
            if (!TryNumber(parseResult.GetValue(seed), 1, "--seed", error, out var seedValue)
                || !TryNumber(parseResult.GetValue(nines), double.NaN, "--nines", error, out var ninesValue)
                || !TryNumber(parseResult.GetValue(target), 0.7, "--hpa-target", error, out var targetValue)
                || !TryNumber(parseResult.GetValue(capacity), double.NaN, "--capacity", error, out var capacityValue))
            {
                return SimulationRunner.BadInput;
            }

            var request = new SimulationRequest
            {
                TracePath = parseResult.GetValue(trace),
                Synthetic = parseResult.GetValue(synthetic),
                Values = parseResult.GetValue(values) ?? "auto",
                Interval = parseResult.GetValue(interval),
                Nines = double.IsNaN(ninesValue) ? null : ninesValue,
                Seed = (int)Math.Clamp(seedValue, int.MinValue, int.MaxValue),
                Policy = parseResult.GetValue(policy) ?? "shoal",
                HpaTarget = targetValue,
                Startup = parseResult.GetValue(startup) ?? "60s",
                Drain = parseResult.GetValue(drain) ?? "30s",
                Capacity = double.IsNaN(capacityValue) ? null : capacityValue,
                Compare = parseResult.GetValue(compare),
                Json = parseResult.GetValue(json),
                Timeline = parseResult.GetValue(timeline),
            };
            return SimulationRunner.Run(request, parseResult.InvocationConfiguration.Output, error);
        });
        return simulate;
    }

    private static bool TryNumber(string? text, double fallback, string name, TextWriter error, out double value)
    {
        if (text is null)
        {
            value = fallback;
            return true;
        }

        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out value) && double.IsFinite(value))
        {
            return true;
        }

        error.WriteLine($"shoal: {name} expects a number, got '{text}'");
        return false;
    }
}

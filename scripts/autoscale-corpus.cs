#!/usr/bin/env -S dotnet run --file
#:project ../src/Shoal.Autoscaling/Shoal.Autoscaling.csproj
#:property PublishAot=false

// The autoscaling evaluation: Shoal's frontier against the HPA's (and the seasonal-naive baseline's) at
// equal cost on the generated corpus (TraceCorpus: ten families x seeds, odd seeds train, even seeds test)
// and on every whole week of a full per-minute trace (the World Cup 1998 one).
//
//   dotnet run --file scripts/autoscale-corpus.cs -c Release -- [--split test|train|all] [--seeds 6]
//       [--families a,b] [--worldcup FILE] [--startup 60] [--parallel 2] [--set OPTION=VALUE]...
//       [--first-seed N] [--only NAME,NAME] [--oracle] [--json FILE]
//
// Prints one row per trace (frontier ratio = Shoal's late requests summed at HPA-50/60/70/80%'s costs over
// HPA's; flapping = Shoal's scale events at the default knob over HPA-70%'s; the seasonal-naive baseline's
// frontier ratio), a table per family and the worst trace. '!' marks a trace that misses a goal (ratio
// <= 0.5, flapping <= 1.5). --set changes one of Shoal's policy options (ShoalPolicyOptions; a TimeSpan in
// seconds) to try a variant on train. --first-seed keeps the generated traces of seeds N and up: with --seeds above
// the default and --split all, a set that no choice has been made on yet (see docs/autoscaling.md, "Fresh seeds").
// --only keeps the named traces. --json writes every result (the sweeps included) for the plot script.
// --oracle adds the frontier ratios of two informed policies against the same HPA runs (InformedScalingPolicy,
// swept over the same nines): 'oracle' knows each generated trace's shape and its events' onsets, 'prior' the
// shape and each event from its first minute on; neither knows the noise (a World Cup week has no model: '-').
using System.Globalization;
using System.Text.Json;
using Shoal.Autoscaling.Policy;
using Shoal.Autoscaling.Simulation;
using Shoal.Autoscaling.Simulation.Corpus;

CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;
CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;

var split = "test";
var seeds = TraceCorpus.DefaultSeedsPerFamily;
var firstSeed = 1;
var families = TraceCorpus.Families.ToArray();
string? worldcup = null;
string? json = null;
var startup = 60;
var parallel = 2;
var shoal = new ShoalPolicyOptions();
string[]? only = null;
var oracle = false;
for (var i = 0; i < args.Length; i++)
{
    var value = i + 1 < args.Length ? args[i + 1] : string.Empty;
    try
    {
        switch (args[i])
        {
            case "--split": split = value; i++; break;
            case "--seeds": seeds = int.Parse(value, CultureInfo.InvariantCulture); i++; break;
            case "--first-seed": firstSeed = int.Parse(value, CultureInfo.InvariantCulture); i++; break;
            case "--families": families = value.Split(','); i++; break;
            case "--worldcup": worldcup = value; i++; break;
            case "--startup": startup = int.Parse(value, CultureInfo.InvariantCulture); i++; break;
            case "--parallel": parallel = int.Parse(value, CultureInfo.InvariantCulture); i++; break;
            case "--set": shoal = With(shoal, value); i++; break;
            case "--json": json = value; i++; break;
            case "--only": only = value.Split(','); i++; break;
            case "--oracle": oracle = true; break;
            default:
                Console.Error.WriteLine($"autoscale-corpus: unknown argument '{args[i]}'");
                return 2;
        }
    }
    catch (Exception e) when (e is FormatException or OverflowException or ArgumentException or IndexOutOfRangeException)
    {
        Console.Error.WriteLine($"autoscale-corpus: {args[i]} '{value}': {e.Message}");
        return 2;
    }
}

if (split is not ("test" or "train" or "all"))
{
    Console.Error.WriteLine($"autoscale-corpus: --split must be test, train or all, not '{split}'");
    return 2;
}

var traces = new List<CorpusTrace>();
if (families.Length > 0 && families[0].Length > 0)
{
    traces.AddRange(TraceCorpus.Synthetic(seeds, families).Where(t => t.Seed >= firstSeed));
}

if (worldcup is not null)
{
    traces.AddRange(TraceCorpus.Weeks(TraceReader.Read(worldcup)));
}

traces = traces.Where(t => split == "all" || t.Split.ToString().Equals(split, StringComparison.OrdinalIgnoreCase))
    .Where(t => only is null || only.Contains(t.Name, StringComparer.Ordinal))
    .ToList();
var started = DateTime.UtcNow;
var results = CorpusEvaluation.Run(traces, TimeSpan.FromSeconds(startup), (t, s) => FrontierComparison.ShoalSweep(t.Trace, s, shoal), parallel);
FrontierResult?[] oracles = new FrontierResult?[results.Count], priors = new FrontierResult?[results.Count];
if (oracle)
{
    oracles = [.. CorpusEvaluation.Informed(results, TimeSpan.FromSeconds(startup), InformedKnowledge.Oracle, parallel)];
    priors = [.. CorpusEvaluation.Informed(results, TimeSpan.FromSeconds(startup), InformedKnowledge.Prior, parallel)];
}

var seconds = (DateTime.UtcNow - started).TotalSeconds;
string Informed(FrontierResult?[] informed, int index) => !oracle ? string.Empty : informed[index] is { } r ? Text(r.FrontierRatio) : "-";

var informedHeader = oracle ? $" {"prior",7} {"oracle",7}" : string.Empty;
Console.WriteLine($"{"trace",-26} {"split",-5} {"ratio",7} {"flap",6} {"naive",7}{informedHeader} {"shoal_late",11} {"hpa_late",11} {"events",6} {"hpa70",6} {"spans",5}");
for (var index = 0; index < results.Count; index++)
{
    var (trace, r) = results[index];
    var informedColumns = oracle ? $" {Informed(priors, index),7} {Informed(oracles, index),7}" : string.Empty;
    var hpaLate = r.CostPoints.Sum(p => p.Hpa);
    var shoalLate = r.CostPoints.All(p => p.Shoal is not null) ? r.CostPoints.Sum(p => p.Shoal!.Value).ToString("F0", CultureInfo.InvariantCulture) : "-";
    Console.WriteLine($"{trace.Name,-26} {trace.Split,-5} {Text(r.FrontierRatio),7} {Text(r.FlappingRatio, 2),6} {Text(r.SeasonalNaiveRatio),7}{informedColumns} {shoalLate,11} {hpaLate,11:F0} {r.Shoal.ScaleEvents,6} {r.Hpa70?.ScaleEvents,6} {(r.SweepSpansHpa ? "yes" : "no"),5} {(r.Meets ? "" : "!")}");
}

Console.WriteLine();
var familyHeader = oracle ? $" {"prior range",13} {"oracle range",13}" : string.Empty;
Console.WriteLine($"{"family",-18} {"traces",6} {"met",4} {"worst ratio",12} {"worst flap",11} {"median ratio",13} {"naive median",13}{familyHeader}");
foreach (var group in results.Select((r, i) => (r.Trace, r.Result, Index: i)).GroupBy(r => r.Trace.Family))
{
    var list = group.ToArray();
    var informedColumns = oracle
        ? $" {Range(list.Select(r => priors[r.Index]?.FrontierRatio), list.All(r => priors[r.Index] is not null)),13} {Range(list.Select(r => oracles[r.Index]?.FrontierRatio), list.All(r => oracles[r.Index] is not null)),13}"
        : string.Empty;
    Console.WriteLine($"{group.Key,-18} {list.Length,6} {list.Count(r => r.Result.Meets),4} {Text(Worst(list.Select(r => r.Result.FrontierRatio))),12} {Text(Worst(list.Select(r => r.Result.FlappingRatio)), 2),11} {Text(Median(list.Select(r => r.Result.FrontierRatio))),13} {Text(Median(list.Select(r => r.Result.SeasonalNaiveRatio))),13}{informedColumns}");
}

var worst = results.OrderByDescending(r => r.Result.FrontierRatio ?? double.PositiveInfinity).First();
var worstFlap = results.OrderByDescending(r => r.Result.FlappingRatio ?? double.PositiveInfinity).First();
Console.WriteLine();
Console.WriteLine($"{results.Count} traces ({split}), {results.Count(r => r.Result.Meets)} meet both goals; worst frontier ratio {Text(worst.Result.FrontierRatio)} on {worst.Trace.Name}; worst flapping {Text(worstFlap.Result.FlappingRatio, 2)} on {worstFlap.Trace.Name}; {seconds:F0} s");

if (json is not null)
{
    using var stream = File.Create(json);
    using var writer = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = false });
    writer.WriteStartArray();
    for (var index = 0; index < results.Count; index++)
    {
        var (trace, r) = results[index];
        writer.WriteStartObject();
        writer.WriteString("family", trace.Family);
        writer.WriteNumber("seed", trace.Seed);
        writer.WriteString("split", trace.Split.ToString().ToLowerInvariant());
        writer.WritePropertyName("result");
        writer.WriteRawValue(ReportFormatter.ToJson(r), skipInputValidation: true);
        foreach (var (name, informed) in new[] { ("oracle", oracles[index]), ("prior", priors[index]) })
        {
            if (oracle && informed is not null)
            {
                writer.WritePropertyName(name);
                writer.WriteRawValue(ReportFormatter.ToJson(informed), skipInputValidation: true);
            }
        }

        writer.WriteEndObject();
    }

    writer.WriteEndArray();
}

return 0;

static string Text(double? value, int digits = 3) => value is { } v ? v.ToString("F" + digits, CultureInfo.InvariantCulture) : "undef";

static string Range(IEnumerable<double?> values, bool all)
{
    if (!all)
    {
        return "-";
    }

    var list = values.ToArray();
    return list.Any(v => v is null) ? "undef" : $"{list.Min()!.Value:F2}-{list.Max()!.Value:F2}";
}

static double? Worst(IEnumerable<double?> values) => values.Any(v => v is null) ? null : values.Max();

static double? Median(IEnumerable<double?> values)
{
    var sorted = values.Select(v => v ?? double.PositiveInfinity).Order().ToArray();
    return sorted.Length == 0 ? null : sorted[sorted.Length / 2] is var m && double.IsFinite(m) ? m : null;
}

static ShoalPolicyOptions With(ShoalPolicyOptions options, string assignment)
{
    var parts = assignment.Split('=', 2);
    if (parts.Length != 2)
    {
        throw new ArgumentException("expected NAME=VALUE");
    }

    var (name, text) = (parts[0], parts[1]);
    var property = typeof(ShoalPolicyOptions).GetProperty(name) ?? throw new ArgumentException($"no option '{name}'");
    object value = property.PropertyType == typeof(bool) ? bool.Parse(text)
        : property.PropertyType == typeof(int) ? int.Parse(text, CultureInfo.InvariantCulture)
        : property.PropertyType == typeof(TimeSpan) ? TimeSpan.FromSeconds(double.Parse(text, CultureInfo.InvariantCulture))
        : double.Parse(text, CultureInfo.InvariantCulture);
    var copy = options with { };
    property.SetValue(copy, value);
    return copy;
}

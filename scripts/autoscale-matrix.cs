#!/usr/bin/env -S dotnet run --file
#:project ../src/Shoal.Autoscaling/Shoal.Autoscaling.csproj
#:property PublishAot=false

// The autoscaling robustness matrix: Shoal against the HPA sweep (FairComparison) over every
// synthetic trace kind x seeds, every startup delay, and optionally every whole week of a full
// per-minute trace (the WorldCup 1998 trace) at 1-minute and 5-minute aggregation.
//
//   dotnet run --file scripts/autoscale-matrix.cs -- [--seeds 1-8] [--startups 30,60,120]
//       [--kinds diurnal,flash-crowd,ramp,sawtooth] [--worldcup FILE] [--aggregate 1,5]
//       [--trace FILE]... [--only-worldcup] [--parallel 2] [--explain TRACE@STARTUP] [--set OPTION=VALUE]...
//
// Prints one line per cell (Shoal's overloaded minutes and replica-minutes, HPA's overloaded
// minutes at that cost, the ratio; '!' marks a ratio above 0.5, '<' a Shoal cost below the
// cheapest HPA point) and then the ratio table. --trace adds a trace file as it is; --only-worldcup
// leaves the synthetic traces out. --set changes one of Shoal's policy options
// (ShoalPolicyOptions; a TimeSpan in seconds) to try a variant. --explain prints the overloaded intervals of one
// cell (e.g. "flash-crowd/3@120" or "wc98-1998-05-11/5m@60") with the four intervals before each.
using System.Collections.Concurrent;
using System.Globalization;
using Shoal.Autoscaling.Policy;
using Shoal.Autoscaling.Simulation;

CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;
CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;

var seeds = Enumerable.Range(1, 8).ToArray();
int[] startups = [30, 60, 120];
var kinds = SyntheticTraces.Names.ToArray();
int[] aggregations = [1, 5];
string? worldcup = null;
var files = new List<string>();
string? explain = null;
var onlyWorldcup = false;
var parallel = 2;
var shoal = new ShoalPolicyOptions();
for (var i = 0; i < args.Length; i++)
{
    var value = i + 1 < args.Length ? args[i + 1] : string.Empty;
    switch (args[i])
    {
        case "--seeds":
            seeds = ParseRange(value);
            i++;
            break;
        case "--startups":
            startups = value.Split(',').Select(int.Parse).ToArray();
            i++;
            break;
        case "--kinds":
            kinds = value.Split(',');
            i++;
            break;
        case "--worldcup":
            worldcup = value;
            i++;
            break;
        case "--aggregate":
            aggregations = value.Split(',').Select(int.Parse).ToArray();
            i++;
            break;
        case "--trace":
            files.Add(value);
            i++;
            break;
        case "--only-worldcup":
            onlyWorldcup = true;
            break;
        case "--parallel":
            parallel = int.Parse(value);
            i++;
            break;
        case "--set":
            shoal = With(shoal, value);
            i++;
            break;
        case "--explain":
            explain = value;
            i++;
            break;
        default:
            Console.Error.WriteLine($"autoscale-matrix: unknown argument '{args[i]}'");
            return 2;
    }
}

var traces = new List<LoadTrace>();
if (!onlyWorldcup)
{
    foreach (var kind in kinds)
    {
        foreach (var seed in seeds)
        {
            var t = SyntheticTraces.Create(kind, seed);
            traces.Add(new LoadTrace($"{kind}/{seed}", t.Interval, t.Counts, t.Start));
        }
    }
}

foreach (var file in files)
{
    traces.Add(TraceReader.Read(file));
}

if (worldcup is not null)
{
    var full = TraceReader.Read(worldcup);
    traces.AddRange(Weeks(full, aggregations));
}

var cells = traces.SelectMany(t => startups.Select(s => (Trace: t, Startup: s))).ToArray();
if (explain is not null)
{
    var cell = cells.FirstOrDefault(c => $"{c.Trace.Name}@{c.Startup}" == explain);
    if (cell.Trace is null)
    {
        Console.Error.WriteLine($"autoscale-matrix: no cell '{explain}' (use TRACE@STARTUP, e.g. flash-crowd/3@60)");
        return 2;
    }

    Explain(cell.Trace, cell.Startup, shoal);
    return 0;
}

var results = new ConcurrentDictionary<(string, int), ComparisonResult>();
var started = DateTime.UtcNow;
Parallel.ForEach(cells, new ParallelOptions { MaxDegreeOfParallelism = parallel }, cell =>
{
    results[(cell.Trace.Name, cell.Startup)] = FairComparison.Run(cell.Trace, Options(cell.Trace, cell.Startup), shoal);
});

Console.WriteLine($"{"trace",-24} {"startup",7} {"shoal_over",10} {"shoal_cost",11} {"hpa_over@cost",13} {"ratio",7}");
foreach (var (trace, startup) in cells)
{
    var r = results[(trace.Name, startup)];
    var flags = (r.Ratio is null or > 0.5 ? "!" : " ") + (r.Note?.Contains("below the cheapest", StringComparison.Ordinal) == true ? "<" : " ");
    Console.WriteLine($"{trace.Name,-24} {startup,6}s {r.Shoal.OverloadedMinutes,10:F2} {r.Shoal.ReplicaMinutes,11:F0} {r.HpaOverloadedAtShoalCost,13:F2} {Ratio(r),7} {flags}");
}

Console.WriteLine();
Console.WriteLine($"{"ratio",-24} " + string.Join(' ', startups.Select(s => $"{s + "s",7}")));
foreach (var trace in traces)
{
    Console.WriteLine($"{trace.Name,-24} " + string.Join(' ', startups.Select(s => $"{Ratio(results[(trace.Name, s)]),7}")));
}

var all = results.Values.ToArray();
var failing = all.Count(r => r.Ratio is null or > 0.5);
var worst = all.Max(r => r.Ratio ?? double.PositiveInfinity);
Console.WriteLine();
Console.WriteLine($"cells {all.Length}, above 0.5: {failing}, worst {worst:F3}, median {Median(all.Select(r => r.Ratio ?? double.PositiveInfinity)):F3}, {(DateTime.UtcNow - started).TotalSeconds:F0} s");
return 0;

static SimulationOptions Options(LoadTrace trace, int startup) => new()
{
    CapacityPerInstance = SimulationRunner.DefaultCapacity(trace),
    Startup = TimeSpan.FromSeconds(startup),
};

static string Ratio(ComparisonResult r) => r.Ratio is { } x ? x.ToString("F3", CultureInfo.InvariantCulture) : "undef";

static double Median(IEnumerable<double> values)
{
    var sorted = values.Order().ToArray();
    return sorted.Length == 0 ? 0 : sorted[sorted.Length / 2];
}

static int[] ParseRange(string text)
{
    var parts = text.Split('-');
    return parts.Length == 2
        ? Enumerable.Range(int.Parse(parts[0]), int.Parse(parts[1]) - int.Parse(parts[0]) + 1).ToArray()
        : text.Split(',').Select(int.Parse).ToArray();
}

static ShoalPolicyOptions With(ShoalPolicyOptions options, string assignment)
{
    var (name, text) = (assignment.Split('=')[0], assignment.Split('=')[1]);
    var property = typeof(ShoalPolicyOptions).GetProperty(name) ?? throw new ArgumentException($"no option '{name}'");
    object value = property.PropertyType == typeof(bool) ? bool.Parse(text)
        : property.PropertyType == typeof(int) ? int.Parse(text, CultureInfo.InvariantCulture)
        : property.PropertyType == typeof(TimeSpan) ? TimeSpan.FromSeconds(double.Parse(text, CultureInfo.InvariantCulture))
        : double.Parse(text, CultureInfo.InvariantCulture);
    var copy = options with { };
    property.SetValue(copy, value);
    return copy;
}

// Whole Monday-to-Sunday weeks of the trace, at each aggregation (minutes per interval).
static IEnumerable<LoadTrace> Weeks(LoadTrace full, int[] aggregations)
{
    var start = full.Start ?? DateTimeOffset.UnixEpoch;
    var perWeek = (int)(TimeSpan.FromDays(7) / full.Interval);
    var first = start.Date.AddDays(((int)DayOfWeek.Monday - (int)start.DayOfWeek + 7) % 7);
    if (first < start)
    {
        first = first.AddDays(7);
    }

    var offset = (int)((new DateTimeOffset(first, start.Offset) - start) / full.Interval);
    for (var from = offset; from + perWeek <= full.Counts.Count; from += perWeek)
    {
        var day = start + (full.Interval * from);
        var week = full.Counts.Skip(from).Take(perWeek).ToArray();
        foreach (var minutes in aggregations)
        {
            var counts = week.Chunk(minutes).Select(c => c.Sum()).ToArray();
            yield return new LoadTrace($"wc98-{day:yyyy-MM-dd}/{minutes}m", full.Interval * minutes, counts, day);
        }
    }
}

static void Explain(LoadTrace trace, int startup, ShoalPolicyOptions shoal)
{
    var options = Options(trace, startup);
    var result = FairComparison.Run(trace, options, shoal);
    var recorder = new Recorder(FairComparison.CreateShoal(trace, options, shoal));
    ClusterSimulator.Run(trace, recorder, options);
    var headroom = recorder.Decisions.Select(d => d.Headroom).Order().ToArray();
    var flaps = 0;
    DateTimeOffset? lastDown = null;
    foreach (var d in recorder.Decisions.Where(d => d.IsChange))
    {
        if (d.Desired < d.CurrentReplicas)
        {
            lastDown = d.Time;
        }
        else if (lastDown is { } down && d.Time - down <= TimeSpan.FromMinutes(2))
        {
            flaps++;
        }
    }

    Console.WriteLine($"scale events {recorder.Decisions.Count(d => d.IsChange)}, a step up within 2 minutes of a step down: {flaps}");
    Console.WriteLine($"headroom: p10 {headroom[headroom.Length / 10]:F3} median {headroom[headroom.Length / 2]:F3} p90 {headroom[headroom.Length * 9 / 10]:F3} mean {headroom.Average():F3}");
    var byMinute = recorder.Decisions.GroupBy(d => (d.Time - (trace.Start ?? DateTimeOffset.UnixEpoch) - TimeSpan.FromTicks(1)).Ticks / trace.Interval.Ticks)
        .ToDictionary(g => g.Key, g => g.Last());
    Console.WriteLine($"{trace.Name} startup {startup}s: shoal over {result.Shoal.OverloadedMinutes:F2} cost {result.Shoal.ReplicaMinutes:F0}; hpa at cost {result.HpaOverloadedAtShoalCost:F2}; ratio {Ratio(result)} {result.Note}");
    foreach (var h in result.Hpa)
    {
        Console.WriteLine($"  {h.Policy,-8} over {h.OverloadedMinutes,8:F2} cost {h.ReplicaMinutes,9:F0} events {h.ScaleEvents}");
    }

    var capacity = options.CapacityPerInstance;
    var timeline = result.Shoal.Timeline;
    var shown = -1;
    for (var i = 0; i < timeline.Count; i++)
    {
        if (timeline[i].Load <= timeline[i].Ready * capacity)
        {
            continue;
        }

        Console.WriteLine("  --");
        for (var j = Math.Max(shown + 1, i - 4); j <= Math.Min(timeline.Count - 1, i + 1); j++)
        {
            var p = timeline[j];
            var d = byMinute.GetValueOrDefault(p.Offset.Ticks / trace.Interval.Ticks);
            Console.WriteLine($"  {p.Offset,12} load {p.Load / capacity,7:F2} repl  forecast {p.Forecast / capacity,7:F2}  ready {p.Ready,4}  desired {p.Desired,4}  headroom {d?.Headroom,6:F3} {d?.Reason}{(p.Load > p.Ready * capacity ? "  OVER" : string.Empty)}");
            shown = j;
        }
    }
}

// Records every decision of the policy it wraps.
internal sealed class Recorder(IScalingPolicy inner) : IScalingPolicy
{
    public List<ScalingDecision> Decisions { get; } = [];

    public string Name => inner.Name;

    public ScalingDecision Decide(ScalingInput input)
    {
        var decision = inner.Decide(input);
        Decisions.Add(decision);
        return decision;
    }
}

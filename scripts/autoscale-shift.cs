#!/usr/bin/env -S dotnet run --file
#:project ../src/Shoal.Autoscaling/Shoal.Autoscaling.csproj
#:property PublishAot=false

// Where a generated trace's late requests and scale events fall relative to its first event (a level shift's
// onset, a crowd's): Shoal at one knob against HPA-70%, the same cluster model as scripts/autoscale-corpus.cs.
//
//   dotnet run --file scripts/autoscale-shift.cs -c Release -- FAMILY SEED [--nines 3] [--ticks FROM,COUNT] [--hours FROM,COUNT] [--frontier]
//
// Prints late requests (estimated per minute: load beyond the ready replicas' capacity), replica-minutes and
// count changes per span after the onset; scale-ups on a widened upper end (more than 15% above both the load
// and the forecast: a surprise's answer) and how many of them a scale-in undid within six minutes; with
// --ticks every decision from FROM minutes after the onset for COUNT minutes; with --hours the means of each hour
// from FROM hours after the onset for COUNT hours (forecast and upper end over the load); with --frontier Shoal's sweep
// and HPA's runs, as the frontier ratio sees them.
using System.Globalization;
using Shoal.Autoscaling.Policy;
using Shoal.Autoscaling.Simulation;
using Shoal.Autoscaling.Simulation.Corpus;

CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
if (args.Length < 2 || !TraceCorpus.IsFamily(args[0]))
{
    Console.Error.WriteLine("autoscale-shift: FAMILY SEED [--nines N] [--ticks FROM,COUNT] [--hours FROM,COUNT] [--frontier]");
    return 2;
}

if (!int.TryParse(args[1], NumberStyles.Integer, CultureInfo.InvariantCulture, out var seed))
{
    Console.Error.WriteLine($"autoscale-shift: SEED must be an integer, not '{args[1]}'");
    return 2;
}

var family = args[0];
var nines = 3.0;
(int From, int Count)? ticks = null;
(int From, int Count)? hours = null;
var frontier = false;
for (var i = 2; i < args.Length; i++)
{
    try
    {
        switch (args[i])
        {
            case "--nines": nines = double.Parse(args[++i], CultureInfo.InvariantCulture); break;
            case "--ticks": var p = args[++i].Split(','); ticks = (int.Parse(p[0], CultureInfo.InvariantCulture), int.Parse(p[1], CultureInfo.InvariantCulture)); break;
            case "--hours": var h = args[++i].Split(','); hours = (int.Parse(h[0], CultureInfo.InvariantCulture), int.Parse(h[1], CultureInfo.InvariantCulture)); break;
            case "--frontier": frontier = true; break;
            default: Console.Error.WriteLine($"autoscale-shift: unknown argument '{args[i]}'"); return 2;
        }
    }
    catch (Exception e) when (e is FormatException or OverflowException or ArgumentException or IndexOutOfRangeException)
    {
        Console.Error.WriteLine($"autoscale-shift: {args[i - 1]} wants a value: {e.Message}");
        return 2;
    }
}

var trace = TraceCorpus.Generate(family, seed);
var model = TraceCorpus.Model(family, seed);
// A trace without events is read from its start.
var at = model.Events.Count == 0 ? 0 : model.Events[0].Onset;
var simulation = CorpusEvaluation.Simulation(new CorpusTrace(family, seed, TraceCorpus.SplitOf(seed), trace, TraceCorpus.SyntheticCapacity), TimeSpan.FromSeconds(60));
var capacity = simulation.CapacityPerInstance;
var decisions = new List<ScalingDecision>();
var shoal = ClusterSimulator.Run(trace, new Recording(FairComparison.CreateShoal(trace, simulation, new ShoalPolicyOptions { Nines = nines }), decisions), simulation);
var hpa = ClusterSimulator.Run(trace, FairComparison.CreateHpa(simulation, 0.7), simulation, 0.7);
var perMinute = decisions.Count / trace.Counts.Count;

Console.WriteLine(model.Events.Count == 0 ? $"{trace.Name}: no event"
    : $"{trace.Name}: {model.Events[0].Kind} at minute {at} (day {at / 1440.0:F2}), shape {model.Rate(at - 1):F0}/s before, {model.Rate(at + 5):F0}/s after (x{model.Rate(at + 5) / model.Rate(at - 1):F2})");
Console.WriteLine($"shoal at {nines} nines: {shoal.UnservedRequests:F0} late, {shoal.ReplicaMinutes:F0} replica-minutes, {shoal.ScaleEvents} events; hpa-70%: {hpa.UnservedRequests:F0}, {hpa.ReplicaMinutes:F0}, {hpa.ScaleEvents}");
foreach (var (from, to, name) in new[] { (0, at, "before"), (at, at + 10, "0-10 min"), (at + 10, at + 60, "10-60 min"), (at + 60, at + 360, "1-6 h"), (at + 360, at + 1440, "6-24 h"), (at + 1440, trace.Counts.Count, "after 1 d") })
{
    var (s, h) = (Span(shoal, from, to), Span(hpa, from, to));
    Console.WriteLine($"{name,-10} shoal late {s.Sum(Late),9:F0} rm {s.Sum(p => p.Ready),7} changes {Changes(s),4} | hpa-70% late {h.Sum(Late),9:F0} rm {h.Sum(p => p.Ready),7} changes {Changes(h),4}");
}

foreach (var (from, to, name) in new[] { (0, at, "before"), (at + 10, trace.Counts.Count, "after 10 min") }.Where(s => s.Item2 > s.Item1))
{
    var span = decisions.Skip(from * perMinute).Take((to - from) * perMinute).ToList();
    var ups = span.Select((d, i) => (d, i)).Where(x => x.d.Desired > x.d.CurrentReplicas).ToList();
    var widened = ups.Count(x => x.d.Upper > 1.15 * x.d.CurrentLoad && x.d.Upper > 1.15 * x.d.Forecast);
    var undone = ups.Count(x => span.Skip(x.i + 1).Take(6 * perMinute).Any(d => d.Desired < d.CurrentReplicas));
    Console.WriteLine($"{name,-12} {(to - from) / 1440.0:F2} days: shoal ups {ups.Count} ({widened} on a widened upper end, {undone} undone within 6 min), downs {span.Count(d => d.Desired < d.CurrentReplicas)}, mean count {span.Average(d => d.Desired):F1}; hpa-70% changes {Changes(Span(hpa, from, to))}");
}

if (ticks is { } t)
{
    Console.WriteLine("minute   load forecast  upper needed desired current reason | hpa-70% ready");
    foreach (var (d, i) in decisions.Select((d, i) => (d, i)).Skip((at + t.From) * perMinute).Take(t.Count * perMinute))
    {
        var minute = i / perMinute;
        Console.WriteLine($"{minute,6} {d.CurrentLoad,6:F0} {d.Forecast,8:F0} {d.Upper,6:F0} {d.Recommended,6} {d.Desired,7} {d.CurrentReplicas,7} {d.Reason} | {hpa.Timeline[minute].Ready}");
    }
}

if (hours is { } hs)
{
    Console.WriteLine("hour    load forecast/load upper/load shoal ready hpa-70% ready shoal changes shoal late hpa late");
    for (var hour = hs.From; hour < hs.From + hs.Count; hour++)
    {
        var from = at + (hour * 60);
        var span = decisions.Skip(from * perMinute).Take(60 * perMinute).ToList();
        if (from < 0 || span.Count == 0)
        {
            continue;
        }

        var (s, h) = (Span(shoal, from, from + 60), Span(hpa, from, from + 60));
        Console.WriteLine($"{hour,4} {span.Average(d => d.CurrentLoad),7:F0} {span.Average(d => d.Forecast / Math.Max(1, d.CurrentLoad)),13:F2} {span.Average(d => (d.Upper ?? 0) / Math.Max(1, d.CurrentLoad)),10:F2} {s.Average(p => p.Ready),11:F1} {h.Average(p => p.Ready),13:F1} {span.Count(d => d.Desired != d.CurrentReplicas),13} {s.Sum(Late),10:F0} {h.Sum(Late),8:F0}");
    }
}

if (frontier)
{
    var result = FrontierComparison.Run(trace, simulation, FrontierComparison.ShoalSweep(trace, simulation));
    Console.WriteLine($"frontier ratio {result.FrontierRatio:F3}, flapping {result.FlappingRatio:F2}");
    foreach (var r in result.ShoalSweep)
    {
        Console.WriteLine($"  shoal {r.Knob,5} nines: {r.ReplicaMinutes,7:F0} replica-minutes, {r.UnservedRequests,8:F0} late, {r.ScaleEvents} events");
    }

    foreach (var point in result.CostPoints)
    {
        Console.WriteLine($"  at hpa-{point.Target:P0}'s cost ({point.ReplicaMinutes:F0}): hpa {point.Hpa:F0} late, shoal {point.Shoal:F0}");
    }
}

return 0;

TimelinePoint[] Span(SimulationReport report, int from, int to) => [.. report.Timeline.Skip(from).Take(to - from)];

double Late(TimelinePoint p) => Math.Max(0, p.Load - (p.Ready * capacity)) * 60;

static int Changes(TimelinePoint[] points) => points.Zip(points.Skip(1)).Count(z => z.First.Desired != z.Second.Desired);

/// <summary>Passes decisions through and keeps them.</summary>
sealed class Recording(IScalingPolicy inner, List<ScalingDecision> decisions) : IScalingPolicy
{
    public string Name => inner.Name;

    public ScalingDecision Decide(ScalingInput input)
    {
        var decision = inner.Decide(input);
        decisions.Add(decision);
        return decision;
    }
}

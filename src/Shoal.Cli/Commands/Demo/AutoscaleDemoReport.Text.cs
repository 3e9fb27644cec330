using System.Globalization;
using System.Text;

namespace Shoal.Cli.Commands.Demo;

/// <summary>The report for people: the figures, a terminal chart, the HPA comparison.</summary>
internal sealed partial record AutoscaleDemoReport
{
    private const int ChartWidth = 72;
    private const int ChartHeight = 14;

    /// <summary>The final report as text.</summary>
    public string ToText()
    {
        var text = new StringBuilder();
        var inv = CultureInfo.InvariantCulture;
        text.AppendLine()
            .AppendLine(inv, $"Calls made:    {Calls}")
            .AppendLine(inv, $"FAILED CALLS:  {Failed}{(Failed == 0 ? "" : "   <-- " + string.Join("; ", Failures))}")
            .AppendLine(inv, $"Latency:       p50 {P50Ms:0.0} ms, p99 {P99Ms:0.0} ms (from when each call was due; includes queueing)")
            .AppendLine(inv, $"Scale-outs:    {ScaleOuts}   scale-ins: {ScaleIns} (each by drain)   restarts after a crash: {Restarts}")
            .AppendLine(inv, $"SIGKILL:       {(KilledPid == 0 ? "none" : $"pid {KilledPid}")}; instance processes started: {Processes.Count}, still running: {ProcessesLeft.Count}");
        var led = Events.FirstOrDefault(e => e.Kind == "scale-out" && e.Forecast > e.Load);
        if (led is not null)
        {
            text.AppendLine(inv, $"Forecast-led:  at {led.T:0.0}s the forecast ({led.Forecast:0}/s) was above the load ({led.Load:0}/s): {led.From}->{led.To} before the load arrived");
        }
        text.AppendLine().AppendLine(Chart());
        text.AppendLine("Cost and overload on the recorded load (replica-minutes of demo time; overloaded = load above ready capacity):");
        text.AppendLine(inv, $"  {"policy",-24} {"replica-min",11} {"overloaded",10} {"late calls",10} {"scale events",12}");
        foreach (var outcome in Comparison)
        {
            text.AppendLine(inv, $"  {outcome.Policy,-24} {outcome.ReplicaMinutes,11:0.00} {outcome.OverloadedIntervals,10} {outcome.UnservedRequests,10:0} {outcome.ScaleEvents,12}");
        }
        text.AppendLine("  (HPA: desired = ceil(replicas x utilisation / target), 10% tolerance, its sync period and windows compressed like the demo's time;");
        text.AppendLine("   swept over targets 40%..100% and read at the simulated Shoal's replica-minutes, so the two rows below the measured one cost the same.)");
        if (Html is not null)
        {
            text.AppendLine().AppendLine(inv, $"Chart: {Html}");
        }
        text.AppendLine().AppendLine(Failed == 0
            ? $"All {Calls} calls succeeded: scaled out, scaled in, survived a SIGKILL."
            : $"{Failed} of {Calls} calls FAILED.");
        return text.ToString();
    }

    /// <summary>Load (*), forecast (o) and ready capacity (#: replicas x capacity) over time, in plain text.</summary>
    public string Chart()
    {
        if (Timeline.Count == 0)
        {
            return "(no timeline)";
        }
        var columns = Math.Min(ChartWidth, Timeline.Count);
        var top = Math.Max(1, Timeline.Max(p => Math.Max(Math.Max(p.Load, p.Forecast ?? 0), p.Replicas * CapacityPerInstance)));
        var grid = new char[ChartHeight, columns];
        for (var c = 0; c < columns; c++)
        {
            var point = Timeline[c * Timeline.Count / columns];
            var capacityRow = Row(point.Replicas * CapacityPerInstance, top);
            var loadRow = Row(point.Load, top);
            var forecastRow = point.Forecast is { } f ? Row(f, top) : -1;
            for (var r = 0; r < ChartHeight; r++)
            {
                grid[r, c] = r == loadRow ? '*' : r == forecastRow ? 'o' : r >= capacityRow ? '#' : ' ';
            }
        }
        var text = new StringBuilder();
        var inv = CultureInfo.InvariantCulture;
        text.AppendLine("calls/s   * load   o forecast   # capacity (replicas x " + CapacityPerInstance.ToString("0", inv) + "/s)");
        for (var r = 0; r < ChartHeight; r++)
        {
            var label = r % 3 == 0 ? (top * (ChartHeight - r) / ChartHeight).ToString("0", inv) : "";
            text.Append(label.PadLeft(7)).Append(" |");
            for (var c = 0; c < columns; c++)
            {
                text.Append(grid[r, c]);
            }
            text.AppendLine();
        }
        text.Append("        +").Append(new string('-', columns)).AppendLine();
        text.AppendLine(inv, $"         0s{new string(' ', Math.Max(1, columns - 12))}{Timeline[^1].T:0}s");
        return text.ToString();
    }

    private static int Row(double value, double top)
    {
        var level = (int)Math.Round(value / top * ChartHeight);
        return Math.Clamp(ChartHeight - level, 0, ChartHeight);
    }
}

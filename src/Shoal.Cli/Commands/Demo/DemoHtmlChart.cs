using System.Globalization;
using System.Net;
using System.Text;

namespace Shoal.Cli.Commands.Demo;

/// <summary>
/// The demo's chart as one self-contained HTML file (inline SVG, no scripts, no external files): three panels
/// over the same time axis — the load with the forecast band and the capacity asked for, the replicas, and
/// the p99 latency.
/// </summary>
internal static class DemoHtmlChart
{
    private const double Width = 960;
    private const double Left = 70;
    private const double Right = 20;
    private const double PanelHeight = 220;
    private const double Gap = 60;
    private const double Top = 30;
    private const string Style = "body{font-family:sans-serif;margin:2em}td,th{padding:2px 10px;text-align:right}td:first-child,th:first-child{text-align:left}";
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    /// <summary>Writes the chart to <paramref name="path"/>.</summary>
    public static async Task WriteAsync(AutoscaleDemoReport report, string path, CancellationToken cancellationToken)
    {
        var directory = Path.GetDirectoryName(Path.GetFullPath(path));
        if (!string.IsNullOrEmpty(directory))
        {
            Directory.CreateDirectory(directory);
        }
        await File.WriteAllTextAsync(path, Render(report), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The HTML document.</summary>
    public static string Render(AutoscaleDemoReport report)
    {
        var points = report.Timeline;
        var maxT = Math.Max(1, points.Count == 0 ? 1 : points[^1].T);
        var svg = new StringBuilder();
        var height = Top + (3 * PanelHeight) + (3 * Gap);
        svg.Append(Inv, $"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{Width}\" height=\"{height}\" font-family=\"sans-serif\" font-size=\"12\">");

        var cap = report.CapacityPerInstance;
        var callsTop = Nice(points.Count == 0 ? 1 : points.Max(p => Math.Max(Math.Max(p.Load, p.Upper ?? 0), p.Replicas * cap)));
        var calls = new Panel(Top, callsTop, maxT);
        calls.Axes(svg, "calls per second", "calls/s: load, forecast band (forecast to its upper quantile) and capacity asked for");
        // The band: from the forecast up to the quantile provisioned for, where the policy had a signal.
        foreach (var run in Runs(points, p => p.Forecast is not null && p.Upper is not null))
        {
            var upper = run.Select(p => $"{calls.X(p.T):0.#},{calls.Y(p.Upper!.Value):0.#}");
            var lower = run.AsEnumerable().Reverse().Select(p => $"{calls.X(p.T):0.#},{calls.Y(p.Forecast!.Value):0.#}");
            svg.Append(Inv, $"<polygon points=\"{string.Join(' ', upper.Concat(lower))}\" fill=\"#e08a00\" fill-opacity=\"0.25\" stroke=\"none\"/>");
            svg.Append(Inv, $"<polyline points=\"{string.Join(' ', run.Select(p => $"{calls.X(p.T):0.#},{calls.Y(p.Forecast!.Value):0.#}"))}\" fill=\"none\" stroke=\"#e08a00\" stroke-width=\"1.5\" stroke-dasharray=\"5,3\"/>");
        }
        svg.Append(Inv, $"<polyline points=\"{calls.Steps(points, p => p.Replicas * cap, report.IntervalSeconds)}\" fill=\"none\" stroke=\"#2a9d4b\" stroke-width=\"2\"/>");
        svg.Append(Inv, $"<polyline points=\"{calls.Line(points, p => p.Load)}\" fill=\"none\" stroke=\"#1f5fbf\" stroke-width=\"2\"/>");
        calls.Legend(svg, [("#1f5fbf", "load offered (client)"), ("#e08a00", "forecast and its band"), ("#2a9d4b", FormattableString.Invariant($"capacity asked for = replicas x {cap:0}/s"))]);

        var replicasTop = Nice(points.Count == 0 ? 1 : points.Max(p => Math.Max(p.Replicas, p.Ready)));
        var replicas = new Panel(Top + PanelHeight + Gap, replicasTop, maxT);
        replicas.Axes(svg, "replicas", "replicas: asked for, and registered (ready)");
        svg.Append(Inv, $"<polyline points=\"{replicas.Steps(points, p => p.Replicas, report.IntervalSeconds)}\" fill=\"none\" stroke=\"#2a9d4b\" stroke-width=\"2\"/>");
        svg.Append(Inv, $"<polyline points=\"{replicas.Steps(points, p => p.Ready, report.IntervalSeconds)}\" fill=\"none\" stroke=\"#555\" stroke-width=\"1.5\" stroke-dasharray=\"3,2\"/>");
        replicas.Legend(svg, [("#2a9d4b", "asked for"), ("#555", "ready")]);

        var latencyTop = Nice(points.Count == 0 ? 1 : points.Max(p => p.P99Ms));
        var latency = new Panel(Top + (2 * (PanelHeight + Gap)), latencyTop, maxT);
        latency.Axes(svg, "p99 latency (ms)", "p99 latency of the calls of each interval, from when each call was due (includes queueing)");
        svg.Append(Inv, $"<polyline points=\"{latency.Line(points, p => p.P99Ms)}\" fill=\"none\" stroke=\"#8a2be2\" stroke-width=\"1.5\"/>");

        foreach (var e in report.Events.Where(e => e.Kind == "sigkill"))
        {
            foreach (var panel in new[] { calls, replicas, latency })
            {
                svg.Append(Inv, $"<line x1=\"{panel.X(e.T):0.#}\" x2=\"{panel.X(e.T):0.#}\" y1=\"{panel.Y(panel.Max):0.#}\" y2=\"{panel.Y(0):0.#}\" stroke=\"#c00\" stroke-dasharray=\"2,2\"/>");
            }

            svg.Append(Inv, $"<text x=\"{calls.X(e.T) + 4:0.#}\" y=\"{calls.Y(calls.Max) + 12:0.#}\" fill=\"#c00\">SIGKILL</text>");
        }

        svg.Append("</svg>");
        var rows = new StringBuilder();
        foreach (var o in report.Comparison)
        {
            rows.Append(Inv, $"<tr><td>{WebUtility.HtmlEncode(o.Policy)}</td><td>{o.ReplicaMinutes:0.00}</td><td>{o.OverloadedIntervals}</td><td>{o.UnservedRequests:0}</td><td>{o.ScaleEvents}</td></tr>");
        }
        return string.Create(Inv, $"""
            <!DOCTYPE html>
            <html><head><meta charset="utf-8"><title>Shoal autoscaling demo</title>
            <style>{Style}</style></head>
            <body><h1>Shoal autoscaling demo</h1>
            <p>{WebUtility.HtmlEncode(report.Trace)}, compressed into {report.DurationSeconds:0} s; each instance serves {report.CapacityPerInstance:0} calls/s; the policy plans {report.LeadTimeSeconds:0} s ahead.</p>
            <p><b>{report.Calls}</b> calls, <b>{report.Failed} failed</b>, p99 {report.P99Ms:0.0} ms, {report.ScaleOuts} scale-outs, {report.ScaleIns} scale-ins, {report.Restarts} restart(s) after a SIGKILL.</p>
            {svg}
            <h2>Same load, the same cost: Shoal's policy and the HPA (simulated)</h2>
            <table><tr><th>policy</th><th>replica-minutes</th><th>overloaded intervals</th><th>late calls</th><th>scale events</th></tr>{rows}</table>
            </body></html>
            """);
    }

    /// <summary>The stretches of consecutive points that satisfy <paramref name="keep"/> (a band is drawn per stretch).</summary>
    private static IEnumerable<List<DemoTimelinePoint>> Runs(IReadOnlyList<DemoTimelinePoint> points, Func<DemoTimelinePoint, bool> keep)
    {
        var run = new List<DemoTimelinePoint>();
        foreach (var p in points)
        {
            if (keep(p))
            {
                run.Add(p);
                continue;
            }

            if (run.Count > 0)
            {
                yield return run;
                run = [];
            }
        }

        if (run.Count > 0)
        {
            yield return run;
        }
    }

    /// <summary>A round upper bound for an axis: 1, 2 or 5 times a power of ten, at least the value.</summary>
    private static double Nice(double value)
    {
        if (!(value > 0))
        {
            return 1;
        }

        var power = Math.Pow(10, Math.Floor(Math.Log10(value)));
        foreach (var step in new[] { 1.0, 2, 5, 10 })
        {
            if (step * power >= value)
            {
                return step * power;
            }
        }

        return 10 * power;
    }

    /// <summary>One panel: its vertical place, its value range and the shared time range.</summary>
    private sealed class Panel(double top, double max, double maxT)
    {
        public double Max => max;

        public double X(double t) => Left + (Math.Clamp(t, 0, maxT) / maxT * (Width - Left - Right));

        public double Y(double v) => top + PanelHeight - (Math.Clamp(v, 0, max) / max * PanelHeight);

        public string Line(IEnumerable<DemoTimelinePoint> points, Func<DemoTimelinePoint, double> value) =>
            string.Join(' ', points.Select(p => string.Create(Inv, $"{X(p.T):0.#},{Y(value(p)):0.#}")));

        public string Steps(IReadOnlyList<DemoTimelinePoint> points, Func<DemoTimelinePoint, double> value, double interval)
        {
            var b = new StringBuilder();
            foreach (var p in points)
            {
                b.Append(Inv, $"{X(p.T - interval):0.#},{Y(value(p)):0.#} {X(p.T):0.#},{Y(value(p)):0.#} ");
            }

            return b.ToString().TrimEnd();
        }

        public void Axes(StringBuilder svg, string yLabel, string title)
        {
            svg.Append(Inv, $"<text x=\"{Left}\" y=\"{top - 10:0.#}\" font-weight=\"bold\">{WebUtility.HtmlEncode(title)}</text>");
            for (var i = 0; i <= 4; i++)
            {
                var v = max * i / 4;
                svg.Append(Inv, $"<line x1=\"{Left}\" x2=\"{Width - Right}\" y1=\"{Y(v):0.#}\" y2=\"{Y(v):0.#}\" stroke=\"#eee\"/>")
                   .Append(Inv, $"<text x=\"{Left - 6}\" y=\"{Y(v) + 4:0.#}\" text-anchor=\"end\">{v:0.##}</text>");
            }

            for (var i = 0; i <= 6; i++)
            {
                var t = maxT * i / 6;
                svg.Append(Inv, $"<text x=\"{X(t):0.#}\" y=\"{top + PanelHeight + 16:0.#}\" text-anchor=\"middle\">{t:0}</text>");
            }

            svg.Append(Inv, $"<line x1=\"{Left}\" x2=\"{Width - Right}\" y1=\"{Y(0):0.#}\" y2=\"{Y(0):0.#}\" stroke=\"#333\"/>")
               .Append(Inv, $"<line x1=\"{Left}\" x2=\"{Left}\" y1=\"{Y(max):0.#}\" y2=\"{Y(0):0.#}\" stroke=\"#333\"/>")
               .Append(Inv, $"<text x=\"{(Left + Width - Right) / 2:0.#}\" y=\"{top + PanelHeight + 32:0.#}\" text-anchor=\"middle\">time since the load started (s)</text>")
               .Append(Inv, $"<text transform=\"translate(16,{top + (PanelHeight / 2):0.#}) rotate(-90)\" text-anchor=\"middle\">{WebUtility.HtmlEncode(yLabel)}</text>");
        }

        public void Legend(StringBuilder svg, IReadOnlyList<(string Colour, string Text)> entries)
        {
            var x = Left + 10;
            foreach (var (colour, text) in entries)
            {
                svg.Append(Inv, $"<rect x=\"{x:0.#}\" y=\"{top + 6:0.#}\" width=\"14\" height=\"4\" fill=\"{colour}\"/>")
                   .Append(Inv, $"<text x=\"{x + 18:0.#}\" y=\"{top + 12:0.#}\">{WebUtility.HtmlEncode(text)}</text>");
                x += 30 + (text.Length * 6.5);
            }
        }
    }
}

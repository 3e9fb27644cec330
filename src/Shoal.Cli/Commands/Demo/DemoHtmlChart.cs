using System.Globalization;
using System.Net;
using System.Text;

namespace Shoal.Cli.Commands.Demo;

/// <summary>The demo's chart as one self-contained HTML file with an inline SVG (no scripts, no external files).</summary>
internal static class DemoHtmlChart
{
    private const double Width = 960;
    private const double Height = 380;
    private const double Left = 60;
    private const double Right = 20;
    private const double TopMargin = 20;
    private const double Bottom = 40;
    private const string Style = "body{font-family:sans-serif;margin:2em}td,th{padding:2px 10px;text-align:right}td:first-child,th:first-child{text-align:left}";

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
        var inv = CultureInfo.InvariantCulture;
        var points = report.Timeline;
        var maxT = Math.Max(1, points.Count == 0 ? 1 : points[^1].T);
        var top = Math.Max(1, points.Count == 0 ? 1 : points.Max(p => Math.Max(Math.Max(p.Load, p.Forecast), p.Replicas * report.CapacityPerInstance))) * 1.1;
        double X(double t) => Left + (t / maxT * (Width - Left - Right));
        double Y(double v) => Height - Bottom - (v / top * (Height - TopMargin - Bottom));
        string Line(Func<DemoTimelinePoint, double> value) =>
            string.Join(" ", points.Select(p => string.Create(inv, $"{X(p.T):0.#},{Y(value(p)):0.#}")));

        var capacity = new StringBuilder();
        var previous = 0.0;
        foreach (var p in points)
        {
            var level = p.Replicas * report.CapacityPerInstance;
            capacity.Append(inv, $"{X(p.T - report.IntervalSeconds):0.#},{Y(previous):0.#} {X(p.T - report.IntervalSeconds):0.#},{Y(level):0.#} {X(p.T):0.#},{Y(level):0.#} ");
            previous = level;
        }

        var svg = new StringBuilder();
        svg.Append(inv, $"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{Width}\" height=\"{Height}\" font-family=\"sans-serif\" font-size=\"12\">");
        for (var i = 0; i <= 5; i++)
        {
            var v = top * i / 5;
            svg.Append(inv, $"<line x1=\"{Left}\" x2=\"{Width - Right}\" y1=\"{Y(v):0.#}\" y2=\"{Y(v):0.#}\" stroke=\"#eee\"/>")
               .Append(inv, $"<text x=\"{Left - 6}\" y=\"{Y(v) + 4:0.#}\" text-anchor=\"end\">{v:0}</text>");
        }
        svg.Append(inv, $"<polyline points=\"{capacity}\" fill=\"none\" stroke=\"#2a9d4b\" stroke-width=\"2\"/>")
           .Append(inv, $"<polyline points=\"{Line(p => p.Forecast)}\" fill=\"none\" stroke=\"#e08a00\" stroke-width=\"1.5\" stroke-dasharray=\"5,3\"/>")
           .Append(inv, $"<polyline points=\"{Line(p => p.Load)}\" fill=\"none\" stroke=\"#1f5fbf\" stroke-width=\"2\"/>");
        foreach (var e in report.Events.Where(e => e.Kind == "sigkill"))
        {
            svg.Append(inv, $"<line x1=\"{X(e.T):0.#}\" x2=\"{X(e.T):0.#}\" y1=\"{TopMargin}\" y2=\"{Height - Bottom}\" stroke=\"#c00\" stroke-dasharray=\"2,2\"/>")
               .Append(inv, $"<text x=\"{X(e.T) + 4:0.#}\" y=\"{TopMargin + 12}\" fill=\"#c00\">SIGKILL</text>");
        }
        svg.Append(inv, $"<line x1=\"{Left}\" x2=\"{Width - Right}\" y1=\"{Height - Bottom}\" y2=\"{Height - Bottom}\" stroke=\"#333\"/>")
           .Append(inv, $"<text x=\"{Left}\" y=\"{Height - Bottom + 18}\">0 s</text>")
           .Append(inv, $"<text x=\"{Width - Right}\" y=\"{Height - Bottom + 18}\" text-anchor=\"end\">{maxT:0} s</text>")
           .Append(inv, $"<text x=\"{Left + 10}\" y=\"{Height - 6}\"><tspan fill=\"#1f5fbf\">&#9644; load (calls/s)</tspan>   <tspan fill=\"#e08a00\">&#9644; forecast</tspan>   <tspan fill=\"#2a9d4b\">&#9644; capacity = replicas x {report.CapacityPerInstance:0}/s</tspan></text>")
           .Append("</svg>");

        var rows = new StringBuilder();
        foreach (var o in report.Comparison)
        {
            rows.Append(inv, $"<tr><td>{WebUtility.HtmlEncode(o.Policy)}</td><td>{o.ReplicaMinutes:0.00}</td><td>{o.OverloadedIntervals}</td><td>{o.UnservedRequests:0}</td><td>{o.ScaleEvents}</td></tr>");
        }
        return string.Create(inv, $"""
            <!DOCTYPE html>
            <html><head><meta charset="utf-8"><title>Shoal autoscaling demo</title>
            <style>{Style}</style></head>
            <body><h1>Shoal autoscaling demo</h1>
            <p>{WebUtility.HtmlEncode(report.Trace)}, compressed into {report.DurationSeconds:0} s; each instance serves {report.CapacityPerInstance:0} calls/s.</p>
            <p><b>{report.Calls}</b> calls, <b>{report.Failed} failed</b>, p99 {report.P99Ms:0.0} ms, {report.ScaleOuts} scale-outs, {report.ScaleIns} scale-ins, {report.Restarts} restart(s) after a SIGKILL.</p>
            {svg}
            <h2>Same load, other policies (simulated)</h2>
            <table><tr><th>policy</th><th>replica-minutes</th><th>overloaded intervals</th><th>late calls</th><th>scale events</th></tr>{rows}</table>
            </body></html>
            """);
    }
}

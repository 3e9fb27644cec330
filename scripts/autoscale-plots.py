#!/usr/bin/env python3
"""Frontier plots of the autoscaling evaluation: one SVG per family, one panel per trace.

    dotnet run --file scripts/autoscale-corpus.cs -c Release -- --split test --json results.json
    python3 scripts/autoscale-plots.py results.json docs/autoscaling-plots

Each panel plots late requests (unserved_requests, log scale: log10(1 + late)) against cost
(replica-minutes as a multiple of HPA-70%'s) for Shoal's knob sweep, the HPA's and the seasonal-naive
baseline's target sweeps, each drawn through its Pareto points. Dotted verticals are the four comparison
costs (HPA-50/60/70/80%); the ring is Shoal at its default knob. Standard library only (writes SVG), so it
runs anywhere the corpus script does.
"""
import json
import math
import os
import sys
from collections import defaultdict

W, H = 300, 220
LEFT, RIGHT, TOP, BOTTOM = 48, 10, 26, 36
COLOURS = {"shoal": "#1f77b4", "hpa": "#d62728", "seasonal-naive": "#7f7f7f"}


def pareto(points):
    """The points no other point beats on both cost and late requests, cheapest first."""
    best = math.inf
    kept = []
    for cost, late in sorted(points):
        if late < best:
            kept.append((cost, late))
            best = late
    return kept


def panel(result, x0, y0):
    hpa = result["hpa"]
    unit = next(r["replica_minutes"] for r in hpa if abs(r["target"] - 0.7) < 1e-9)
    series = {
        "shoal": [(r["replica_minutes"] / unit, r["unserved_requests"]) for r in result["shoal_sweep"]],
        "hpa": [(r["replica_minutes"] / unit, r["unserved_requests"]) for r in hpa],
        "seasonal-naive": [(r["replica_minutes"] / unit, r["unserved_requests"]) for r in result["seasonal_naive"]],
    }
    costs = [r["replica_minutes"] / unit for r in hpa if r["target"] in (0.5, 0.6, 0.7, 0.8)]
    xmin, xmax = 0.7, 1.6
    ymax = max(1.0, max(math.log10(1 + late) for s in series.values() for _, late in s))
    pw, ph = W - LEFT - RIGHT, H - TOP - BOTTOM

    def sx(x):
        return x0 + LEFT + (min(max(x, xmin), xmax) - xmin) / (xmax - xmin) * pw

    def sy(late):
        return y0 + TOP + ph - math.log10(1 + late) / ymax * ph

    out = [f'<rect x="{x0 + LEFT}" y="{y0 + TOP}" width="{pw}" height="{ph}" fill="none" stroke="#999"/>']
    ratio = result.get("frontier_ratio")
    flap = result.get("flapping_ratio")
    title = f'{result["trace"]}: frontier {"undef" if ratio is None else f"{ratio:.2f}"}, flapping {"undef" if flap is None else f"{flap:.2f}"}'
    out.append(f'<text x="{x0 + LEFT}" y="{y0 + 16}" font-size="11">{title}</text>')
    for c in costs:
        out.append(f'<line x1="{sx(c):.1f}" x2="{sx(c):.1f}" y1="{y0 + TOP}" y2="{y0 + TOP + ph}" stroke="#bbb" stroke-dasharray="2,3"/>')
    for tick in (0.8, 1.0, 1.2, 1.4):
        out.append(f'<text x="{sx(tick):.1f}" y="{y0 + TOP + ph + 12}" font-size="9" text-anchor="middle">{tick:.1f}</text>')
    for e in range(0, int(ymax) + 1, max(1, int(ymax) // 4 or 1)):
        y = y0 + TOP + ph - e / ymax * ph
        out.append(f'<text x="{x0 + LEFT - 4}" y="{y + 3:.1f}" font-size="9" text-anchor="end">1e{e}</text>')
    out.append(f'<text x="{x0 + LEFT + pw / 2}" y="{y0 + H - 4}" font-size="9" text-anchor="middle">cost (replica-minutes / HPA-70%\'s)</text>')
    out.append(f'<text x="{x0 + 10}" y="{y0 + TOP + ph / 2}" font-size="9" text-anchor="middle" transform="rotate(-90 {x0 + 10} {y0 + TOP + ph / 2})">1 + late requests (log)</text>')
    for name, points in series.items():
        front = [(x, late) for x, late in pareto(points) if xmin <= x <= xmax]
        if front:
            path = " ".join(f"{sx(x):.1f},{sy(late):.1f}" for x, late in front)
            out.append(f'<polyline points="{path}" fill="none" stroke="{COLOURS[name]}" stroke-width="1.5"/>')
        for x, late in points:
            if xmin <= x <= xmax:
                out.append(f'<circle cx="{sx(x):.1f}" cy="{sy(late):.1f}" r="1.8" fill="{COLOURS[name]}"/>')
    default = result["shoal"]
    out.append(f'<circle cx="{sx(default["replica_minutes"] / unit):.1f}" cy="{sy(default["unserved_requests"]):.1f}" r="4.5" fill="none" stroke="{COLOURS["shoal"]}" stroke-width="1.5"/>')
    return out


def main():
    if len(sys.argv) != 3:
        print("usage: autoscale-plots.py RESULTS.json OUTPUT_DIR", file=sys.stderr)
        return 2
    with open(sys.argv[1], encoding="utf-8") as f:
        results = json.load(f)
    families = defaultdict(list)
    for item in results:
        families[item["family"]].append(item["result"])
    os.makedirs(sys.argv[2], exist_ok=True)
    for family, items in sorted(families.items()):
        columns = min(3, len(items))
        rows = math.ceil(len(items) / columns)
        width, height = columns * W, rows * H + 24
        body = [f'<text x="8" y="16" font-size="12">{family}: '
                f'<tspan fill="{COLOURS["shoal"]}">shoal (knob sweep; ring = default)</tspan>, '
                f'<tspan fill="{COLOURS["hpa"]}">hpa (40%..90%)</tspan>, '
                f'<tspan fill="{COLOURS["seasonal-naive"]}">seasonal-naive</tspan>; dotted: HPA-50/60/70/80% costs</text>']
        for i, result in enumerate(items):
            body.extend(panel(result, (i % columns) * W, 24 + (i // columns) * H))
        path = os.path.join(sys.argv[2], f"{family}.svg")
        with open(path, "w", encoding="utf-8") as f:
            f.write(f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" font-family="sans-serif">'
                    f'<rect width="100%" height="100%" fill="white"/>{"".join(body)}</svg>\n')
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())

#!/usr/bin/env python3
"""Plots target/bench/pipeline.csv (from `cargo bench --bench pipeline`) as an SVG:
time of each phase against the number of tasks, log-log, with a dotted line of slope 1
(linear growth) through the first load+validate point. Standard library only.

Usage: scripts/plot-performance.py [CSV] [SVG]
   default: target/bench/pipeline.csv docs/performance.svg
"""
import csv
import math
import sys

src = sys.argv[1] if len(sys.argv) > 1 else "target/bench/pipeline.csv"
out = sys.argv[2] if len(sys.argv) > 2 else "docs/performance.svg"
rows = list(csv.DictReader(open(src)))
series = [
    ("load_validate_ms", "load + validate", "#3d6fb6"),
    ("schedule_ms", "schedule", "#c62828"),
    ("plan_ms", "plan (schedule + critical path + window)", "#b86e00"),
    ("plan_json_ms", "plan JSON render", "#1b7f3b"),
    ("report_ms", "report (plan + gates + decision)", "#6a3d9a"),
]
xs = [float(r["tasks"]) for r in rows]
values = [float(r[k]) for r in rows for k, _, _ in series if float(r[k]) > 0]
W, H, L, B, T, R = 720, 420, 70, 50, 20, 250
x0, x1 = math.log10(min(xs)), math.log10(max(xs))
y0, y1 = math.floor(math.log10(min(values))), math.ceil(math.log10(max(values)))
def px(x):
    return L + (math.log10(x) - x0) / max(x1 - x0, 1e-9) * (W - L - R)
def py(y):
    return H - B - (math.log10(max(y, 1e-9)) - y0) / max(y1 - y0, 1e-9) * (H - B - T)
svg = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {W} {H}" font-family="sans-serif" font-size="11">',
       f'<rect width="{W}" height="{H}" fill="white"/>']
for e in range(int(y0), int(y1) + 1):
    y = py(10 ** e)
    svg.append(f'<line x1="{L}" x2="{W-R}" y1="{y:.1f}" y2="{y:.1f}" stroke="#eee"/>')
    svg.append(f'<text x="{L-6}" y="{y+4:.1f}" text-anchor="end">{10**e:g} ms</text>')
for x in xs:
    svg.append(f'<line x1="{px(x):.1f}" x2="{px(x):.1f}" y1="{T}" y2="{H-B}" stroke="#eee"/>')
    svg.append(f'<text x="{px(x):.1f}" y="{H-B+16}" text-anchor="middle">{int(x):,}</text>')
svg.append(f'<text x="{(L+W-R)/2:.0f}" y="{H-10}" text-anchor="middle">tasks (log scale)</text>')
base = float(rows[0]["load_validate_ms"])
svg.append(f'<line x1="{px(xs[0]):.1f}" y1="{py(base):.1f}" x2="{px(xs[-1]):.1f}" y2="{py(base*xs[-1]/xs[0]):.1f}" stroke="#999" stroke-dasharray="2 3"/>')
for i, (key, label, colour) in enumerate(series):
    pts = [(px(float(r["tasks"])), py(float(r[key]))) for r in rows if float(r[key]) > 0]
    svg.append('<polyline fill="none" stroke="%s" stroke-width="2" points="%s"/>' % (colour, " ".join(f"{x:.1f},{y:.1f}" for x, y in pts)))
    for x, y in pts:
        svg.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3" fill="{colour}"/>')
    ly = T + 10 + i * 18
    svg.append(f'<line x1="{W-R+15}" x2="{W-R+35}" y1="{ly}" y2="{ly}" stroke="{colour}" stroke-width="2"/>')
    svg.append(f'<text x="{W-R+40}" y="{ly+4}">{label}</text>')
ly = T + 10 + len(series) * 18
svg.append(f'<line x1="{W-R+15}" x2="{W-R+35}" y1="{ly}" y2="{ly}" stroke="#999" stroke-dasharray="2 3"/>')
svg.append(f'<text x="{W-R+40}" y="{ly+4}">linear growth</text>')
svg.append("</svg>")
open(out, "w").write("\n".join(svg) + "\n")
print(f"wrote {out}")

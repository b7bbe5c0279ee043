#!/usr/bin/python3
"""Draws the report's charts from the plot data relu_report writes: throughput against size, the StackOverflow shape as bars, the speed-up of two threads.

Usage: /usr/bin/python3 scripts/plot.py PLOT_DATA.json OUT_DIR

Every library keeps one colour in every chart (COLOURS); intervals are drawn
as error bars. Call it with Debian's /usr/bin/python3, which has
python3-matplotlib. Exits 1 with one line on stderr when matplotlib is
missing or the data is malformed, so relu_report can say why in the report
and carry on without plots.
"""
import json
import os
import sys

# One colour per library, the same in every chart.
COLOURS = {
    "scalar": "#1f77b4", "eigen": "#2ca02c", "highway": "#d62728",
    "xnnpack": "#9467bd", "onednn": "#8c564b", "numpy": "#ff7f0e",
    "numba": "#17becf", "torch": "#e377c2", "copy": "0.35",
    "libc": "0.35",
}
OURS = {"scalar", "eigen", "highway"}


def bytes_label(value, _pos=None):
    for unit, size in (("GiB", 1 << 30), ("MiB", 1 << 20), ("KiB", 1 << 10)):
        if value >= size:
            return f"{value / size:g} {unit}"
    return f"{value:g} B"


def colour(form):
    return COLOURS.get(form, "0.5")


def errorbar(ax, points, **kw):
    xs = [p[0] for p in points]
    ys = [p[1] for p in points]
    lo = [max(0.0, p[1] - p[2]) for p in points]
    hi = [max(0.0, p[3] - p[1]) for p in points]
    ax.errorbar(xs, ys, yerr=[lo, hi], capsize=2, elinewidth=1, **kw)


def cache_lines(ax, chart):
    ymax = ax.get_ylim()[1]
    for line in chart.get("vlines", []):
        ax.axvline(line["x"], color="0.6", linestyle=":", linewidth=1, zorder=0)
        ax.text(line["x"], ymax * 0.98, " " + line["label"], color="0.4",
                fontsize=8, va="top", ha="left")


def finish(fig, ax, chart, out_dir, plt, legend=True):
    ax.set_title(chart["title"], fontsize=10)
    ax.grid(True, which="major", alpha=0.3)
    if legend:
        ax.legend(fontsize=8, loc="upper left", bbox_to_anchor=(1.01, 1.0))
    fig.tight_layout()
    path = os.path.join(out_dir, chart["file"])
    os.makedirs(os.path.dirname(path), exist_ok=True)
    fig.savefig(path)
    plt.close(fig)
    return path


def draw_throughput(chart, out_dir, plt, ticker):
    fig, ax = plt.subplots(figsize=(9.5, 5), dpi=110)
    ceiling = chart.get("ceiling", {})
    if ceiling.get("points"):
        pts = ceiling["points"]
        ax.plot([p[0] for p in pts], [p[1] for p in pts], color="0.35",
                linestyle="--", linewidth=2.5, label=ceiling.get("label", "copy"),
                zorder=1)
    # Ours solid with round markers; peers dotted with squares, so the two
    # groups separate even in greyscale.
    for s in chart["series"]:
        ours = s.get("form") in OURS
        errorbar(ax, s["points"], color=colour(s.get("form")),
                 linestyle="-" if ours else ":", marker="o" if ours else "s",
                 markersize=4, linewidth=1.6, label=s["label"], zorder=2)
    ax.set_xscale("log", base=2)
    ax.xaxis.set_major_formatter(ticker.FuncFormatter(bytes_label))
    ax.set_ylim(bottom=0)
    cache_lines(ax, chart)
    ax.set_xlabel(chart["xlabel"])
    ax.set_ylabel(chart["ylabel"])
    return finish(fig, ax, chart, out_dir, plt)


def draw_bars(chart, out_dir, plt, ticker):
    bars = chart["bars"]
    fig, ax = plt.subplots(figsize=(9.5, 0.45 * len(bars) + 1.5), dpi=110)
    ys = list(range(len(bars)))[::-1]
    for y, b in zip(ys, bars):
        ax.barh(y, b["ms"], color=colour(b.get("form")), height=0.6)
        ax.errorbar(b["ms"], y, xerr=[[b["ms"] - b["lo"]], [b["hi"] - b["ms"]]],
                    color="black", capsize=3, elinewidth=1)
        if "ceiling_ms" in b:
            ax.plot([b["ceiling_ms"]] * 2, [y - 0.35, y + 0.35], color="black",
                    linewidth=2.5)
    ax.set_yticks(ys)
    ax.set_yticklabels([b["label"] for b in bars], fontsize=8)
    ax.set_xlabel(chart["xlabel"])
    ax.set_xlim(left=0)
    return finish(fig, ax, chart, out_dir, plt, legend=False)


def draw_scaling(chart, out_dir, plt, ticker):
    fig, ax = plt.subplots(figsize=(9.5, 5), dpi=110)
    for s in chart["series"]:
        form = s.get("form")
        errorbar(ax, s["points"], color=colour(form),
                 linestyle="--" if form == "copy" else "-", marker="o",
                 markersize=4, linewidth=1.6, label=s["label"])
    ax.axhline(1, color="0.5", linewidth=1)
    ax.axhline(2, color="0.5", linewidth=1, linestyle=":")
    ax.set_xscale("log", base=2)
    ax.xaxis.set_major_formatter(ticker.FuncFormatter(bytes_label))
    cache_lines(ax, chart)
    ax.set_xlabel(chart["xlabel"])
    ax.set_ylabel(chart["ylabel"])
    return finish(fig, ax, chart, out_dir, plt)


DRAW = {"throughput": draw_throughput, "bars": draw_bars, "scaling": draw_scaling}


def main(argv):
    if len(argv) != 3:
        print("usage: plot.py PLOT_DATA.json OUT_DIR", file=sys.stderr)
        return 2
    try:
        import matplotlib
        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
        from matplotlib import ticker
    except ImportError as e:
        print(f"matplotlib is not available to {sys.executable}: {e}", file=sys.stderr)
        return 1
    try:
        with open(argv[1]) as f:
            data = json.load(f)
        charts = data["charts"]
        for chart in charts:
            if chart.get("kind", "throughput") not in DRAW:
                raise ValueError("unknown chart kind %r" % chart.get("kind"))
    except (OSError, ValueError, KeyError, TypeError) as e:
        print(f"cannot read plot data {argv[1]}: {e}", file=sys.stderr)
        return 1
    os.makedirs(argv[2], exist_ok=True)
    for chart in charts:
        try:
            print(DRAW[chart.get("kind", "throughput")](chart, argv[2], plt, ticker))
        except (KeyError, TypeError, ValueError, IndexError) as e:
            print(f"malformed chart {chart.get('file', '?')}: {e}", file=sys.stderr)
            return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))

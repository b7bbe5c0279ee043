#!/usr/bin/python3
"""Draws the report's throughput charts from the plot data relu_report writes.

Usage: /usr/bin/python3 scripts/plot.py PLOT_DATA.json OUT_DIR

Call it with Debian's /usr/bin/python3, which has python3-matplotlib; the
python3 first on PATH may be another interpreter without it. Exits 1 with
one line on stderr when matplotlib is missing or the data is malformed, so
relu_report can say why in the report and carry on without plots.
"""
import json
import os
import sys


def bytes_label(value, _pos=None):
    for unit, size in (("GiB", 1 << 30), ("MiB", 1 << 20), ("KiB", 1 << 10)):
        if value >= size:
            return f"{value / size:g} {unit}"
    return f"{value:g} B"


def draw(chart, out_dir, plt, ticker):
    fig, ax = plt.subplots(figsize=(9.5, 5), dpi=110)
    ceiling = chart.get("ceiling", {})
    if ceiling.get("x"):
        ax.plot(ceiling["x"], ceiling["y"], color="0.35", linestyle="--", linewidth=2.5,
                label=ceiling.get("label", "copy"), zorder=1)
    # Ours solid with round markers; peers dashed with squares, so the two
    # groups separate even in greyscale.
    for series in chart["series"]:
        peer = series.get("peer", False)
        ax.plot(series["x"], series["y"], linestyle=":" if peer else "-",
                marker="s" if peer else "o", markersize=4, linewidth=1.6,
                label=series["label"] + (" (peer)" if peer else ""), zorder=2)
    ymax = ax.get_ylim()[1]
    for line in chart.get("vlines", []):
        ax.axvline(line["x"], color="0.6", linestyle=":", linewidth=1, zorder=0)
        ax.text(line["x"], ymax * 0.98, " " + line["label"], color="0.4", fontsize=8,
                va="top", ha="left")
    ax.set_xscale("log", base=2)
    ax.xaxis.set_major_formatter(ticker.FuncFormatter(bytes_label))
    ax.set_ylim(bottom=0)
    ax.set_xlabel(chart["xlabel"])
    ax.set_ylabel(chart["ylabel"])
    ax.set_title(chart["title"], fontsize=11)
    ax.grid(True, which="major", alpha=0.3)
    # Outside the axes, so it never hides a line or a cache label.
    ax.legend(fontsize=8, loc="upper left", bbox_to_anchor=(1.01, 1.0))
    fig.tight_layout()
    path = os.path.join(out_dir, chart["file"])
    fig.savefig(path)
    plt.close(fig)
    return path


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
    except (OSError, ValueError, KeyError, TypeError) as e:
        print(f"cannot read plot data {argv[1]}: {e}", file=sys.stderr)
        return 1
    os.makedirs(argv[2], exist_ok=True)
    for chart in charts:
        print(draw(chart, argv[2], plt, ticker))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))

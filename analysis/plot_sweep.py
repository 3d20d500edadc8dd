"""Figures from a Civitas sweep or comparison file: `python3 analysis/plot_sweep.py FILE OUTDIR [METRIC ...]`.

For each metric (default: a few headline ones that the file has) three figures, each titled, with the
metric's unit on its axis and the grid's keys in its legend or axis labels:
- METRIC-time.png: the metric over time per grid point (mean across replicates with a 95% band); up to four
  points share one axes, more get one panel each (small multiples on a common scale);
- METRIC-final.png: the end-of-run value (the mean over the run's trailing window, as `civitas compare`
  summarises a run) per grid point with its 95% interval, on a numeric axis for one numeric key, as a
  heatmap of means for two keys;
- METRIC-paired.png: the paired difference of every point against the first (replicate r of each point
  shares a seed) with its 95% interval, points flagged where significant after Holm's correction across the
  metrics plotted.
Bands and intervals are clipped to a metric's bounds (0..1 for shares, Gini coefficients and rates; 0 and
up for counts and amounts that cannot be negative), so an interval never shows an impossible value.
Uses matplotlib's Agg backend: no display needed.
"""
import math
import os
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
from scipy import stats  # noqa: E402

sys.path.insert(0, os.path.dirname(__file__))
import civitas_sweep  # noqa: E402

HEADLINE = ["gini_cash", "gini_total", "total_value", "mean_se_firms", "deeds_verified", "sanctions",
            "treasury_efficiency", "welfare"]

# What each kind of column counts, for axis labels (docs/ODD.md defines every column).
CASH = {"total_value", "financial_value", "social_impact", "added_social_value", "welfare", "wages", "income_tax",
        "purchases", "input_purchases", "csr", "donations", "services", "data_tax", "tax_relief", "deed_help",
        "stolen", "procurement", "government_cash", "mean_cash_citizen", "fines_paid", "treasury", "grants",
        "discounts_paid", "cleared_cash", "mean_income_net", "firm_wage"}
PER_STEP_COUNTS = {"misconduct", "deeds_done", "deeds_verified", "sanctions", "warnings", "rewards", "trips",
                   "welfare_recipients", "false_accusations", "blacklisted_citizens", "blacklisted_firms",
                   "transfers", "rejected", "projects_funded", "points_issued", "points_redeemed"}


def unit_of(metric):
    """The unit an axis shows for a metric ('' when it is a plain number such as an S/E ratio)."""
    if metric in CASH:
        return "cash units"
    if metric in PER_STEP_COUNTS:
        return "per step"
    if share_like(metric):
        return "share, 0 to 1"
    return ""


def share_like(metric):
    return (metric.startswith(("gini_", "share_", "top10_share", "bottom50_share", "grade_"))
            or metric.endswith(("_rate", "_share", "_efficiency", "_precision", "_recall"))
            or metric in ("turnout", "purchase_alignment", "firm_delivery", "firm_conduct"))


def bounds_of(metric, values):
    """(low, high) a metric cannot leave: 0..1 for shares, 0.. for a column that is never negative here."""
    if share_like(metric):
        return 0.0, 1.0
    finite = np.asarray(values, dtype=float)
    finite = finite[np.isfinite(finite)]
    if metric in CASH or metric in PER_STEP_COUNTS or (len(finite) and finite.min() >= 0):
        return 0.0, math.inf
    return -math.inf, math.inf


def axis_label(metric):
    unit = unit_of(metric)
    return f"{metric} ({unit})" if unit else metric


def point_labels(sweep):
    """Point -> 'key = value, ...' (the regime's name alone for a comparison)."""
    labels = {}
    for point, group in sweep.runs.groupby("point"):
        parts = []
        for p in sweep.params:
            key, value = p[len("param_"):], str(group[p].iloc[0]).strip('"')
            parts.append(value if key == "governance.regime" else f"{key} = {value}")
        labels[point] = ", ".join(parts) or "base"
    return labels


def replicates_of(sweep):
    return int(sweep.runs.groupby("point")["run_id"].nunique().max())


def plot_time(sweep, metric, outdir):
    series, labels = sweep.series, point_labels(sweep)
    low, high = bounds_of(metric, series[metric])
    points = sorted(series["point"].unique())
    facets = len(points) > 4
    cols = min(3, len(points)) if facets else 1
    rows = math.ceil(len(points) / cols) if facets else 1
    fig, axes = plt.subplots(rows, cols, figsize=(4 * cols if facets else 7, 3 * rows if facets else 4),
                             sharex=True, sharey=True, squeeze=False)
    for i, point in enumerate(points):
        ax = axes[i // cols][i % cols] if facets else axes[0][0]
        by_step = series[series["point"] == point].groupby("step")[metric]
        mean, sd, n = by_step.mean(), by_step.std(ddof=1), by_step.count()
        half = stats.t.ppf(0.975, np.maximum(n - 1, 1)) * sd / np.sqrt(n)
        line = ax.plot(mean.index, mean.values, label=labels[point])[0]
        ax.fill_between(mean.index, np.clip(mean - half, low, high), np.clip(mean + half, low, high),
                        color=line.get_color(), alpha=0.2)
        if facets:
            ax.set_title(labels[point], fontsize=9)
    for ax in axes.flat[len(points) if facets else 1:]:
        ax.set_visible(False)
    for ax in axes[-1]:
        ax.set_xlabel("step")
    for row in axes:
        row[0].set_ylabel(axis_label(metric))
    if not facets:
        axes[0][0].legend(fontsize=8, title=", ".join(sweep.keys) or None, title_fontsize=8)
    fig.suptitle(f"{metric} over time: mean of {replicates_of(sweep)} replicates with its 95% band", fontsize=10)
    fig.tight_layout()
    path = os.path.join(outdir, f"{metric}-time.png")
    fig.savefig(path, dpi=100)
    plt.close(fig)
    return path


def end_values(sweep, metric):
    """Point -> (mean, 95% half-width) of the runs' end values (the reader's summary)."""
    return {row.point: (row.mean, row.half_width) for row in sweep.summary(metric).itertuples()}


def numeric_key(sweep, param):
    values = [civitas_sweep.parse_value(v) for v in sweep.runs.groupby("point")[param].first()]
    return values if all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in values) else None


def plot_final(sweep, metric, outdir):
    ends, labels = end_values(sweep, metric), point_labels(sweep)
    points = sorted(ends)
    low, high = bounds_of(metric, [ends[p][0] for p in points])
    title = (f"{metric} at the end of the run (mean of the trailing window)\n"
             f"mean of {replicates_of(sweep)} replicates with its 95% interval")
    fig, ax = plt.subplots(figsize=(7, 4))
    if len(sweep.params) == 2 and all(numeric_key(sweep, p) for p in sweep.params):
        # Two keys: a heatmap of the mean end value, one cell per grid point, its value written in.
        first = sweep.runs.groupby("point")[sweep.params].first()
        xs = sorted(set(first[sweep.params[0]]), key=civitas_sweep.parse_value)
        ys = sorted(set(first[sweep.params[1]]), key=civitas_sweep.parse_value)
        grid = np.full((len(ys), len(xs)), np.nan)
        for point, (x, y) in first.iterrows():
            grid[ys.index(y), xs.index(x)] = ends[point][0]
        image = ax.imshow(grid, origin="lower", aspect="auto", cmap="viridis")
        middle = np.nanmean([np.nanmin(grid), np.nanmax(grid)])
        for (r, c), v in np.ndenumerate(grid):  # dark text on the light (high) end of viridis
            ax.text(c, r, f"{v:.3g}", ha="center", va="center", fontsize=8,
                    color="black" if v > middle else "white")
        ax.set_xticks(range(len(xs)), xs, fontsize=8)
        ax.set_yticks(range(len(ys)), ys, fontsize=8)
        ax.set_xlabel(sweep.keys[0])
        ax.set_ylabel(sweep.keys[1])
        fig.colorbar(image, ax=ax, label=axis_label(metric))
        title = title.split("\n")[0] + f"\nmean of {replicates_of(sweep)} replicates"
    else:
        key = numeric_key(sweep, sweep.params[0]) if len(sweep.params) == 1 else None
        x = np.array(key, dtype=float) if key else np.arange(len(points))
        mean = np.array([ends[p][0] for p in points])
        half = np.nan_to_num(np.array([ends[p][1] for p in points]))
        lower, upper = np.clip(mean - half, low, high), np.clip(mean + half, low, high)
        ax.errorbar(x, mean, yerr=[mean - lower, upper - mean], fmt="o", capsize=4)
        if key:
            ax.set_xlabel(sweep.keys[0])
            if min(x) > 0 and max(x) / min(x) >= 50:
                ax.set_xscale("log")
        else:
            ax.set_xticks(x, [labels[p] for p in points], rotation=20, fontsize=8)
            ax.set_xlabel(", ".join(sweep.keys) or "group")
        ax.set_ylabel(axis_label(metric))
    ax.set_title(title, fontsize=10)
    fig.tight_layout()
    path = os.path.join(outdir, f"{metric}-final.png")
    fig.savefig(path, dpi=100)
    plt.close(fig)
    return path


def plot_paired(sweep, metric, table, outdir):
    rows = table[(table["metric"] == metric) & (table["point"] != table["point"].min())].sort_values("point")
    labels = point_labels(sweep)
    fig, ax = plt.subplots(figsize=(7, 4))
    y = np.arange(len(rows))
    half = np.nan_to_num(rows["diff_half_width"].to_numpy(dtype=float))
    colours = ["tab:red" if s else "tab:gray" for s in rows["significant"]]
    for yi, x, h, colour in zip(y, rows["diff_mean"], half, colours):
        ax.errorbar(x, yi, xerr=h, fmt="o", color=colour, capsize=4)
    ax.axvline(0, color="black", linewidth=0.8)
    ax.set_yticks(y, [labels[p] for p in rows["point"]], fontsize=8)
    ax.invert_yaxis()
    ax.set_xlabel(f"difference in {axis_label(metric)}")
    base = labels[table["point"].min()]
    ax.set_title(f"{metric}: paired difference against {base} (mean and 95% interval, "
                 f"{replicates_of(sweep)} pairs)\nred: significant at 5% after Holm's correction across the "
                 "metrics plotted", fontsize=9)
    fig.tight_layout()
    path = os.path.join(outdir, f"{metric}-paired.png")
    fig.savefig(path, dpi=100)
    plt.close(fig)
    return path


def main(argv):
    if len(argv) < 3:
        print(__doc__.strip(), file=sys.stderr)
        return 2
    sweep = civitas_sweep.SweepFile(argv[1])
    outdir = argv[2]
    os.makedirs(outdir, exist_ok=True)
    metrics = argv[3:] or [m for m in HEADLINE if m in sweep.metrics and sweep.series[m].notna().any()]
    missing = [m for m in metrics if m not in sweep.metrics]
    if missing:
        print(f"error: {argv[1]} has no metric {', '.join(missing)}", file=sys.stderr)
        return 2
    table = sweep.table([(m, m, "end") for m in metrics]) if sweep.runs["point"].nunique() > 1 else None
    for m in metrics:
        print(plot_time(sweep, m, outdir))
        print(plot_final(sweep, m, outdir))
        if table is not None:
            print(plot_paired(sweep, m, table, outdir))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))

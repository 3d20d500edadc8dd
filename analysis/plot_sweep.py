"""Figures from a Civitas sweep or comparison file: `python3 analysis/plot_sweep.py FILE OUTDIR [METRIC ...]`.

For each metric (default: a few headline ones that the file has): METRIC-time.png, the metric over time
per grid point (mean across replicates with a 95% band), and METRIC-final.png, the final value per grid
point with its 95% interval. Uses matplotlib's Agg backend: no display needed.
"""
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


def plot(sweep, metric, outdir):
    series = sweep.series
    keys = ", ".join(p.removeprefix("param_") for p in sweep.params) or "group"
    replicates = int(series.groupby("point")["run_id"].nunique().max())
    fig, ax = plt.subplots(figsize=(7, 4))
    for point, group in series.groupby("point"):
        by_step = group.groupby("step")[metric]
        mean, sd, n = by_step.mean(), by_step.std(ddof=1), by_step.count()
        half = stats.t.ppf(0.975, np.maximum(n - 1, 1)) * sd / np.sqrt(n)
        label = ", ".join(str(group[p].iloc[0]) for p in sweep.params) or "base"
        ax.plot(mean.index, mean.values, label=label)
        ax.fill_between(mean.index, (mean - half).values, (mean + half).values, alpha=0.2)
    ax.set_xlabel("step")
    ax.set_ylabel(metric)
    ax.set_title(f"{metric} over time: mean of {replicates} replicates, 95% band", fontsize=10)
    ax.legend(fontsize=8, title=keys, title_fontsize=8)
    fig.tight_layout()
    time_path = os.path.join(outdir, f"{metric}-time.png")
    fig.savefig(time_path, dpi=100)
    plt.close(fig)

    summary = sweep.summary(metric)
    fig, ax = plt.subplots(figsize=(7, 4))
    x = np.arange(len(summary))
    ax.errorbar(x, summary["mean"], yerr=summary["half_width"].fillna(0), fmt="o", capsize=4)
    ax.set_xticks(x, summary["group"], rotation=20, fontsize=8)
    ax.set_xlabel(keys)
    ax.set_ylabel(metric)
    ax.set_title(f"{metric} at the end of the run (mean of the last quarter) by {keys}:\n"
                 f"mean of {replicates} replicates with its 95% interval", fontsize=10)
    fig.tight_layout()
    final_path = os.path.join(outdir, f"{metric}-final.png")
    fig.savefig(final_path, dpi=100)
    plt.close(fig)
    return [time_path, final_path]


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
    for m in metrics:
        for path in plot(sweep, m, outdir):
            print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))

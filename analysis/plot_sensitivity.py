"""Figure of a Civitas sensitivity file: `python3 analysis/plot_sensitivity.py FILE OUT.png [METRIC ...]`.

One panel per metric (default: every metric of the study).
- Morris: mu* (mean absolute elementary effect) against sigma (their standard deviation), one labelled point
  per parameter, with mu*'s 95% bootstrap interval as a horizontal whisker. Points near the x axis act
  alone and linearly; points near or above the sigma = mu* line act through interactions or non-linearly.
- Sobol': first-order (S1) and total (ST) indices per parameter as bars with 95% bootstrap whiskers.
Uses matplotlib's Agg backend (no display) and h5py; the file layout is in
engine/experiment/sensitivity_study.hpp.
"""
import math
import sys

import h5py
import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402


def _text(v):
    return v.decode() if isinstance(v, bytes) else str(v)


def read(path):
    with h5py.File(path, "r") as f:
        meta = {k: (_text(v) if isinstance(v, (bytes, str)) else v) for k, v in f["/meta"].attrs.items()}
        params = [_text(p) for p in f["/indices/param"][:]]
        indices = {m: {name: f["/indices"][m][name][:] for name in f["/indices"][m]}
                   for m in f["/indices"] if m != "param"}
    ranges = dict(p.split("=", 1) for p in meta["params"].split())
    return meta, params, ranges, indices


def _whiskers(value, low, high):
    # Matplotlib wants non-negative distances; an undefined interval draws no whisker.
    lower = np.where(np.isfinite(low), np.maximum(value - low, 0), 0)
    upper = np.where(np.isfinite(high), np.maximum(high - value, 0), 0)
    return np.vstack([lower, upper])


def morris_panel(ax, metric, params, ranges, ix):
    mu_star, sigma = ix["mu_star"], ix["sigma"]
    ax.errorbar(mu_star, sigma, xerr=_whiskers(mu_star, ix["mu_star_low"], ix["mu_star_high"]), fmt="o",
                color="tab:blue", ecolor="tab:gray", capsize=3)
    for x, y, p in zip(mu_star, sigma, params):
        ax.annotate(f"{p}\n[{ranges[p]}]", (x, y), textcoords="offset points", xytext=(6, 4), fontsize=8)
    top = np.nanmax(np.concatenate([ix["mu_star_high"], sigma, [1e-12]]))
    ax.plot([0, 1.1 * top], [0, 1.1 * top], "--", color="tab:red", linewidth=1, label="sigma = mu*")
    ax.set_xlim(0, 1.25 * top)
    ax.set_ylim(0, 1.25 * top)
    ax.set_xlabel(f"mu*: mean |elementary effect| ({metric} per whole range)")
    ax.set_ylabel(f"sigma: spread of effects ({metric} per whole range)")
    ax.set_title(metric)
    ax.legend(fontsize=8, loc="upper left")


def sobol_panel(ax, metric, params, ranges, ix):
    x = np.arange(len(params))
    width = 0.38
    for offset, name, colour in ((-width / 2, "S1", "tab:blue"), (width / 2, "ST", "tab:orange")):
        value = ix[name]
        ax.bar(x + offset, np.nan_to_num(value), width, color=colour,
               label={"S1": "first order S1", "ST": "total ST"}[name],
               yerr=_whiskers(value, ix[name + "_low"], ix[name + "_high"]), capsize=3, ecolor="black")
    ax.set_xticks(x)
    ax.set_xticklabels([f"{p}\n[{ranges[p]}]" for p in params], fontsize=8)
    ax.axhline(0, color="black", linewidth=0.6)
    # Indices are shares of variance (0 to 1), but an estimate's interval may reach past either end.
    low = min(0.0, float(np.nanmin(np.concatenate([ix["S1_low"], ix["ST_low"], [0.0]]))))
    high = max(1.0, float(np.nanmax(np.concatenate([ix["S1_high"], ix["ST_high"], [1.0]]))))
    ax.set_ylim(low - 0.05, high + 0.05)
    ax.set_ylabel("share of the metric's variance (dimensionless)")
    ax.set_xlabel("parameter [range]")
    ax.set_title(metric)
    ax.legend(fontsize=8)


def plot(path, out, metrics=None):
    meta, params, ranges, indices = read(path)
    metrics = metrics or list(indices)
    for m in metrics:
        if m not in indices:
            sys.exit(f"error: {path} has no metric '{m}' (it has: {', '.join(indices)})")
    cols = min(3, len(metrics))
    rows = math.ceil(len(metrics) / cols)
    fig, axes = plt.subplots(rows, cols, figsize=(5.5 * cols, 4.6 * rows), squeeze=False)
    morris = meta["method"] == "morris"
    for ax, m in zip(axes.flat, metrics):
        (morris_panel if morris else sobol_panel)(ax, m, params, ranges, indices[m])
    for ax in list(axes.flat)[len(metrics):]:
        ax.axis("off")
    scenario_name = next((line.split("=", 1)[1].strip().strip('"') for line in meta["scenario"].splitlines()
                          if line.startswith("name")), "scenario")
    design = (f"Morris, {meta['samples']} trajectories, {meta['levels']} levels" if morris
              else f"Sobol' (Saltelli), {meta['samples']} base samples")
    fig.suptitle(f"Sensitivity of {scenario_name}: {design}, {meta['replicates']} replicate(s); "
                 f"metric = mean of the last {meta['window']} of {meta['steps']} steps; 95% bootstrap intervals",
                 fontsize=10)
    fig.tight_layout()
    fig.savefig(out, dpi=110)
    plt.close(fig)
    return out


if __name__ == "__main__":
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    print(plot(sys.argv[1], sys.argv[2], sys.argv[3:] or None))

"""Read a Civitas sweep or comparison file (HDF5, long format) into pandas DataFrames.

    import civitas_sweep
    sweep = civitas_sweep.SweepFile("society-compare.h5")
    sweep.runs        # one row per run: run_id, point, replicate, seed, head_hash, param_<key> ...
    sweep.series      # one row per (run, step): run_id, step, every metric, and the run's parameters
    sweep.final()     # one row per run: the metrics at its last step, with its parameters
    sweep.summary("gini_cash")  # per grid point: mean, 95% CI half-width (Student t), n, of the end value
    sweep.table([("gini_cash", "gini_cash", "end"), ("deeds", "deeds_done", "mean_per_citizen")])
                                # the comparison table: levels, paired differences against the first
                                # point, Holm-adjusted p-values, minimum detectable difference

The statistics are those `civitas compare` prints (the test tests/analysis/sweep_test.py checks that they
agree): a run's end value is the mean over its trailing window (/meta summary_window steps; 0 means the
last quarter of the run), replicate r of every point shares seed base + r, so points pair replicate by
replicate (paired t-test), and Holm's correction runs across the metrics within each point.

Also a command: `python3 analysis/civitas_sweep.py FILE` prints the per-point summary of every metric.
"""
import math
import sys
import tomllib

import h5py
import numpy as np
import pandas as pd


def _text(values):
    return [v.decode() if isinstance(v, bytes) else str(v) for v in values]


class SweepFile:
    def __init__(self, path):
        self.path = path
        with h5py.File(path, "r") as f:
            self.meta = {k: (v.decode() if isinstance(v, bytes) else v) for k, v in f["/meta"].attrs.items()}
            runs = {name: f["/runs"][name][:] for name in f["/runs"]}
            for name in ("head_hash",) + tuple(n for n in runs if n.startswith("param_")):
                runs[name] = _text(runs[name])
            self.runs = pd.DataFrame(runs).sort_values("run_id").reset_index(drop=True)
            columns = f["/series"].attrs["columns"]
            columns = (columns.decode() if isinstance(columns, bytes) else columns).split(",")
            data = {"run_id": f["/series/run_id"][:], "step": f["/series/step"][:]}
            for c in columns:
                data[c] = f["/series"][c][:]
            self.metrics = columns
        self.params = [c for c in self.runs.columns if c.startswith("param_")]
        self.series = pd.DataFrame(data).merge(self.runs[["run_id", "point", "replicate", "seed"] + self.params], on="run_id")

        scenario = tomllib.loads(self.meta.get("scenario", ""))
        self.citizens = scenario.get("population", {}).get("citizens", 1)
        self.summary_window = int(self.meta.get("summary_window", 0))

    def final(self):
        last = self.series.loc[self.series.groupby("run_id")["step"].idxmax()]
        return last.reset_index(drop=True)

    def window_steps(self, steps):
        """Steps the end value averages in a run of `steps` steps."""
        w = self.summary_window if self.summary_window > 0 else max(1, steps // 4)
        return min(w, max(1, steps))

    def per_run(self, column, how="end"):
        """One value per run (a Series indexed by run_id): `end` the mean over the trailing window,
        `mean` the mean over steps 1..N, `mean_per_citizen` that mean divided by the citizens."""
        values = {}
        for run_id, group in self.series.groupby("run_id"):
            if column not in group:  # a column the runs do not have (a rule's column under another rule)
                values[run_id] = math.nan
                continue
            steps = int(group["step"].max())
            first = steps + 1 - self.window_steps(steps) if how == "end" else 1
            v = group[group["step"] >= first][column].to_numpy(dtype=float)
            v = v[np.isfinite(v)]
            mean = v.mean() if len(v) else math.nan
            values[run_id] = mean / max(1, self.citizens) if how == "mean_per_citizen" else mean
        return pd.Series(values)

    def summary(self, metric, per_run=None):
        """Mean and 95% CI half-width across replicates of a per-run value (default: the end value)."""
        from scipy import stats  # Debian python3-scipy
        values = per_run if per_run is not None else self.per_run(metric)
        table = self.runs.set_index("run_id").assign(value=values)
        rows = []
        for point, group in table.groupby("point"):
            v = group["value"].to_numpy(dtype=float)
            v = v[np.isfinite(v)]
            n = len(v)
            mean = v.mean() if n else np.nan
            half = stats.t.ppf(0.975, n - 1) * v.std(ddof=1) / np.sqrt(n) if n > 1 else np.nan
            label = ", ".join(str(group[p].iloc[0]) for p in self.params)
            rows.append({"point": point, "group": label, "mean": mean, "half_width": half, "n": n})
        return pd.DataFrame(rows)

    def table(self, metrics, alpha=0.05, power=0.8):
        """The comparison table for `metrics`, a list of (label, column, how): one row per (metric, point)
        with the level (mean, half_width, n) and, for points after the first, the paired difference against
        the first (diff_mean, diff_half_width, pairs, p_value), Holm's adjusted p-value across the metrics
        within the point (p_holm, significant), the minimum detectable difference with these pairs
        (min_detectable_diff) and the pairs needed to detect the observed difference (replicates_needed)."""
        from scipy import stats
        by_replicate = {}
        for label, column, how in metrics:
            table = self.runs.set_index("run_id").assign(value=self.per_run(column, how))
            by_replicate[label] = table.pivot(index="replicate", columns="point", values="value")
        rows = []
        for label, _, _ in metrics:
            wide = by_replicate[label]
            for point in wide.columns:
                v = wide[point].to_numpy(dtype=float)
                level = v[np.isfinite(v)]
                n = len(level)
                row = {"metric": label, "point": point, "mean": level.mean() if n else np.nan,
                       "half_width": stats.t.ppf(0.975, n - 1) * level.std(ddof=1) / np.sqrt(n) if n > 1 else np.nan,
                       "n": n}
                if point != wide.columns[0]:
                    base = wide[wide.columns[0]].to_numpy(dtype=float)
                    d = (v - base)[np.isfinite(v) & np.isfinite(base)]
                    k = len(d)
                    sd = d.std(ddof=1) if k > 1 else np.nan
                    if k < 2:
                        p = np.nan
                    elif sd == 0:
                        p = 1.0 if d.mean() == 0 else 0.0
                    else:
                        p = stats.ttest_rel(v[np.isfinite(v) & np.isfinite(base)],
                                            base[np.isfinite(v) & np.isfinite(base)]).pvalue
                    mdd = ((stats.t.ppf(1 - alpha / 2, k - 1) + stats.t.ppf(power, k - 1)) * sd / np.sqrt(k)
                           if k > 1 else np.nan)
                    row.update(diff_mean=d.mean() if k else np.nan,
                               diff_half_width=stats.t.ppf(0.975, k - 1) * sd / np.sqrt(k) if k > 1 else np.nan,
                               pairs=k, p_value=p, min_detectable_diff=mdd,
                               replicates_needed=_replicates_for(d.mean() if k else np.nan, sd, alpha, power))
                rows.append(row)
        out = pd.DataFrame(rows)
        out["p_holm"], out["significant"] = np.nan, False
        for point, group in out.groupby("point"):
            if "p_value" not in group or group["p_value"].isna().all():
                continue
            adjusted, significant = holm(group["p_value"].to_numpy(dtype=float), alpha)
            out.loc[group.index, "p_holm"] = adjusted
            out.loc[group.index, "significant"] = significant
        return out


def holm(p, alpha=0.05):
    """Holm's step-down correction: (adjusted p-values, rejected) for an array of p-values (NaN left out)."""
    p = np.asarray(p, dtype=float)
    adjusted = np.full(len(p), np.nan)
    rejected = np.zeros(len(p), dtype=bool)
    defined = [i for i in range(len(p)) if np.isfinite(p[i])]
    order = sorted(defined, key=lambda i: p[i])  # stable, as the engine's
    m, running, rejecting = len(order), 0.0, True
    for k, i in enumerate(order):
        running = max(running, min(1.0, (m - k) * p[i]))
        adjusted[i] = running
        rejecting = rejecting and p[i] <= alpha / (m - k)
        rejected[i] = rejecting
    return adjusted, rejected


def _replicates_for(effect, sd, alpha, power, cap=100000):
    """The smallest n >= 2 whose minimum detectable difference is at most |effect| (0: none up to cap)."""
    from scipy import stats
    if not np.isfinite(effect) or effect == 0 or not np.isfinite(sd):
        return 0
    if sd == 0:
        return 2

    def enough(n):
        return (stats.t.ppf(1 - alpha / 2, n - 1) + stats.t.ppf(power, n - 1)) * sd / np.sqrt(n) <= abs(effect)

    hi = 2
    while not enough(hi):  # doubling, then bisection, as the engine does
        if hi >= cap:
            return 0
        hi = min(cap, hi * 2)
    lo = max(1, hi // 2)
    while hi - lo > 1:
        mid = lo + (hi - lo) // 2
        if enough(mid):
            hi = mid
        else:
            lo = mid
    return hi


if __name__ == "__main__":
    sweep = SweepFile(sys.argv[1])
    for m in sweep.metrics:
        print(m)
        print(sweep.summary(m).to_string(index=False))

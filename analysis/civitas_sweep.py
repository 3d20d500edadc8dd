"""Read a Civitas sweep or comparison file (HDF5, long format) into pandas DataFrames.

    import civitas_sweep
    sweep = civitas_sweep.SweepFile("society-compare.h5")
    sweep.runs        # one row per run: run_id, point, replicate, seed, head_hash, param_<key> ...
    sweep.series      # one row per (run, step): run_id, step, every metric, and the run's parameters
    sweep.final()     # one row per run: the metrics at its last step, with its parameters
    sweep.summary("gini_cash")  # per grid point: mean, 95% CI half-width (Student t), n, of the final value

Also a command: `python3 analysis/civitas_sweep.py FILE` prints the per-point summary of every metric.
"""
import sys

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

    def final(self):
        last = self.series.loc[self.series.groupby("run_id")["step"].idxmax()]
        return last.reset_index(drop=True)

    def summary(self, metric, per_run=None):
        """Mean and 95% CI half-width across replicates of a per-run value (default: the final value)."""
        from scipy import stats  # Debian python3-scipy
        values = per_run if per_run is not None else self.final().set_index("run_id")[metric]
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


if __name__ == "__main__":
    sweep = SweepFile(sys.argv[1])
    for m in sweep.metrics:
        print(m)
        print(sweep.summary(m).to_string(index=False))

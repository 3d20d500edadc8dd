"""Read a Civitas run file (HDF5) from Python with h5py and numpy.

    import civitas_run
    run = civitas_run.RunFile("boltzmann.h5")
    run.series["gini_cash"]        # one value per block (block 0 = genesis)
    run.headers["hash"]            # 32-byte digests, one row per block
    run.summary()                  # the same facts `civitas inspect --json` prints
    civitas_run.steady_state(run.series["gini_wealth"])   # (drift of the last two quarters, steady?)

Also a command: `python3 analysis/civitas_run.py RUN.h5` prints the summary as JSON.
A `.partial` file left by an interrupted run is opened in SWMR mode, as HDF5 requires.
"""
import json
import sys

import h5py
import numpy as np


class RunFile:
    def __init__(self, path):
        self.path = path
        self._file = h5py.File(path, "r", swmr=path.endswith(".partial"))
        self.meta = {k: _plain(v) for k, v in self._file["/meta"].attrs.items()}
        self.headers = self._file["/ledger/headers"][:]
        self.supplies = self._file["/ledger/supplies"][:]
        self.series = self._file["/series"][:] if "/series" in self._file else None
        blocks = min(len(self.headers), len(self.supplies), len(self.series) if self.series is not None else len(self.headers))
        self.headers, self.supplies = self.headers[:blocks], self.supplies[:blocks]
        if self.series is not None:
            self.series = self.series[:blocks]
        self.tokens = [_plain(t["name"]) for t in self._file["/ledger/tokens"][:]]

    def transfers(self, step):
        """The records of block `step` (requires a run stored with --ledger full)."""
        counts = self.headers["transfer_count"].astype(np.int64)
        start = int(counts[:step].sum())
        return self._file["/ledger/transfers"][start:start + int(counts[step])]

    def final_metrics(self):
        """Last non-NaN value of every metric column."""
        out = {}
        for name in self.series.dtype.names:
            values = self.series[name]
            finite = values[~np.isnan(values)]
            out[name] = float(finite[-1]) if len(finite) else None
        return out

    def summary(self):
        return {
            "file": self.path,
            "scenario": self.meta.get("scenario_name"),
            "seed": int(self.meta.get("seed", 0)),
            "complete": bool(self.meta.get("complete", 0)),
            "steps": int(self.headers["step"][-1]) if len(self.headers) else 0,
            "agents": int(self._file["/agents/kind"].shape[0]),
            "transfers": int(self.headers["transfer_count"].sum()),
            "rejected": int(self.headers["rejected_count"].sum()),
            "supply": {t: int(self.supplies[-1][i]) for i, t in enumerate(self.tokens)} if len(self.supplies) else {},
            "head_hash": bytes(self.headers["hash"][-1]).hex() if len(self.headers) else "",
            "final_metrics": self.final_metrics() if self.series is not None else {},
        }

    def close(self):
        self._file.close()


def steady_state(values, threshold=0.02):
    """Whether a metric's series has reached a steady state: the relative drift between the means of the
    last two quarters of the run, |mean(Q4) - mean(Q3)| / |mean(Q4)|, is below `threshold`. NaN steps
    (metrics only on full steps) are ignored. Returns (drift, steady)."""
    values = np.asarray(values, dtype=float)
    quarter = len(values) // 4
    if quarter == 0:
        return float("nan"), False
    q3 = values[-2 * quarter:-quarter]
    q4 = values[-quarter:]
    q3, q4 = q3[~np.isnan(q3)], q4[~np.isnan(q4)]
    if not len(q3) or not len(q4) or q4.mean() == 0:
        return float("nan"), False
    drift = float(abs(q4.mean() - q3.mean()) / abs(q4.mean()))
    return drift, drift < threshold


def _plain(value):
    if isinstance(value, bytes):
        return value.decode()
    if isinstance(value, np.generic):
        return value.item()
    return value


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("usage: civitas_run.py RUN.h5")
    print(json.dumps(RunFile(sys.argv[1]).summary(), indent=2))

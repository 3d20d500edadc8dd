"""Readers of the files Civitas writes (HDF5), with h5py, numpy and pandas only (no engine needed).

    from civitas.files import RunFile, SweepFile, SensitivityFile, open_file
    run = RunFile("society.h5")            # a run file (also a .partial still being written)
    run.series                            # structured array, one row per block (block 0 = genesis)
    run.series_frame()                    # the same as a DataFrame indexed by step
    run.agents(step=None)                 # one row per agent at a snapshot: kind, values, balances, scores
    run.edges("social")                   # the social (or supply) network's edges as a DataFrame
    sweep = SweepFile("society-compare.h5")
    sweep.tidy()                          # one row per (run, step), numeric parameter columns without dots
    sweep.table(...)                      # the paired comparison table `civitas compare` prints
    open_file(path)                       # whichever of the three the file is

The run file's layout is documented in engine/io/run_file.hpp, the sweep's in engine/experiment/sweep.hpp,
the sensitivity study's in engine/experiment/sensitivity_study.hpp. analysis/civitas_run.py and
analysis/civitas_sweep.py re-export these readers for the scripts that import them from there.
"""
import contextlib
import math
import os
import tomllib
import weakref

import h5py
import numpy as np
import pandas as pd


def _plain(value):
    if isinstance(value, bytes):
        return value.decode()
    if isinstance(value, np.generic):
        return value.item()
    return value


def _text(values):
    return [v.decode() if isinstance(v, bytes) else str(v) for v in values]


def _h5open(path):
    """Opens an HDF5 file for reading; a `.partial` (still written, or left by a killed run) in SWMR mode."""
    path = str(path)
    if path.endswith(".partial"):
        try:
            return h5py.File(path, "r", swmr=True)
        except OSError:
            pass
    return h5py.File(path, "r")


def column_name(key):
    """A parameter's column name in the tidy tables: the dotted key with `_` for `.` (usable in `df.query`),
    e.g. ``society.alpha`` -> ``society_alpha``."""
    return key.replace(".", "_")


def parse_value(text):
    """A TOML value as Python (``0.5`` -> 0.5, ``"market"`` -> 'market', ``true`` -> True); a bare word is
    returned as it is."""
    try:
        return tomllib.loads("v = " + text)["v"]
    except tomllib.TOMLDecodeError:
        return text


# The agents' kinds by code (engine/agents/population.hpp, agent_kind).
AGENT_KINDS = ("citizen", "firm", "charity", "government")


def kind_names(codes):
    """Agent kind codes (/agents/kind) as a pandas Categorical of their names."""
    names = [AGENT_KINDS[c] if c < len(AGENT_KINDS) else str(c) for c in range(int(max(codes, default=0)) + 1)]
    return pd.Categorical.from_codes(np.asarray(codes, dtype=np.int64), categories=names)


_open_readers = weakref.WeakSet()


@contextlib.contextmanager
def released(path):
    """Closes this process's open readers of `path` for the duration (HDF5 refuses to open a file twice in
    one process with other flags, as the engine's verify does), then reopens them."""
    real = os.path.realpath(path)
    held = [r for r in list(_open_readers) if r._file and os.path.realpath(r.path) == real]
    for r in held:
        r._file.close()
    try:
        yield
    finally:
        for r in held:
            r._file = _h5open(r.path)


class RunFile:
    """A run file: /meta, the ledger, /series, /agents and /network (engine/io/run_file.hpp)."""

    def __init__(self, path):
        self.path = str(path)
        self._file = _h5open(self.path)
        _open_readers.add(self)
        self.meta = {k: _plain(v) for k, v in self._file["/meta"].attrs.items()}
        self.headers = self._file["/ledger/headers"][:]
        self.supplies = self._file["/ledger/supplies"][:]
        self.series = self._file["/series"][:] if "/series" in self._file else None
        blocks = min(len(self.headers), len(self.supplies),
                     len(self.series) if self.series is not None else len(self.headers))
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
        """The facts `civitas inspect --json` prints, as a dict."""
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
            "head_hash": self.head_hash(),
            "final_metrics": self.final_metrics() if self.series is not None else {},
        }

    def head_hash(self):
        """The hash of the last sealed block (hex), as `civitas run` prints it."""
        return bytes(self.headers["hash"][-1]).hex() if len(self.headers) else ""

    # ---- DataFrames -------------------------------------------------------------------------------------
    def series_frame(self):
        """/series as a DataFrame indexed by step (one row per sealed block, block 0 = genesis)."""
        if self.series is None:
            return pd.DataFrame(index=pd.Index(self.headers["step"].astype(np.int64), name="step"))
        frame = pd.DataFrame({name: self.series[name] for name in self.series.dtype.names})
        if "step" in frame:
            frame["step"] = frame["step"].astype(np.int64)
            frame = frame.set_index("step")
        else:
            frame.index = pd.Index(self.headers["step"].astype(np.int64), name="step")
        return frame

    def snapshot_steps(self):
        """The steps at which agents' balances (and scores) were stored."""
        return [int(s) for s in self._file["/agents/snapshot_steps"][:]]

    def agents(self, step=None):
        """One row per agent (index `agent`): kind (citizen, firm, charity, government), the fixed value dimensions (value_<name>), the balance of
        each token (balance_<token>) and each score column (score_<name>) at snapshot `step` (default: the
        last snapshot; a step without a snapshot raises KeyError naming those there are)."""
        ag = self._file["/agents"]
        frame = pd.DataFrame({"kind": kind_names(ag["kind"][:])})
        frame.index.name = "agent"
        if "values" in ag:
            values = ag["values"][:]
            names = (_text(ag["value_dimensions"][:]) if "value_dimensions" in ag
                     else [str(i) for i in range(values.shape[1])])
            for i, name in enumerate(names):
                frame["value_" + name] = values[:, i]
        steps = self.snapshot_steps()
        if not steps:
            return frame
        if step is None:
            row = len(steps) - 1
        elif step in steps:
            row = steps.index(step)
        else:
            raise KeyError(f"no snapshot at step {step} (snapshots at steps {steps})")
        frame.attrs["step"] = steps[row]
        balances = ag["balances"][row]
        for t, token in enumerate(self.tokens):
            frame["balance_" + token] = balances[:, t]
        if "scores" in ag:
            scores = ag["scores"][row]
            names = (_text(ag["score_columns"][:]) if "score_columns" in ag
                     else _plain(ag["scores"].attrs["columns"]).split(","))
            for i, name in enumerate(names):
                frame["score_" + name] = scores[:, i]
        return frame

    def edges(self, kind="social"):
        """The `social` or `supply` network's edges as a DataFrame (source, target); empty when absent."""
        if kind not in ("social", "supply"):
            raise ValueError(f"no network '{kind}' (networks: social, supply)")
        name = "/network/" + kind
        if name not in self._file:
            return pd.DataFrame({"source": np.array([], np.uint32), "target": np.array([], np.uint32)})
        e = self._file[name][:]
        return pd.DataFrame({"source": e[:, 0], "target": e[:, 1]})

    def headers_frame(self):
        """/ledger/headers as a DataFrame indexed by step, digests as hex strings, one supply_<token> per token."""
        frame = pd.DataFrame({name: (self.headers[name] if self.headers[name].ndim == 1 else
                                     [bytes(d).hex() for d in self.headers[name]])
                              for name in self.headers.dtype.names})
        for t, token in enumerate(self.tokens):
            frame["supply_" + token] = self.supplies[:, t]
        return frame.set_index("step")

    def _table(self, name):
        if name not in self._file:
            return pd.DataFrame()
        data = self._file[name][:]
        return pd.DataFrame({n: (data[n] if data[n].ndim == 1 else [bytes(d).hex() for d in data[n]])
                             for n in data.dtype.names})

    def transfers_frame(self):
        """Every transfer record (a run stored with --ledger full), with the block's step, the record's
        position in it and its id ((step << 32) | position: not stored, derived), reason and status names;
        empty with --ledger headers."""
        frame = self._table("/ledger/transfers")
        if frame.empty:
            return frame
        counts = self.headers["transfer_count"].astype(np.int64)
        frame = frame.iloc[:int(counts.sum())].copy()
        steps = np.repeat(self.headers["step"].astype(np.uint64), counts)[:len(frame)]
        # Records carry no id: it is (step << 32) | position in the block, given back here.
        starts = np.repeat(np.cumsum(counts) - counts, counts)[:len(frame)]
        position = (np.arange(len(frame), dtype=np.int64) - starts).astype(np.uint64)
        frame.insert(0, "id", (steps << np.uint64(32)) | position)
        frame.insert(0, "position", position.astype(np.uint32))
        frame.insert(0, "step", steps.astype(self.headers["step"].dtype))
        for table, column in (("/ledger/reasons", "reason"), ("/ledger/statuses", "status")):
            codes = self._table(table)
            if column in frame and not codes.empty:
                names = dict(zip(codes["code"], _text(codes["name"])))
                frame[column + "_name"] = frame[column].map(names)
        return frame

    def lineage_frame(self):
        """/ledger/lineage: every value lot with its backing transfer, issuer, holder, amount, token, step."""
        return self._table("/ledger/lineage")

    def close(self):
        """Closes the HDF5 file."""
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


class SweepFile:
    """A sweep or comparison file (long format, engine/experiment/sweep.hpp).

    `runs` and `series` keep the file's columns (param_<key> as the TOML text); `tidy()`, `tidy_runs()` and
    `tidy_final()` give numeric parameter columns named without dots (society.alpha -> society_alpha)."""

    def __init__(self, path):
        self.path = str(path)
        with _h5open(self.path) as f:
            self.meta = {k: (v.decode() if isinstance(v, bytes) else _plain(v)) for k, v in f["/meta"].attrs.items()}
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

    @property
    def keys(self):
        """The grid's parameter keys (dotted), in the file's order."""
        return [p[len("param_"):] for p in self.params]

    def tidy_runs(self):
        """One row per run: run_id, point, replicate, seed, head_hash and one typed column per grid key,
        named by column_name (numbers as numbers, regimes as strings)."""
        out = self.runs[["run_id", "point", "replicate", "seed"]].copy()
        for p in self.params:
            values = pd.Series([parse_value(v) for v in self.runs[p]], index=self.runs.index)
            out[column_name(p[len("param_"):])] = pd.to_numeric(values, errors="ignore")
        out["head_hash"] = self.runs["head_hash"]
        return out

    def tidy(self):
        """One row per (run, step): run_id, point, replicate, seed, the typed parameter columns, step and
        every metric (the shape of Mesa's batch_run)."""
        runs = self.tidy_runs().drop(columns=["head_hash"])
        series = self.series.drop(columns=self.params + ["point", "replicate", "seed"])
        return runs.merge(series, on="run_id")

    def tidy_final(self):
        """One row per run: its parameters (typed) and every metric's end value (the mean over the trailing
        summary window, as `civitas compare` summarises a run)."""
        out = self.tidy_runs().set_index("run_id")
        series = self.series[["run_id", "step"] + self.metrics].replace([np.inf, -np.inf], np.nan)
        last = series.groupby("run_id")["step"].transform("max")
        window = last.map(self.window_steps)
        ends = series[series["step"] >= last + 1 - window].groupby("run_id")[self.metrics].mean()
        return pd.concat([out, ends], axis=1).reset_index()

    def final(self):
        """The last step of every run (one row per run), with the file's columns."""
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


# The outcomes `civitas compare` tabulates (engine/cli/study.cpp): (label, /series column, summary).
COMPARISON_METRICS = [
    ("gini_cash", "gini_cash", "end"), ("gini_value", "gini_value", "end"), ("gini_total", "gini_total", "end"),
    ("total_value", "total_value", "end"), ("mean_se_firms", "mean_se_firms", "end"),
    ("firm_wage", "firm_wage", "end"), ("firm_conduct", "firm_conduct", "end"),
    ("firm_csr_share", "firm_csr_share", "end"), ("share_red", "share_red", "end"),
    ("share_amber", "share_amber", "end"), ("share_green", "share_green", "end"),
    ("good_deeds_per_capita_step", "deeds_verified", "mean_per_citizen"),
    ("deeds_done_per_capita_step", "deeds_done", "mean_per_citizen"),
    ("misconduct_per_capita_step", "misconduct", "mean_per_citizen"),
    ("stolen_per_step", "stolen", "mean"), ("welfare_per_step", "welfare", "mean"),
    ("sanctions_per_step", "sanctions", "mean"), ("treasury_efficiency", "treasury_efficiency", "end"),
    ("rejected_per_step", "rejected", "mean"),
]


class SensitivityFile:
    """A sensitivity study (engine/experiment/sensitivity_study.hpp): its design, runs and indices."""

    def __init__(self, path):
        self.path = str(path)
        with _h5open(self.path) as f:
            self.meta = {k: (v.decode() if isinstance(v, bytes) else _plain(v)) for k, v in f["/meta"].attrs.items()}
            self.params = _text(f["/indices/param"][:])
            self._indices = {m: {name: f["/indices"][m][name][:] for name in f["/indices"][m]}
                             for m in f["/indices"] if m != "param"}
            design = {}
            for name in f["/design"]:
                data = f["/design"][name][:]
                if data.ndim == 1:
                    design[name] = data
            self._design = design
            self._runs = {name: (_text(f["/runs"][name][:]) if name == "head_hash" else f["/runs"][name][:])
                          for name in f["/runs"]}
        self.method = self.meta.get("method", "")
        self.metrics = list(self._indices)

    def indices(self):
        """One row per (metric, parameter): Morris mu, mu_star (with its 95% bootstrap interval) and sigma, or
        Sobol' S1 and ST with their intervals; `param` dotted, `column` the name without dots."""
        rows = []
        for metric, ix in self._indices.items():
            for i, p in enumerate(self.params):
                row = {"metric": metric, "param": p, "column": column_name(p)}
                row.update({name: float(values[i]) for name, values in ix.items()})
                rows.append(row)
        return pd.DataFrame(rows)

    def design(self):
        """One row per design point: the parameter values run (columns without dots) and each metric's output."""
        out = {}
        for name, values in self._design.items():
            if name.startswith("param_"):
                out[column_name(name[len("param_"):])] = values
            elif name.startswith("output_"):
                out[name[len("output_"):]] = values
            else:
                out[name] = values
        frame = pd.DataFrame(out)
        frame.index.name = "point"
        return frame

    def runs(self):
        """One row per run: run_id, point, replicate, seed, head_hash and metric_<METRIC>."""
        return pd.DataFrame(self._runs)


def kind_of(path):
    """What a Civitas HDF5 file holds: "run", "sweep" (a sweep or comparison) or "sensitivity"."""
    with _h5open(path) as f:
        if "ledger" in f:
            return "run"
        if "indices" in f and "design" in f:
            return "sensitivity"
        if "runs" in f and "series" in f:
            return "sweep"
    raise ValueError(f"{path}: not a Civitas run, sweep, comparison or sensitivity file")


def open_file(path):
    """A reader for any Civitas file: RunFile, SweepFile or SensitivityFile, by what the file holds."""
    return {"run": RunFile, "sweep": SweepFile, "sensitivity": SensitivityFile}[kind_of(path)](path)


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

"""Civitas from Python: run the engine, compare regimes, sweep and study parameters, read every file it writes.

    import civitas
    r = civitas.run("society/default", seed=7, steps=50, society__alpha=0.5)
    r.series.tail()                   # a DataFrame indexed by step, one column per metric
    r.agents()                        # one row per agent at the last snapshot: kind, values, balances, scores
    r.network("social")               # a networkx graph (r.network("social", edges=True): a DataFrame)
    r.ledger.headers                  # the hash-chained block headers (also .transfers, .lineage)
    r.head, r.verify().ok             # the head hash, as `civitas run` prints it; `civitas verify`
    c = civitas.compare("society/default", replicates=3, steps=40)
    c.final.query("governance_regime == 'daf'")   # one row per run, typed parameter columns
    c.table                           # the paired statistics `civitas compare` prints
    civitas.open("society-compare.h5")            # any run, comparison, sweep or sensitivity file
    civitas.params()                  # every parameter: path, type, default, range, unit, meaning

Each function runs the same engine code as the command line (engine/cli), so a run from Python has the
head hash `civitas run` prints for the same scenario and seed. Overrides are keyword arguments with `__` for
the dots of a parameter's path (``society__alpha=0.5`` is ``--set society.alpha=0.5``), or a dict
``set={"society.alpha": 0.5}``. Bad input raises ScenarioError (a ValueError) whose ``place`` is the
``file:line:col`` of the problem. The GIL is released while the engine runs; ``progress`` is a callable
``progress(done, total)`` or ``True`` for a tqdm bar (or a line on standard error without tqdm).
"""
import os as _os
import tempfile as _tempfile

from . import errors, files
from .errors import DataError, ScenarioError, WriteError
from .files import RunFile, SensitivityFile, SweepFile, column_name

try:
    from . import _civitas as _engine
except ImportError as _error:  # the readers work without the engine (the source tree, analysis/)
    _engine = None
    _engine_error = _error

__all__ = ["run", "compare", "sweep", "sensitivity", "experiment", "open", "params", "verify", "scenarios",
           "Run", "Study", "Sensitivity", "Verification", "ScenarioError", "DataError", "WriteError",
           "files", "errors", "column_name", "version"]

version = _engine.version if _engine is not None else None


def _need_engine():
    if _engine is None:
        raise ImportError("civitas: the engine module civitas._civitas is not built or not on the path "
                          f"(build the target _civitas; {_engine_error})")
    return _engine


# ---- arguments ------------------------------------------------------------------------------------------
def _toml(value):
    """A Python value as the text of an override: booleans, numbers and lists as TOML; a string as given
    (the CLI's rule: TOML text, a bare word being a string)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        text = repr(value)
        return text if any(c in text for c in ".eEn") else text + ".0"
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(_toml_item(v) for v in value) + "]"
    return str(value)


def _toml_item(value):
    if isinstance(value, str):
        return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
    return _toml(value)


class _Overrides(list):
    """The --set list, and for each entry the argument the caller wrote (`names`), to name it in errors."""

    def __init__(self):
        super().__init__()
        self.names = []


def _overrides(set_, overrides):
    """The --set list: the dict `set_` (dotted keys) first, then the keyword arguments (`__` for dots)."""
    out = _Overrides()
    for key, value in (set_ or {}).items():
        out.append(f"{key}={_toml(value)}")
        out.names.append(f"set[{key!r}]")
    for key, value in overrides.items():
        out.append(f"{key.replace('__', '.')}={_toml(value)}")
        out.names.append(key)
    return out


class _NamedOverrides:
    """Renames the engine's place of a bad override, `--set:N:COL` (the N-th --set text, column COL), to the
    argument the caller wrote: the keyword (``society__alpha``) or ``set['society.alpha']``."""

    def __init__(self, overrides):
        self.names = overrides.names

    def rename(self, place):
        import re
        m = re.fullmatch(r"--set:(\d+):\d+", place or "")
        if not m or not 1 <= int(m.group(1)) <= len(self.names):
            return place
        return self.names[int(m.group(1)) - 1]

    def __enter__(self):
        return self

    def __exit__(self, kind, error, trace):
        if not isinstance(error, ScenarioError):
            return False
        diagnostics = tuple((self.rename(p), message) for p, message in error.diagnostics)
        renamed = ScenarioError("\n".join(f"{p}: {message}" if p else message for p, message in diagnostics))
        renamed.place, renamed.diagnostics = self.rename(error.place), diagnostics
        raise renamed from None


def _text(value):
    return "" if value is None else str(value)


class _Progress:
    """`progress` as the engine calls it: a callable, True (tqdm, or a line on standard error), or None."""

    def __init__(self, progress, unit):
        self.callback, self.bar = None, None
        if callable(progress):
            self.callback = progress
        elif progress:
            try:
                from tqdm.auto import tqdm
                self._tqdm = tqdm
                self.unit = unit
                self.callback = self._update_tqdm
            except ImportError:
                import sys
                self.callback = lambda done, total: print(f"\r{done}/{total} {unit}", end="\n" if done == total
                                                          else "", file=sys.stderr, flush=True)

    def _update_tqdm(self, done, total):
        if self.bar is None:
            self.bar = self._tqdm(total=total, unit=self.unit)
        self.bar.update(done - self.bar.n)
        if done == total:
            self.bar.close()

    def __call__(self):
        return self.callback


class _Output:
    """Where a result goes: `out`, or a temporary directory that lives as long as the result."""

    def __init__(self, out, name):
        self.tmp = None
        if out is None:
            self.tmp = _tempfile.TemporaryDirectory(prefix="civitas-")
            self.path = _os.path.join(self.tmp.name, name)
        else:
            self.path = _os.fspath(out)


# ---- results --------------------------------------------------------------------------------------------
class Verification(dict):
    """The report of `civitas verify` as a dict (ok, complete, reran, signature_checked, blocks_checked,
    blocks_planned, first_bad_step, first_bad_record, message), also readable as attributes; true when ok."""

    def __getattr__(self, name):
        try:
            return self[name]
        except KeyError:
            raise AttributeError(name) from None

    def __bool__(self):
        return bool(self.get("ok"))


class _Ledger:
    """The ledger of a run as DataFrames: headers (one row per block), transfers (every record, with
    --ledger full), lineage (every value lot)."""

    def __init__(self, reader):
        self._reader = reader

    @property
    def headers(self):
        """One row per sealed block (index step): counts, digests (hex), seal and each token's supply."""
        return self._reader.headers_frame()

    @property
    def transfers(self):
        """Every transfer record with its block's step and the reason and status names."""
        return self._reader.transfers_frame()

    @property
    def lineage(self):
        """Every value lot: its backing transfer, issuer, holder, amount, token and step."""
        return self._reader.lineage_frame()


class Run:
    """One run: its file (`path`, None for a run kept in memory), the engine's summary and readers."""

    def __init__(self, path, summary=None, keep=None):
        self.path = path
        self.summary = summary or {}
        self._keep = keep  # a temporary directory holding the file, removed with this object
        self._reader = RunFile(path) if path else None
        self._series = None

    def __repr__(self):
        return f"<civitas.Run {self.path or '(in memory)'} head {self.head[:16]}>"

    def _file(self):
        if self._reader is None:
            raise ValueError("this run was kept in memory (out=False): run it with a file to read its data")
        return self._reader

    @property
    def head(self):
        """The head hash (hex) of the last block, as `civitas run` prints it."""
        if self._reader is not None:
            return self._reader.head_hash()
        return self.summary.get("head_hash", "")

    @property
    def meta(self):
        """/meta's attributes: scenario (canonical TOML), scenario_name, seed, engine_version, ..."""
        return self._file().meta

    @property
    def scenario(self):
        """The run's scenario as canonical TOML text (with every override applied)."""
        return self.meta.get("scenario", "")

    @property
    def series(self):
        """The metrics, one row per sealed block (a DataFrame indexed by step, block 0 = genesis)."""
        if self._series is None:
            self._series = self._file().series_frame()
        return self._series

    def agents(self, step=None):
        """One row per agent at snapshot `step` (default the last): kind, value_<dimension>,
        balance_<token>, score_<column>."""
        return self._file().agents(step)

    @property
    def snapshot_steps(self):
        """The steps at which agents were snapshotted."""
        return self._file().snapshot_steps()

    def network(self, kind="social", edges=False):
        """The `social` or `supply` network: a networkx DiGraph of agents (node attribute `kind`, its name), or its
        edges as a DataFrame (source, target) with edges=True."""
        frame = self._file().edges(kind)
        if edges:
            return frame
        import networkx as nx  # Debian python3-networkx
        graph = nx.DiGraph(name=kind)
        kinds = self._file()._file["/agents/kind"][:]
        graph.add_nodes_from((i, {"kind": k}) for i, k in enumerate(files.kind_names(kinds)))
        graph.add_edges_from(zip(frame["source"].tolist(), frame["target"].tolist()))
        return graph

    @property
    def ledger(self):
        """The ledger as DataFrames: `.headers`, `.transfers`, `.lineage`."""
        return _Ledger(self._file())

    def verify(self, replay=False, key=None, threads=0):
        """`civitas verify` on the run's file: a Verification (true when the file checks out)."""
        return verify(self._file().path, replay=replay, key=key, threads=threads)

    def to_xarray(self):
        """The run as an xarray Dataset: every metric over `step`, the agents' balances and scores over
        (snapshot, agent, token|score), the agents' kinds, and /meta's scalar attributes."""
        import xarray as xr  # Debian python3-xarray
        reader = self._file()
        series = self.series
        data = {c: ("step", series[c].to_numpy()) for c in series.columns}
        ag = reader._file["/agents"]
        coords = {"step": series.index.to_numpy(), "agent": range(ag["kind"].shape[0]), "token": reader.tokens}
        data["kind"] = ("agent", ag["kind"][:])  # codes: files.AGENT_KINDS
        steps = reader.snapshot_steps()
        if steps:
            coords["snapshot"] = steps
            data["balance"] = (("snapshot", "agent", "token"), ag["balances"][:len(steps)])
            if "scores" in ag:
                names = files._text(ag["score_columns"][:])
                coords["score"] = names
                data["score_value"] = (("snapshot", "agent", "score"), ag["scores"][:len(steps)])
        attrs = {k: v for k, v in reader.meta.items() if isinstance(v, (str, int, float))}
        return xr.Dataset(data, coords=coords, attrs=attrs)

    def close(self):
        """Closes the file (a temporary one is removed when the Run is garbage-collected)."""
        if self._reader is not None:
            self._reader.close()


class Study:
    """A comparison or sweep: tidy DataFrames (typed parameter columns named without dots, e.g.
    society_alpha, governance_regime) and the paired statistics."""

    def __init__(self, path, kind=None, metrics=None, keep=None):
        self.path = path
        self._keep = keep
        self.file = SweepFile(path)
        self.kind = kind or ("compare" if self.file.keys == ["governance.regime"] else "sweep")
        self._metrics = metrics
        self._cache = {}

    def __repr__(self):
        return f"<civitas.Study {self.kind} {self.path}: {len(self.file.runs)} runs>"

    @property
    def params(self):
        """The grid's parameter columns (names without dots)."""
        return [column_name(k) for k in self.file.keys]

    @property
    def runs(self):
        """One row per run: run_id, point, replicate, seed, head_hash and the typed parameters."""
        return self._cached("runs", self.file.tidy_runs)

    @property
    def series(self):
        """One row per (run, step): the run's id, point, replicate, seed, parameters, step and metrics."""
        return self._cached("series", self.file.tidy)

    @property
    def final(self):
        """One row per run: its parameters and each metric's end value (mean over the summary window)."""
        return self._cached("final", self.file.tidy_final)

    @property
    def table(self):
        """The paired statistics, one row per (metric, point): mean, half_width, n and, against the first
        point, diff_mean, diff_half_width, pairs, p_value, p_holm, significant, min_detectable_diff,
        replicates_needed; with the point's parameter values."""
        def make():
            if self.kind == "compare":
                metrics = files.COMPARISON_METRICS
            else:
                metrics = [(m, m, "end") for m in (self._metrics or self.file.metrics)]
            present = [m for m in metrics if m[1] in self.file.metrics]
            table = self.file.table(present)
            points = self.runs.drop_duplicates("point").set_index("point")[self.params]
            return table.merge(points, left_on="point", right_index=True, how="left")
        return self._cached("table", make)

    def _cached(self, key, make):
        if key not in self._cache:
            self._cache[key] = make()
        return self._cache[key]


class Sensitivity:
    """A sensitivity study: `indices` (Morris mu*/sigma or Sobol' S1/ST per metric and parameter),
    `design` (one row per design point) and `runs`."""

    def __init__(self, path, keep=None):
        self.path = path
        self._keep = keep
        self.file = SensitivityFile(path)
        self.method = self.file.method

    def __repr__(self):
        return f"<civitas.Sensitivity {self.method} {self.path}>"

    @property
    def indices(self):
        """One row per (metric, parameter) with the method's indices and their 95% bootstrap intervals."""
        return self.file.indices()

    @property
    def design(self):
        """One row per design point: the parameter values run and each metric's output."""
        return self.file.design()

    @property
    def runs(self):
        """One row per run: run_id, point, replicate, seed, head_hash, metric_<METRIC>."""
        return self.file.runs()


# ---- the functions --------------------------------------------------------------------------------------
def run(scenario="society/default", seed=None, steps=None, out=None, threads=0, progress=None, ledger=None,
        sign=None, set=None, **overrides):
    """Run a scenario (a file or a shipped name such as "society/default") and return a Run.

    seed, steps: as --seed and --steps; overrides: keyword arguments with `__` for dots
    (``society__alpha=0.5``) or ``set={"society.alpha": 0.5}``; out: the HDF5 run file to write (default a
    temporary file removed with the Run; False: no file, only the summary and head hash); threads: worker
    threads (0: every core; results never depend on it); ledger: "full" or "headers"; sign: an Ed25519
    private key (PEM) to sign the head; progress: progress(done, total) after each step, or True."""
    engine = _need_engine()
    output = None if out is False else _Output(out, "run.h5")
    overrides_ = _overrides(set, overrides)
    with _NamedOverrides(overrides_):
        summary = engine.run(_os.fspath(scenario), overrides_, _text(seed), _text(steps),
                             output.path if output else "", threads, _text(ledger), _text(sign),
                             _Progress(progress, "steps")())
    return Run(output.path if output else None, summary, keep=output.tmp if output else None)


def compare(scenario="society/default", regimes=None, replicates=5, seed=None, steps=None, out=None, report=None,
            threads=0, progress=None, set=None, **overrides):
    """`civitas compare`: the same society under each regime (default all four), `replicates` runs each on
    seeds base..base+R-1. Returns a Study (`.final`, `.series`, `.runs`, `.table`); out: the HDF5 file
    (default temporary), report: PREFIX for PREFIX.csv/.md (a named `out` gets them beside it)."""
    engine = _need_engine()
    output = _Output(out, "compare.h5")
    if isinstance(regimes, (list, tuple)):
        regimes = ",".join(regimes)
    overrides_ = _overrides(set, overrides)
    with _NamedOverrides(overrides_):
        path = engine.compare(_os.fspath(scenario), overrides_, _text(seed), _text(steps), _text(regimes),
                              replicates, threads, output.path, _text(report), _Progress(progress, "runs")())
    return Study(path, "compare", keep=output.tmp)


def sweep(scenario, grid, replicates=1, zip=False, metrics=None, seed=None, steps=None, out=None, report=None,
          threads=0, progress=None, set=None, **overrides):
    """`civitas sweep`: the scenario over a grid, `replicates` runs per point. grid: a dict
    ``{"society.alpha": [0.2, 0.5]}`` (or a "LO:HI:N" string per key), or a list of "KEY=V1,V2" strings;
    zip: pair the axes' i-th values instead of crossing them; metrics: the /series columns to tabulate
    (default every column). Returns a Study."""
    engine = _need_engine()
    output = _Output(out, "sweep.h5")
    if isinstance(grid, dict):
        grids = []
        for key, values in grid.items():
            text = values if isinstance(values, str) else ",".join(_toml(v) for v in values)
            grids.append(f"{key}={text}")
    elif isinstance(grid, str):
        grids = [grid]
    else:
        grids = list(grid)
    metrics = [metrics] if isinstance(metrics, str) else list(metrics or [])
    overrides_ = _overrides(set, overrides)
    with _NamedOverrides(overrides_):
        path = engine.sweep(_os.fspath(scenario), overrides_, _text(seed), _text(steps), grids, bool(zip),
                            metrics, replicates, threads, output.path, _text(report), _Progress(progress, "runs")())
    return Study(path, "sweep", metrics=metrics or None, keep=output.tmp)


def sensitivity(scenario, params, metrics, method="morris", samples=None, levels=4, replicates=1, window=0,
                resamples=1000, seed=None, steps=None, out=None, report=None, threads=0, progress=None,
                set=None, **overrides):
    """`civitas sensitivity`: Morris screening or Sobol' indices. params: a dict ``{"society.alpha": (0.1,
    0.9)}`` or a list of "KEY=LO:HI"; metrics: /series columns; samples: Morris trajectories (default 10) or
    Sobol' base samples (default 64); window: trailing steps averaged (0: the scenario's summary window).
    Returns a Sensitivity (`.indices`, `.design`, `.runs`)."""
    engine = _need_engine()
    output = _Output(out, "sensitivity.h5")
    if isinstance(params, dict):
        params = [f"{k}={_toml(lo)}:{_toml(hi)}" for k, (lo, hi) in params.items()]
    elif isinstance(params, str):
        params = [params]
    metrics = [metrics] if isinstance(metrics, str) else list(metrics)
    overrides_ = _overrides(set, overrides)
    with _NamedOverrides(overrides_):
        path = engine.sensitivity(_os.fspath(scenario), overrides_, _text(seed), _text(steps), method,
                                  list(params), metrics, samples or 0, levels, replicates, window, resamples,
                                  threads, output.path, _text(report), _Progress(progress, "runs")())
    return Sensitivity(path, keep=output.tmp)


def experiment(file=None, from_=None, out=None, report=None, threads=0, progress=None):
    """`civitas experiment`: a saved experiment (TOML, scenarios/experiments/README.md), or with from_ the
    experiment stored in an earlier output, re-run. Returns a Study or a Sensitivity, by the experiment."""
    engine = _need_engine()
    output = _Output(out, "experiment.h5")
    path = engine.experiment(_text(file and _os.fspath(file)), _text(from_ and _os.fspath(from_)), output.path,
                             _text(report), threads, _Progress(progress, "runs")())
    result = open(path)
    result._keep = output.tmp
    return result


def open(path):
    """Open any Civitas file: a run (Run), a comparison or sweep (Study) or a sensitivity study
    (Sensitivity), also a `.partial` still being written or left by a killed run."""
    path = _os.fspath(path)
    kind = files.kind_of(path)
    if kind == "run":
        return Run(path)
    if kind == "sensitivity":
        return Sensitivity(path)
    return Study(path)


def params(section=None, scenario=None):
    """The parameter schema as a DataFrame (index path): table, type, default (TOML text), range, unit, doc,
    source. section: only the parameters under that table ("society", "daf", ...); scenario: add a column
    `value`, the value that scenario gives (e.g. "society/default", what civitas.run runs by default)."""
    import pandas as pd
    frame = pd.DataFrame(_need_engine().params(_text(scenario and _os.fspath(scenario)))).set_index("path")
    if section:
        frame = frame[(frame.index == section) | frame.index.str.startswith(section.rstrip(".") + ".")]
    return frame


def verify(path, replay=False, key=None, threads=0):
    """`civitas verify`: recompute every hash and invariant of a run file (replay: also re-run the
    scenario and compare everything; key: require a signature by this Ed25519 public key). Returns a
    Verification; raises DataError when the file cannot be read at all."""
    path = _os.fspath(path)
    with files.released(path):
        return Verification(_need_engine().verify(path, replay, _text(key), threads))


def scenarios():
    """The shipped scenarios' names (as `civitas scenarios` lists them; experiments left out)."""
    root = _need_engine().scenario_directory()
    names = []
    for folder, _, found in _os.walk(root):
        for f in found:
            rel = _os.path.relpath(_os.path.join(folder, f), root)
            if f.endswith(".toml") and not rel.startswith("experiments"):
                names.append(rel[:-5])
    return sorted(names)

"""civitas.run and the Run it returns: series, agents, network, ledger, head, verify, to_xarray; the head
hash equals the CLI's for the same scenario, seed and overrides; overrides as keywords and as a dict."""
import os
import sys

import civitas
import networkx as nx
import pandas as pd
from support import SMALL, SMALL_SETS, Checks, cli, head_of, tmpdir


def same_hash_as_cli(c):
    with tmpdir() as tmp:
        out = os.path.join(tmp, "cli.h5")
        cli("run", "society/default", "--seed", 11, "--steps", 12, *SMALL_SETS, "--set", "society.alpha=0.5",
            "--quiet", "--out", out)
        r = civitas.run("society/default", seed=11, steps=12, set=SMALL, society__alpha=0.5, threads=2)
        c.check(r.head == head_of(out), f"python head {r.head} != CLI head {head_of(out)}")
        c.check(len(r.head) == 64, "the head is a 64-digit hex hash")
        mem = civitas.run("society/default", seed=11, steps=12, set=SMALL, society__alpha=0.5, out=False)
        c.check(mem.path is None and mem.head == r.head, "a run in memory (out=False) has the same head")
        other = civitas.run("society/default", seed=12, steps=12, set=SMALL, society__alpha=0.5)
        c.check(other.head != r.head, "another seed, another head")
        # A named output is the CLI's file, byte for byte but for /meta's start time: same seal.
        named = os.path.join(tmp, "py.h5")
        r2 = civitas.run("society/default", seed=11, steps=12, set=SMALL, society__alpha=0.5, out=named)
        c.check(r2.path == named and os.path.exists(named), "out= writes the named file")
        c.check(r2.summary["file_seal"] and r2.meta["file_seal"] == r2.summary["file_seal"], "seal in the summary")
        c.check(head_of(named) == r.head, "the CLI reads the Python file's head")


def the_run(c):
    calls = []
    r = civitas.run("society/default", seed=3, steps=10, set=SMALL, progress=lambda d, t: calls.append((d, t)))
    c.check(calls and calls[-1] == (10, 10), f"progress called up to (10, 10): {calls[-3:]}")
    s = r.series
    c.check(isinstance(s, pd.DataFrame) and s.index.name == "step", "series is a DataFrame indexed by step")
    c.check(list(s.index) == list(range(11)), "one row per block 0..10")
    c.check("gini_cash" in s.columns and s["gini_cash"].notna().any(), "series has gini_cash")
    a = r.agents()
    c.check(isinstance(a, pd.DataFrame) and "kind" in a and "balance_cash" in a, f"agents columns {list(a)[:8]}")
    c.check(len(a) >= 200, "one row per agent")
    c.check(any(col.startswith("value_") for col in a) and any(col.startswith("score_") for col in a),
            "agents have values and scores")
    steps = r.snapshot_steps
    c.check(steps and a.attrs["step"] == steps[-1], "default snapshot is the last")
    c.check(len(r.agents(step=steps[0])) == len(a), "agents(step=) reads an earlier snapshot")
    try:
        r.agents(step=999)
        c.check(False, "agents at a step without a snapshot raises KeyError")
    except KeyError:
        c.check(True, "")
    g = r.network("social")
    c.check(isinstance(g, nx.DiGraph) and g.number_of_nodes() == len(a), "social network as a graph")
    e = r.network("social", edges=True)
    c.check(list(e.columns) == ["source", "target"] and len(e) == g.number_of_edges() > 0, "edges DataFrame")
    c.check(isinstance(r.network("supply", edges=True), pd.DataFrame), "supply network")
    h = r.ledger.headers
    c.check(len(h) == 11 and h.index.name == "step" and "supply_cash" in h, "ledger headers")
    c.check(h["hash"].iloc[-1] == r.head, "the last header's hash is the head")
    t = r.ledger.transfers
    c.check(len(t) == int(h["transfer_count"].sum()) and "reason_name" in t, "ledger transfers")
    c.check(isinstance(r.ledger.lineage, pd.DataFrame), "ledger lineage")
    v = r.verify()
    c.check(v.ok and v["complete"] and bool(v), f"verify: {v}")
    x = r.to_xarray()
    c.check("gini_cash" in x and x.sizes["step"] == 11 and "balance" in x, "to_xarray")
    c.check("society.alpha" not in r.scenario or "alpha" in r.scenario, "scenario text")


def overrides(c):
    r = civitas.run("society/default", steps=4, set=SMALL, society__income_tax=0.3, out=False)
    f = civitas.run("society/default", steps=4, set=dict(SMALL, **{"society.income_tax": 0.3}))
    c.check(r.head == f.head, "keyword and dict overrides are the same override")
    c.check("income_tax = 0.3" in f.scenario, "the override is in the scenario")
    c.check(civitas.run("society/default", steps=4, set=SMALL, out=False).head != r.head, "overrides matter")


def progress_bar(c):
    # progress=True: a tqdm bar when tqdm is installed, else a line on standard error; never an error.
    import contextlib
    import io
    err = io.StringIO()
    with contextlib.redirect_stderr(err):
        r = civitas.run("society/default", steps=3, set=SMALL, out=False, progress=True)
    c.check(len(r.head) == 64 and "3" in err.getvalue(), f"progress=True reports: {err.getvalue()[-80:]!r}")

    def fail(done, total):
        raise RuntimeError("stop")
    try:
        civitas.run("society/default", steps=3, set=SMALL, out=False, progress=fail)
        c.check(False, "an exception in the progress callback is raised")
    except RuntimeError as e:
        c.check(str(e) == "stop", "the callback's own exception")


if __name__ == "__main__":
    sys.exit(Checks().run(same_hash_as_cli, the_run, overrides, progress_bar))

"""civitas.compare, sweep, sensitivity and experiment: tidy DataFrames (typed parameter columns without
dots, usable in df.query), the paired statistics table, and the same runs (head hashes) as the CLI's."""
import os
import sys

import civitas
import numpy as np
import pandas as pd
from support import SMALL, SMALL_SETS, Checks, cli, tmpdir


def compare(c):
    with tmpdir() as tmp:
        out = os.path.join(tmp, "py-compare.h5")
        calls = []
        s = civitas.compare("society/default", regimes=["market", "daf"], replicates=2, seed=5, steps=8, set=SMALL,
                            out=out, progress=lambda d, t: calls.append((d, t)))
        c.check(calls and calls[-1] == (4, 4), f"progress per run: {calls}")
        c.check(os.path.exists(out) and os.path.exists(out[:-3] + ".csv"), "compare writes FILE and FILE.csv")
        cli_out = os.path.join(tmp, "cli-compare.h5")
        cli("compare", "society/default", "--regimes", "market,daf", "--replicates", 2, "--seed", 5, "--steps", 8,
            *SMALL_SETS, "--quiet", "--out", cli_out)
        theirs = civitas.open(cli_out)
        c.check(isinstance(theirs, civitas.Study) and theirs.kind == "compare", "open() a comparison")
        c.check(list(s.runs["head_hash"]) == list(theirs.runs["head_hash"]), "same runs as `civitas compare`")
        f = s.final
        c.check("governance_regime" in f and len(f) == 4, f"final columns {list(f.columns)[:8]}")
        c.check(len(f.query("governance_regime == 'daf'")) == 2, "df.query on the regime column")
        t = s.table
        c.check({"metric", "mean", "half_width", "diff_mean", "p_holm", "governance_regime"} <= set(t.columns),
                f"table columns {list(t.columns)}")
        daf = t[(t.metric == "gini_cash") & (t.governance_regime == "daf")]
        c.check(len(daf) == 1 and np.isfinite(daf["diff_mean"].iloc[0]), "a paired difference against market")
        c.check(s.params == ["governance_regime"], "params")
        ser = s.series
        c.check(len(ser) == 4 * 9 and {"run_id", "step", "gini_cash", "governance_regime"} <= set(ser.columns),
                "series: one row per run and step")


def sweep(c):
    s = civitas.sweep("society/default", {"society.alpha": [0.5, 1.0]}, replicates=2, steps=6, seed=2, set=SMALL,
                      metrics=["gini_cash", "total_value"])
    r = s.runs
    c.check(r["society_alpha"].dtype == np.float64, f"numeric parameter column: {r.dtypes.to_dict()}")
    c.check(len(s.final.query("society_alpha > 0.7")) == 2, "df.query on a numeric parameter")
    c.check(set(s.table["metric"]) == {"gini_cash", "total_value"}, "the table's metrics are those asked for")
    z = civitas.sweep("society/default", ["society.alpha=0.5,1.0", "society.income_tax=0.1,0.2"], zip=True,
                      steps=4, set=SMALL, metrics="gini_cash")
    c.check(len(z.runs) == 2 and list(z.runs["society_income_tax"]) == [0.1, 0.2], "zipped grids")
    with tmpdir() as tmp:
        out = os.path.join(tmp, "cli-sweep.h5")
        cli("sweep", "society/default", "--grid", "society.alpha=0.5,1.0", "--replicates", 2, "--steps", 6,
            "--seed", 2, *SMALL_SETS, "--metric", "gini_cash", "--metric", "total_value", "--quiet", "--out", out)
        c.check(list(civitas.open(out).runs["head_hash"]) == list(r["head_hash"]), "same runs as `civitas sweep`")


def sensitivity(c):
    s = civitas.sensitivity("society/default", {"society.alpha": (0.5, 1.5), "society.income_tax": (0.1, 0.3)},
                            ["gini_cash"], samples=2, steps=5, set=SMALL)
    ix = s.indices
    c.check(isinstance(s, civitas.Sensitivity) and s.method == "morris", "a Morris study")
    c.check(set(ix["column"]) == {"society_alpha", "society_income_tax"} and "mu_star" in ix, f"indices {ix}")
    d = s.design
    c.check({"society_alpha", "society_income_tax", "gini_cash"} <= set(d.columns), f"design {list(d.columns)}")
    c.check(len(s.runs) == len(d), "one run per design point")
    sob = civitas.sensitivity("society/default", ["society.alpha=0.5:1.5"], "gini_cash", method="sobol", samples=4,
                              steps=4, set=SMALL, resamples=100)
    c.check("S1" in sob.indices and "ST" in sob.indices, "a Sobol' study")


def experiment(c):
    with tmpdir() as tmp:
        path = os.path.join(tmp, "x.toml")
        with open(path, "w") as f:
            f.write('name = "x"\nscenario = "society/default"\nreplicates = 2\nseed = 3\nsteps = 5\n'
                    'metrics = ["gini_cash"]\n[overrides]\npopulation.citizens = 200\npopulation.firms = 12\n'
                    'population.charities = 3\n[sweep.grid]\n"society.alpha" = [0.5, 1.0]\n')
        x = civitas.experiment(path, out=os.path.join(tmp, "x.h5"))
        c.check(isinstance(x, civitas.Study) and len(x.runs) == 4, f"an experiment's study: {x}")
        again = civitas.experiment(from_=os.path.join(tmp, "x.h5"), out=os.path.join(tmp, "again.h5"))
        c.check(list(again.runs["head_hash"]) == list(x.runs["head_hash"]), "re-run from the output")
        cli("experiment", path, "--quiet", "--out", os.path.join(tmp, "cli.h5"))
        c.check(list(civitas.open(os.path.join(tmp, "cli.h5")).runs["head_hash"]) == list(x.runs["head_hash"]),
                "same runs as `civitas experiment`")


def params(c):
    p = civitas.params()
    c.check(isinstance(p, pd.DataFrame) and "society.alpha" in p.index, "params() indexed by path")
    c.check({"type", "default", "range", "unit", "doc"} <= set(p.columns), f"params columns {list(p.columns)}")
    soc = civitas.params("society")
    c.check(len(soc) > 0 and all(i.startswith("society.") for i in soc.index), "params(section)")
    v = civitas.params("population", scenario="society/default")
    c.check(v.loc["population.citizens", "value"] == "10000" and "value" not in p, "params(scenario=)")
    c.check("society/default" in civitas.scenarios(), "scenarios()")
    c.check(civitas.version and civitas.version in cli("--version").stdout, "version")


if __name__ == "__main__":
    sys.exit(Checks().run(compare, sweep, sensitivity, experiment, params))

"""A comparison's table is reproduced from its HDF5 file by an independent computation (numpy + scipy),
and the plotting script turns the file into real PNG figures (run by ctest)."""
import csv
import math
import os
import subprocess
import sys
import tempfile

import numpy as np
from scipy import stats

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "analysis"))
import civitas_sweep  # noqa: E402

# (label in the table, column, how each run is summarised) as `civitas compare` defines them.
TABLE = [("gini_cash", "gini_cash", "final"), ("gini_total", "gini_total", "final"),
         ("total_value", "total_value", "final"), ("good_deeds_per_capita_step", "deeds_verified", "per_citizen"),
         ("welfare_per_step", "welfare", "mean"), ("sanctions_per_step", "sanctions", "mean"),
         ("rejected_per_step", "rejected", "mean")]
CITIZENS = 800


def per_run(series, column, how):
    values = {}
    for run_id, group in series.groupby("run_id"):
        group = group.sort_values("step")
        if how == "final":
            values[run_id] = group[column].iloc[-1]
        else:
            later = group[group["step"] >= 1][column].to_numpy(dtype=float)
            later = later[np.isfinite(later)]
            mean = later.mean() if len(later) else math.nan
            values[run_id] = mean / CITIZENS if how == "per_citizen" else mean
    return values


def main(binary):
    failures = checks = 0
    with tempfile.TemporaryDirectory() as tmp:
        out, report = os.path.join(tmp, "cmp.h5"), os.path.join(tmp, "cmp")
        subprocess.run([binary, "compare", "society/default", "--regimes", "market,social_credit,daf", "--replicates", "3",
                        "--steps", "12", "--set", f"population.citizens={CITIZENS}", "--set", "population.firms=16",
                        "--set", "population.charities=4", "--quiet", "--out", out, "--report", report], check=True)
        sweep = civitas_sweep.SweepFile(out)
        runs = sweep.runs
        with open(report + ".csv") as f:
            table = {(row["metric"], row["group"]): row for row in csv.DictReader(f)}
        for label, column, how in TABLE:
            values = per_run(sweep.series, column, how)
            for point, group in runs.groupby("point"):
                regime = group["param_governance.regime"].iloc[0]
                v = np.array([values[r] for r in group["run_id"]], dtype=float)
                v = v[np.isfinite(v)]
                mean = v.mean()
                half = stats.t.ppf(0.975, len(v) - 1) * v.std(ddof=1) / math.sqrt(len(v))
                row = table[(label, regime)]
                for name, mine, theirs in (("mean", mean, row["mean"]), ("ci_low", mean - half, row["ci_low"]),
                                           ("ci_high", mean + half, row["ci_high"])):
                    checks += 1
                    if not math.isclose(mine, float(theirs), rel_tol=1e-5, abs_tol=1e-9):
                        print(f"FAIL {label} {regime} {name}: recomputed {mine} != table {theirs}")
                        failures += 1
        # The reader's own summary agrees with the table too (the sanity of the reader itself).
        s = sweep.summary("gini_cash")
        checks += 1
        if not math.isclose(s["mean"].iloc[0], float(table[("gini_cash", "market")]["mean"]), rel_tol=1e-5):
            print("FAIL reader summary of gini_cash")
            failures += 1

        figures = os.path.join(tmp, "figures")
        printed = subprocess.run([sys.executable, os.path.join(os.path.dirname(__file__), "..", "..", "analysis",
                                                               "plot_sweep.py"), out, figures, "gini_cash", "sanctions"],
                                 check=True, capture_output=True, text=True).stdout.split()
        for path in printed:
            checks += 1
            with open(path, "rb") as f:
                data = f.read()
            if not data.startswith(b"\x89PNG\r\n\x1a\n") or len(data) < 5000:
                print(f"FAIL {path}: not a real PNG ({len(data)} bytes)")
                failures += 1
        checks += 1
        if len(printed) != 4:
            print(f"FAIL expected 4 figures, got {printed}")
            failures += 1
        bad = subprocess.run([sys.executable, os.path.join(os.path.dirname(__file__), "..", "..", "analysis",
                                                           "plot_sweep.py"), out, figures, "no_such_metric"],
                             capture_output=True, text=True)
        checks += 1
        if bad.returncode != 2 or "no_such_metric" not in bad.stderr:
            print("FAIL an unknown metric should exit 2 naming it")
            failures += 1
    print(f"{checks - failures}/{checks} checks passed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))

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

# (label in the table, column, how each run is summarised) as `civitas compare` defines them (all of them:
# Holm's correction runs over the whole family).
TABLE = [("gini_cash", "gini_cash", "end"), ("gini_value", "gini_value", "end"),
         ("gini_total", "gini_total", "end"), ("total_value", "total_value", "end"),
         ("mean_se_firms", "mean_se_firms", "end"), ("firm_wage", "firm_wage", "end"),
         ("firm_conduct", "firm_conduct", "end"), ("firm_csr_share", "firm_csr_share", "end"),
         ("share_red", "share_red", "end"),
         ("share_amber", "share_amber", "end"), ("share_green", "share_green", "end"),
         ("good_deeds_per_capita_step", "deeds_verified", "mean_per_citizen"),
         ("deeds_done_per_capita_step", "deeds_done", "mean_per_citizen"),
         ("misconduct_per_capita_step", "misconduct", "mean_per_citizen"),
         ("donation_rate", "donation_rate", "mean"), ("consent_rate", "consent_rate", "end"),
         ("trips_per_capita_step", "trips", "mean_per_citizen"), ("fraud_rate", "fraud_rate", "mean"),
         ("turnout", "turnout", "mean"),
         ("stolen_per_step", "stolen", "mean"), ("welfare_per_step", "welfare", "mean"),
         ("sanctions_per_step", "sanctions", "mean"), ("treasury_efficiency", "treasury_efficiency", "end"),
         ("rejected_per_step", "rejected", "mean")]
CITIZENS = 800
STEPS = 12


def per_run(series, column, how):
    """Independent of the reader: the end value is the mean of the last quarter (3 of 12 steps)."""
    values = {}
    for run_id, group in series.groupby("run_id"):
        group = group.sort_values("step")
        if column not in group:  # only under a rule these runs do not use: n/a in the table
            values[run_id] = math.nan
            continue
        first = STEPS - STEPS // 4 + 1 if how == "end" else 1
        later = group[group["step"] >= first][column].to_numpy(dtype=float)
        later = later[np.isfinite(later)]
        mean = later.mean() if len(later) else math.nan
        values[run_id] = mean / CITIZENS if how == "mean_per_citizen" else mean
    return values


def close(mine, theirs):
    if theirs in ("", "n/a"):
        return not np.isfinite(mine) or mine == 0
    return math.isclose(float(mine), float(theirs), rel_tol=1e-5, abs_tol=1e-9)


def main(binary):
    failures = checks = 0
    with tempfile.TemporaryDirectory() as tmp:
        out, report = os.path.join(tmp, "cmp.h5"), os.path.join(tmp, "cmp")
        subprocess.run([binary, "compare", "society/default", "--regimes", "market,social_credit,daf", "--replicates", "3",
                        "--steps", str(STEPS), "--set", f"population.citizens={CITIZENS}", "--set", "population.firms=16",
                        "--set", "population.charities=4", "--set", f"daf.voters={CITIZENS}", "--quiet", "--out", out, "--report", report], check=True)
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
                row = table[(label, regime)]
                if len(v) < 2:  # a metric the regime does not have (treasury_efficiency under market)
                    checks += 1
                    if row["mean"] != "n/a" and len(v) == 0:
                        print(f"FAIL {label} {regime}: no values, table says {row['mean']}")
                        failures += 1
                    continue
                mean = v.mean()
                half = stats.t.ppf(0.975, len(v) - 1) * v.std(ddof=1) / math.sqrt(len(v))
                for name, mine, theirs in (("mean", mean, row["mean"]), ("ci_low", mean - half, row["ci_low"]),
                                           ("ci_high", mean + half, row["ci_high"])):
                    checks += 1
                    if not close(mine, theirs):
                        print(f"FAIL {label} {regime} {name}: recomputed {mine} != table {theirs}")
                        failures += 1
        # The reader's comparison table (levels, paired differences, Holm, power) reproduces the engine's.
        mine = sweep.table(TABLE)
        regimes = {p: g["param_governance.regime"].iloc[0] for p, g in runs.groupby("point")}
        for _, row in mine.iterrows():
            theirs = table[(row["metric"], regimes[row["point"]])]
            fields = [("mean", "mean"), ("n", "n")]
            if row["point"] != 0:
                fields += [("diff_mean", "diff_mean"), ("pairs", "pairs"), ("p_value", "p_value"),
                           ("p_holm", "p_holm"), ("min_detectable_diff", "min_detectable_diff"),
                           ("replicates_needed", "replicates_needed")]
                checks += 1
                if (theirs["significant"] == "yes") != bool(row["significant"]):
                    print(f"FAIL {row['metric']} {regimes[row['point']]} significant: reader {row['significant']} "
                          f"!= table {theirs['significant']}")
                    failures += 1
            for mine_name, their_name in fields:
                checks += 1
                if not close(row[mine_name], theirs[their_name]):
                    print(f"FAIL {row['metric']} {regimes[row['point']]} {their_name}: reader {row[mine_name]} "
                          f"!= table {theirs[their_name]}")
                    failures += 1
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
        expected = [f"{m}-{kind}.png" for m in ("gini_cash", "sanctions") for kind in ("time", "final", "paired")]
        if [os.path.basename(p) for p in printed] != expected:
            print(f"FAIL expected the figures {expected}, got {printed}")
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

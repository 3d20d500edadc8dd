"""The calibrated UK society (scenarios/calibrated/uk.toml) lands within a stated tolerance of each UK target
in data/uk_targets.csv, run by the real `civitas` binary and read back from the HDF5 file it writes:

- for each seed, the value of a metric is its mean over the last year (output.summary_window = 52 of 156
  weekly steps: two years of burn-in);
- the mean over the seeds must lie within TOLERANCE of the target;
- the convergence diagnostic (civitas_run.steady_state: relative drift between the means of the last two
  quarters of the run) is printed for every metric and seed, and must be below its threshold."""
import csv
import os
import subprocess
import sys
import tempfile

import numpy as np

ROOT = os.path.join(os.path.dirname(__file__), "..", "..")
sys.path.insert(0, os.path.join(ROOT, "analysis"))
import civitas_run  # noqa: E402

SCENARIO = os.path.join(ROOT, "scenarios", "calibrated", "uk.toml")
SEEDS = (1, 2, 3)
WINDOW = 52  # the last year of weekly steps
TOLERANCE = {"gini_income_net": 0.03, "gini_wealth": 0.05, "earnings_p90_p10": 0.4}
DRIFT = 0.05  # steady state: last two quarters' means within 5% of each other


def main(binary):
    with open(os.path.join(ROOT, "data", "uk_targets.csv")) as f:
        targets = {r["metric"]: float(r["target"]) for r in csv.DictReader(l for l in f if not l.startswith("#"))}
    values = {m: [] for m in TOLERANCE}
    failures, checks = [], 0
    with tempfile.TemporaryDirectory() as tmp:
        for seed in SEEDS:
            out = os.path.join(tmp, f"uk-{seed}.h5")
            subprocess.run([binary, "run", SCENARIO, "--seed", str(seed), "--ledger", "headers", "--quiet",
                            "--out", out], check=True)
            run = civitas_run.RunFile(out)
            for metric in TOLERANCE:
                series = run.series[metric]
                values[metric].append(float(np.nanmean(series[-WINDOW:])))
                drift, steady = civitas_run.steady_state(series, DRIFT)
                print(f"seed {seed} {metric}: last-year mean {values[metric][-1]:.3f}, drift {drift:.4f} "
                      f"({'steady' if steady else 'NOT steady'})")
                checks += 1
                if not steady:
                    failures.append(f"seed {seed}: {metric} not steady (drift {drift:.4f} >= {DRIFT})")
            run.close()
    for metric, tol in TOLERANCE.items():
        mean, target = float(np.mean(values[metric])), targets[metric]
        spread = float(np.std(values[metric], ddof=1)) if len(values[metric]) > 1 else 0.0
        print(f"{metric}: model {mean:.3f} (sd {spread:.3f} over seeds {SEEDS}), UK {target}, "
              f"tolerance ±{tol}")
        checks += 1
        if abs(mean - target) > tol:
            failures.append(f"{metric}: {mean:.3f} outside {target} ± {tol}")
    for failure in failures:
        print("FAIL " + failure)
    print(f"{checks - len(failures)}/{checks} checks passed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))

"""Read a Civitas sweep or comparison file (HDF5, long format) into pandas DataFrames.

    import civitas_sweep
    sweep = civitas_sweep.SweepFile("society-compare.h5")
    sweep.runs        # one row per run: run_id, point, replicate, seed, head_hash, param_<key> ...
    sweep.series      # one row per (run, step): run_id, step, every metric, and the run's parameters
    sweep.tidy()      # the same with typed parameter columns named without dots (society_alpha)
    sweep.final()     # one row per run: the metrics at its last step, with its parameters
    sweep.summary("gini_cash")  # per grid point: mean, 95% CI half-width (Student t), n, of the end value
    sweep.table([("gini_cash", "gini_cash", "end"), ("deeds", "deeds_done", "mean_per_citizen")])
                                # the comparison table: levels, paired differences against the first
                                # point, Holm-adjusted p-values, minimum detectable difference

The statistics are those `civitas compare` prints (the test tests/analysis/sweep_test.py checks that they
agree): a run's end value is the mean over its trailing window (/meta summary_window steps; 0 means the
last quarter of the run), replicate r of every point shares seed base + r, so points pair replicate by
replicate (paired t-test), and Holm's correction runs across the metrics within each point.

The readers live in the package civitas (python/civitas/files.py); this module re-exports them. Also a
command: `python3 analysis/civitas_sweep.py FILE` prints the per-point summary of every metric.
"""
import os
import sys

try:
    from civitas.files import SweepFile, _replicates_for, _text, holm, parse_value  # noqa: F401
except ImportError:
    sys.path.append(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "python"))
    from civitas.files import SweepFile, _replicates_for, _text, holm, parse_value  # noqa: F401

__all__ = ["SweepFile", "holm", "parse_value"]

if __name__ == "__main__":
    sweep = SweepFile(sys.argv[1])
    for m in sweep.metrics:
        print(m)
        print(sweep.summary(m).to_string(index=False))

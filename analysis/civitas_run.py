"""Read a Civitas run file (HDF5) from Python with h5py and numpy.

    import civitas_run
    run = civitas_run.RunFile("boltzmann.h5")
    run.series["gini_cash"]        # one value per block (block 0 = genesis)
    run.headers["hash"]            # 32-byte digests, one row per block
    run.summary()                  # the same facts `civitas inspect --json` prints
    civitas_run.steady_state(run.series["gini_wealth"])   # (drift of the last two quarters, steady?)

The readers live in the package civitas (python/civitas/files.py); this module re-exports them for the
scripts that import it from analysis/. Also a command: `python3 analysis/civitas_run.py RUN.h5` prints the
summary as JSON. A `.partial` file left by an interrupted run is opened in SWMR mode, as HDF5 requires.
"""
import json
import os
import sys

try:
    from civitas.files import RunFile, _plain, steady_state  # noqa: F401  (installed, or on PYTHONPATH)
except ImportError:
    sys.path.append(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "python"))
    from civitas.files import RunFile, _plain, steady_state  # noqa: F401

__all__ = ["RunFile", "steady_state"]

if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("usage: civitas_run.py RUN.h5")
    print(json.dumps(RunFile(sys.argv[1]).summary(), indent=2))

"""civitas.open for a run, a comparison, a sweep and a sensitivity file, and for a .partial still being
written and left by a killed run; exports to CSV and netCDF read back equal (also `python3 -m civitas
export`); analysis/civitas_run.py and civitas_sweep.py re-export the package's readers."""
import os
import signal
import subprocess
import sys
import time

import civitas
import numpy as np
import pandas as pd
import xarray as xr
from civitas import export
from support import SMALL, SMALL_SETS, Checks, binary, cli, tmpdir

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "analysis"))


def open_any(c):
    with tmpdir() as tmp:
        out = os.path.join(tmp, "run.h5")
        cli("run", "society/default", "--steps", 6, *SMALL_SETS, "--quiet", "--out", out)
        r = civitas.open(out)
        c.check(isinstance(r, civitas.Run) and len(r.series) == 7, "open() a run file")
        c.check(r.verify().ok, "verify an opened run (the reader stays usable)")
        c.check(len(r.series) == 7 and len(r.agents()) > 0, "the run reads after verify")
        s = civitas.sweep("society/default", {"society.alpha": [0.5, 1.0]}, steps=3, set=SMALL, metrics=["gini_cash"],
                          out=os.path.join(tmp, "sweep.h5"))
        c.check(isinstance(civitas.open(s.path), civitas.Study), "open() a sweep")
        z = civitas.sensitivity("society/default", {"society.alpha": (0.5, 1.5)}, ["gini_cash"], samples=2,
                                steps=3, set=SMALL, out=os.path.join(tmp, "sens.h5"))
        c.check(isinstance(civitas.open(z.path), civitas.Sensitivity), "open() a sensitivity study")
        try:
            bad = os.path.join(tmp, "other.h5")
            import h5py
            with h5py.File(bad, "w") as f:
                f["x"] = [1]
            civitas.open(bad)
            c.check(False, "open() of a foreign HDF5 file raises")
        except ValueError:
            c.check(True, "")


def partial(c):
    with tmpdir() as tmp:
        out = os.path.join(tmp, "long.h5")
        p = subprocess.Popen([binary(), "run", "society/default", "--steps", "200000", *SMALL_SETS, "--quiet",
                              "--threads", "1", "--out", out])
        try:
            deadline = time.monotonic() + 60
            steps = 0
            while time.monotonic() < deadline and steps < 5:
                time.sleep(0.2)
                if os.path.exists(out + ".partial"):
                    try:
                        steps = len(civitas.open(out + ".partial").series)
                    except OSError:
                        pass
            c.check(steps >= 5, f"a .partial being written reads: {steps} blocks")
            live = civitas.open(out + ".partial")
            c.check(isinstance(live, civitas.Run) and len(live.agents()) > 0, "agents of a live .partial")
            live.close()
        finally:
            p.send_signal(signal.SIGKILL)
            p.wait()
        left = civitas.open(out + ".partial")
        c.check(len(left.series) >= steps and not left.meta.get("complete", 0), "a killed run's .partial reads")
        c.check(len(left.ledger.headers) == len(left.series), "its headers and series agree")


def exports(c):
    with tmpdir() as tmp:
        r = civitas.run("society/default", steps=5, set=SMALL, out=os.path.join(tmp, "run.h5"))
        csv = export.export(r.path, "csv")
        c.check(csv == os.path.join(tmp, "run.csv"), f"default CSV name {csv}")
        back = pd.read_csv(csv, float_precision="round_trip").set_index("step")
        c.check(np.allclose(back.to_numpy(float), r.series.to_numpy(float), equal_nan=True, rtol=0, atol=0)
                and list(back.columns) == list(r.series.columns), "run CSV round trip")
        nc = export.export(r.path, "netcdf", os.path.join(tmp, "run-out.nc"))
        with xr.open_dataset(nc) as ds:
            c.check(np.allclose(ds["gini_cash"].to_numpy(), r.series["gini_cash"].to_numpy(), equal_nan=True)
                    and "balance" in ds, "run netCDF round trip")
        s = civitas.sweep("society/default", {"society.alpha": [0.5, 1.0]}, replicates=2, steps=3, set=SMALL,
                          metrics=["gini_cash"], out=os.path.join(tmp, "sweep.h5"))
        done = subprocess.run([sys.executable, "-m", "civitas", "export", s.path, "--format", "csv"], check=True,
                              capture_output=True, text=True)
        path = done.stdout.strip()
        back = pd.read_csv(path, float_precision="round_trip")
        tidy = s.series
        c.check(path.endswith("sweep.csv") and list(back.columns) == list(tidy.columns) and len(back) == len(tidy),
                "sweep CSV via python3 -m civitas export")
        c.check(back["society_alpha"].dtype == np.float64 and np.allclose(back["gini_cash"], tidy["gini_cash"],
                                                                          equal_nan=True), "typed sweep CSV")
        subprocess.run([sys.executable, "-m", "civitas", "export", s.path, "--format", "netcdf", "--out",
                        os.path.join(tmp, "s.nc")], check=True, capture_output=True)
        with xr.open_dataset(os.path.join(tmp, "s.nc")) as ds:
            wide = tidy.pivot(index="run_id", columns="step", values="gini_cash").to_numpy()
            c.check(ds["gini_cash"].dims == ("run", "step") and np.allclose(ds["gini_cash"].to_numpy(), wide,
                                                                             equal_nan=True), "sweep netCDF")
            c.check(list(ds["society_alpha"].to_numpy()) == list(s.runs["society_alpha"]), "parameters along run")
        # The CLI's `civitas export` runs the same exporter.
        cli("export", s.path, "--format", "csv", "--out", os.path.join(tmp, "cli.csv"))
        c.check(pd.read_csv(os.path.join(tmp, "cli.csv")).equals(pd.read_csv(path)), "`civitas export` = python3 -m")
        bad = subprocess.run([sys.executable, "-m", "civitas", "export", os.path.join(tmp, "none.h5")],
                             capture_output=True, text=True)
        c.check(bad.returncode == 3 and "error" in bad.stderr, "export of a missing file: exit 3")


def analysis_reexports(c):
    import civitas_run
    import civitas_sweep
    c.check(civitas_run.RunFile is civitas.files.RunFile, "civitas_run.RunFile is civitas.files.RunFile")
    c.check(civitas_sweep.SweepFile is civitas.files.SweepFile, "civitas_sweep.SweepFile")
    c.check(civitas_run.steady_state is civitas.files.steady_state and civitas_sweep.holm is civitas.files.holm,
            "steady_state and holm")


if __name__ == "__main__":
    sys.exit(Checks().run(open_any, partial, exports, analysis_reexports))

"""Engine errors as Python exceptions: ScenarioError (a ValueError) carrying the file:line:col place of every
diagnostic, DataError for a file that cannot be read; the GIL is released while the engine runs."""
import os
import sys
import threading
import time

import civitas
from support import SMALL, Checks, tmpdir


def scenario_errors(c):
    with tmpdir() as tmp:
        bad = os.path.join(tmp, "bad.toml")
        with open(bad, "w") as f:
            f.write('[run]\nmodel = "society"\nsteps = 5\n[society]\nalpha = "x"\nnope = 3\n')
        try:
            civitas.run(bad, out=False)
            c.check(False, "a bad scenario raises")
        except civitas.ScenarioError as e:
            c.check(isinstance(e, ValueError), "ScenarioError is a ValueError")
            c.check(e.place == f"{bad}:5:9", f"place {e.place!r}")
            c.check([p for p, _ in e.diagnostics] == [f"{bad}:5:9", f"{bad}:6:1"], f"diagnostics {e.diagnostics}")
            c.check("society.nope" in str(e) and f"{bad}:6:1" in str(e), "every diagnostic in the message")
    cases = [
        (dict(steps="abc"), "steps"),
        (dict(seed=-1), "seed"),
        (dict(society__alpha="x"), "society__alpha"),  # the keyword as written, not the engine's --set:1:15
        (dict(set={"society.alpha": "x"}), "set['society.alpha']"),
        (dict(population__citizens=100, society__alpha="x"), "society__alpha"),
        (dict(scenario="no/such/scenario"), "no/such/scenario"),
    ]
    for kw, place in cases:
        try:
            civitas.run(out=False, **kw)
            c.check(False, f"{kw} raises")
        except civitas.ScenarioError as e:
            c.check(e.place == place, f"{kw}: place {e.place!r}, expected {place!r}")
            c.check(place in str(e) and "--set:" not in str(e), f"{kw}: the message names the argument: {e}")
    try:
        civitas.compare(regimes="market,nope", steps=3)
        c.check(False, "an unknown regime raises")
    except civitas.ScenarioError as e:
        c.check(e.place == "--regimes" and "nope" in str(e), f"regimes: {e.place} {e}")
    try:
        civitas.sensitivity("society/default", ["society.alpha=0.5:1.5"], ["gini_cash"], method="nope")
        c.check(False, "an unknown method raises")
    except civitas.ScenarioError as e:
        c.check(e.place == "method", f"method: {e.place}")


def data_errors(c):
    with tmpdir() as tmp:
        missing = os.path.join(tmp, "missing.h5")
        try:
            civitas.verify(missing)
            c.check(False, "verify of a missing file raises")
        except civitas.DataError as e:
            c.check(isinstance(e, OSError) and "missing.h5" in str(e), f"DataError: {e}")
        junk = os.path.join(tmp, "junk.h5")
        with open(junk, "w") as f:
            f.write("not hdf5")
        try:
            civitas.verify(junk)
            c.check(False, "verify of a junk file raises")
        except civitas.DataError:
            c.check(True, "")


def gil_released(c):
    # While one thread runs the engine, another keeps running Python.
    ticks = []
    done = threading.Event()

    def tick():
        while not done.is_set():
            ticks.append(time.monotonic())
            time.sleep(0.005)

    t = threading.Thread(target=tick)
    t.start()
    start = time.monotonic()
    civitas.run("society/default", steps=30, set=SMALL, out=False, threads=1)
    end = time.monotonic()
    done.set()
    t.join()
    during = [x for x in ticks if start < x < end]
    c.check(end - start < 0.05 or len(during) >= 3, f"{len(during)} ticks in {end - start:.2f} s of engine time")


if __name__ == "__main__":
    sys.exit(Checks().run(scenario_errors, data_errors, gil_released))

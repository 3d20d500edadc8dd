"""What the Python module's tests share: the CLI binary (argv[1]), a small society, and a checker that
counts passes and failures the way the other Python tests print them ("N passed, M failed")."""
import os
import subprocess
import sys
import traceback

# A society small enough to run in well under a second per run.
SMALL = {"population.citizens": 200, "population.firms": 12, "population.charities": 3, "daf.voters": 100}
SMALL_SETS = [f"--set={k}={v}" for k, v in SMALL.items()]


def binary():
    """The `civitas` executable the test was given."""
    return sys.argv[1]


def cli(*args, **kw):
    """Runs the CLI; returns the completed process (check=True)."""
    return subprocess.run([binary(), *map(str, args)], check=True, capture_output=True, text=True, **kw)


def head_of(path):
    """The head hash `civitas inspect --json` reads from a run file."""
    import json
    return json.loads(cli("inspect", "--json", path).stdout)["head_hash"]


class Checks:
    """Runs test functions, each a named check; prints failures and the totals."""

    def __init__(self):
        self.passed = self.failed = 0

    def check(self, condition, what):
        if condition:
            self.passed += 1
        else:
            self.failed += 1
            print(f"FAIL {what}")

    def run(self, *tests):
        for test in tests:
            try:
                test(self)
            except Exception:
                self.failed += 1
                print(f"FAIL {test.__name__} raised:")
                traceback.print_exc()
        print(f"{self.passed} passed, {self.failed} failed")
        return 1 if self.failed or not self.passed else 0


def tmpdir():
    import tempfile
    return tempfile.TemporaryDirectory(prefix="civitas-pytest-")


os.environ.setdefault("OMP_NUM_THREADS", "1")

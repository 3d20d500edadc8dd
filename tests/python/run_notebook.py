"""Executes a notebook with nbclient (a ctest entry per notebook of analysis/notebooks), in a temporary
directory, and fails on the first cell that raises. The notebook on disk is not changed: rendered output is
never committed."""
import sys
import tempfile
import time

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError


def main(path):
    nb = nbformat.read(path, as_version=4)
    with tempfile.TemporaryDirectory(prefix="civitas-nb-") as tmp:
        client = NotebookClient(nb, timeout=600, kernel_name="python3", resources={"metadata": {"path": tmp}})
        start = time.monotonic()
        try:
            client.execute()
        except CellExecutionError as e:
            print(f"FAIL {path}: {e}")
            return 1
    cells = sum(1 for c in nb.cells if c.cell_type == "code")
    print(f"{path}: {cells} code cells ran in {time.monotonic() - start:.1f} s")
    print(f"{cells} passed, 0 failed")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))

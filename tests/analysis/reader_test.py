"""The Python reader agrees with `civitas inspect --json` on a real run (run by ctest)."""
import json
import os
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "analysis"))
import civitas_run  # noqa: E402


def main(binary):
    checks = failures = 0
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "run.h5")
        subprocess.run([binary, "run", "validation/saving", "--steps", "15", "--quiet", "--out", out], check=True)
        inspected = json.loads(subprocess.run([binary, "inspect", "--json", out], check=True,
                                              capture_output=True, text=True).stdout)
        run = civitas_run.RunFile(out)
        mine = run.summary()
        for key in ("scenario", "seed", "complete", "steps", "agents", "transfers", "rejected", "supply", "head_hash"):
            checks += 1
            if mine[key] != inspected[key]:
                print(f"FAIL {key}: reader {mine[key]!r} != inspect {inspected[key]!r}")
                failures += 1
        for name, value in inspected["final_metrics"].items():
            checks += 1
            if value is not None and abs(mine["final_metrics"][name] - value) > 1e-12 * max(1.0, abs(value)):
                print(f"FAIL metric {name}: {mine['final_metrics'][name]} != {value}")
                failures += 1
        checks += 1
        if len(run.transfers(0)) != 2000 or int(run.transfers(0)["amount"].sum()) != inspected["supply"]["cash"]:
            print("FAIL genesis block should hold one endowment per citizen summing to the cash supply")
            failures += 1
        run.close()
    print(f"{checks - failures} passed, {failures} failed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))

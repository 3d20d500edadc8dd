#!/usr/bin/env bash
# The society benchmark of issue #3: 10^6 citizens with proportional firms (20,000), charities (2,000)
# and one government, 100 weekly steps, full ledger (every transfer stored and hashed), on the release
# build. Prints the run summary with its phase profile, then wall time and peak resident memory.
# Usage: bash bench/society_bench.sh [CITIZENS] [THREADS]   (defaults 1000000 and every core)
set -euo pipefail
cd "$(dirname "$0")/.."
citizens="${1:-1000000}"
threads="${2:-0}"
firms=$((citizens / 50))
charities=$((citizens / 500))
out="${TMPDIR:-/tmp}/civitas-society-bench.h5"
/usr/bin/time -f "wall %e s, peak RSS %M KB" ./build/release/engine/cli/civitas run society/default \
  --steps ${STEPS:-100} --threads "$threads" --out "$out" --profile \
  --set population.citizens="$citizens" --set population.firms="$firms" --set population.charities="$charities" \
  --set output.snapshot_every=0
rm -f "$out"

#!/usr/bin/env bash
# Makes the run-file fuzzing seeds (tests/fuzz/corpus/run_file) with the civitas binary, so the corpus is
# reproducible rather than a folder of opaque files.
#
# Usage: tests/fuzz/make_run_file_seeds.sh CIVITAS_BINARY [OUT_DIR]   (OUT_DIR defaults to the corpus)
#
# Seeds: tiny runs (8-20 citizens, 2-4 steps) of an exchange model and of the society under each regime,
# with --ledger full and headers; each repacked by h5repack into small chunks (the writer's chunks are up
# to 3 MiB, far beyond the fuzzer's -max_len) and without the SWMR superblock; then variants of one seed
# that a reader meets in the wild: marked incomplete (what a killed writer leaves), and truncated.
# Needs hdf5-tools (h5repack) and python3-h5py, which the set-up installs.
set -euo pipefail

civitas=$(realpath "$1")
root=$(cd "$(dirname "$0")/../.." && pwd)
out=$(realpath -m "${2:-$root/tests/fuzz/corpus/run_file}")
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$out"
export CIVITAS_SCENARIO_DIR="$root/scenarios"

seed() {  # seed NAME ARGS...: one civitas run, repacked into OUT/NAME.h5
  local name=$1
  shift
  "$civitas" run "$@" --quiet --out "$work/$name.raw.h5"
  h5repack -l CHUNK=16 "$work/$name.raw.h5" "$work/$name.h5" 2>/dev/null ||
    h5repack "$work/$name.raw.h5" "$work/$name.h5"
  cp "$work/$name.h5" "$out/$name.h5"
}

seed boltzmann_full validation/boltzmann --set population.citizens=8 --steps 3 --ledger full
seed boltzmann_headers validation/boltzmann --set population.citizens=8 --steps 4 --ledger headers
for regime in market social_credit daf alliance; do
  seed "society_${regime}" "regimes/$regime" --set population.citizens=20 --set population.firms=3 \
    --set population.charities=2 --set daf.voters=10 --steps 2 --ledger full --set output.snapshot_every=1
done

# What a killed writer leaves (complete = 0), and the same file cut short at two places.
cp "$out/boltzmann_full.h5" "$out/incomplete.h5"
/usr/bin/python3 - "$out/incomplete.h5" <<'EOF'
import sys
import h5py
with h5py.File(sys.argv[1], "r+") as f:
    f["meta"].attrs.modify("complete", 0)
EOF
size=$(stat -c %s "$out/boltzmann_full.h5")
head -c $((size / 2)) "$out/boltzmann_full.h5" >"$out/truncated_half.h5"
head -c 512 "$out/boltzmann_full.h5" >"$out/truncated_superblock.h5"
ls -l "$out"

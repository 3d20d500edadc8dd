#!/usr/bin/env bash
# Bytes on disk and wall time of full-ledger runs: the record layout's and output.compression's cost.
#
# Usage: bash bench/record_size.sh CIVITAS [N ...]
#   CIVITAS  a civitas binary (a release build: build/release/engine/cli/civitas)
#   N        Boltzmann sizes (default 100000 1000000), each STEPS (default 100) steps, full ledger
# Env: STEPS, THREADS (default 2), LEVELS (output.compression levels, default "0 1"; "-" passes none, for an
# older engine without the option), SOCIETY (1: also the
# default society at each level; default 1), RUNS (repetitions, the median is printed; default 1).
# Prints one table row per run: model, N, level, records, /ledger/transfers bytes, file bytes, bytes per
# record, wall seconds. Writes into a temporary directory, removed at the end.
set -euo pipefail
civitas=$(realpath "${1:?usage: bash bench/record_size.sh CIVITAS [N ...]}")
shift
sizes=("$@")
((${#sizes[@]})) || sizes=(100000 1000000)
steps="${STEPS:-100}"
threads="${THREADS:-2}"
levels="${LEVELS:-0 1}"
society="${SOCIETY:-1}"
runs="${RUNS:-1}"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$(dirname "$0")/../scenarios"

median() { sort -g | awk '{v[NR] = $1} END {print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2}'; }
# The records dataset's stored bytes and row count (h5py), and the file's size.
sizes_of() {
  /usr/bin/python3 - "$1" <<'EOF'
import os, sys, h5py
with h5py.File(sys.argv[1], "r") as f:
    d = f["/ledger/transfers"]
    print(d.id.get_storage_size(), d.shape[0], os.path.getsize(sys.argv[1]))
EOF
}
row() {  # MODEL N LEVEL ARGS...
  local model=$1 n=$2 level=$3
  shift 3
  local times=()
  for ((r = 0; r < runs; ++r)); do
    rm -f "$work/run.h5"
    local set=(--set output.compression="$level")
    [[ "$level" == - ]] && set=()  # an engine without output.compression (a before/after comparison)
    /usr/bin/time -f "%e" -o "$work/t" "$civitas" run "$@" --threads "$threads" --ledger full "${set[@]}" \
      --quiet --out "$work/run.h5" >/dev/null
    times+=("$(cat "$work/t")")
  done
  read -r stored records file < <(sizes_of "$work/run.h5")
  printf "| %s | %s | %s | %s | %s | %s | %.1f | %s |\n" "$model" "$n" "$level" "$records" "$stored" "$file" \
    "$(echo "$stored / $records" | bc -l)" "$(printf "%s\n" "${times[@]}" | median)"
}

printf "| model | N | compression | records | /ledger/transfers bytes | file bytes | bytes/record | wall s |\n"
printf "|---|---|---|---|---|---|---|---|\n"
for n in "${sizes[@]}"; do
  for level in $levels; do
    row boltzmann "$n" "$level" validation/boltzmann --set population.citizens="$n" --steps "$steps"
  done
done
if [[ "$society" == 1 ]]; then
  for level in $levels; do row society 10000 "$level" society/default; done
fi

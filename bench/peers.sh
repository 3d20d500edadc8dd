#!/usr/bin/env bash
# Civitas against MASON on the Boltzmann wealth model, side by side on this machine, with the machine's own
# lower bound on a ledger step. Builds MASON's engine and bench/peers/CivitasBoltzmann.java (the model,
# written against MASON's API) from a MASON source checkout you point it to: nothing is downloaded, and
# nothing of MASON is committed. Runs are interleaved (Civitas and MASON take turns, RUNS rounds) and timed
# as whole processes (/usr/bin/time), JVM start-up and Civitas's set-up included.
#
# Usage: bash bench/peers.sh MASON_CHECKOUT [N ...]     (default N: 10000 100000 1000000)
#   MASON_CHECKOUT: a clone of https://github.com/eclab/mason (its mason/src/main/java is compiled)
#   environment: STEPS (100), RUNS (3 rounds), THREADS (2)
# Columns (median of RUNS, seconds): Civitas random-sequential with headers only (every transfer hashed),
# with the full ledger written, simultaneous with headers; MASON with -XX:+UseParallelGC and with the
# default G1 collector. Ratios are MASON ParallelGC time over each (above 1: Civitas is faster).
# The bound: per step, hashing every record once at this machine's SHA-256 rate, streaming the records
# once at its memory bandwidth, and two random balance updates per transfer, shared over THREADS cores
# (bench/machine_bound.cpp measures the three rates); beside it Civitas's own time per step.
set -euo pipefail
cd "$(dirname "$0")/.."
if (($# < 1)) || [[ ! -d "$1" ]]; then
  echo "usage: bash bench/peers.sh MASON_CHECKOUT [N ...]" >&2
  exit 2
fi
mason_src="$1/mason/src/main/java"
[[ -d "$mason_src/sim/engine" ]] || mason_src="$1"
if [[ ! -f "$mason_src/sim/engine/SimState.java" ]]; then
  echo "bench/peers.sh: no MASON sources (sim/engine/SimState.java) under $1" >&2
  exit 2
fi
shift
sizes=("$@")
((${#sizes[@]})) || sizes=(10000 100000 1000000)
steps="${STEPS:-100}"
runs="${RUNS:-3}"
threads="${THREADS:-2}"

cmake --preset release >/dev/null
cmake --build --preset release -j"$(nproc)" --target civitas machine_bound >/dev/null
civitas=./build/release/engine/cli/civitas
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
javac -nowarn -d "$work/classes" -sourcepath "$mason_src" bench/peers/CivitasBoltzmann.java 2>/dev/null

# Median of the numbers on stdin.
median() { sort -g | awk '{v[NR] = $1} END {print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2}'; }
# Whole-process wall time of a command, in seconds (its output discarded).
wall() { /usr/bin/time -f "%e" -o "$work/t" "$@" >/dev/null 2>&1; cat "$work/t"; }
civitas_run() {  # N SCENARIO LEDGER: its wall time
  wall "$civitas" run "validation/$2" --set population.citizens="$1" --steps "$steps" --threads "$threads" \
    --ledger "$3" --quiet --out "$work/run.h5"
}
mason_run() { wall java "$2" -cp "$work/classes" CivitasBoltzmann "$1" "$steps"; }  # N GC-FLAG

printf "Boltzmann wealth model, %s steps, %s threads, median of %s interleaved rounds (s)\n" "$steps" \
  "$threads" "$runs"
printf "| N | Civitas RS headers | Civitas RS full ledger | Civitas simultaneous headers | MASON ParallelGC | MASON G1 | MASON-PGC / RS headers | / RS full | / simultaneous |\n"
printf "|---|---|---|---|---|---|---|---|---|\n"
bounds=()
for n in "${sizes[@]}"; do
  : >"$work/rs_h" && : >"$work/rs_f" && : >"$work/sim_h" && : >"$work/m_p" && : >"$work/m_g"
  for ((r = 0; r < runs; ++r)); do
    civitas_run "$n" boltzmann headers >>"$work/rs_h"
    mason_run "$n" -XX:+UseParallelGC >>"$work/m_p"
    civitas_run "$n" boltzmann full >>"$work/rs_f"
    mason_run "$n" -XX:+UseG1GC >>"$work/m_g"
    civitas_run "$n" boltzmann_simultaneous headers >>"$work/sim_h"
  done
  rs_h=$(median <"$work/rs_h") rs_f=$(median <"$work/rs_f") sim_h=$(median <"$work/sim_h")
  m_p=$(median <"$work/m_p") m_g=$(median <"$work/m_g")
  awk -v n="$n" -v a="$rs_h" -v b="$rs_f" -v c="$sim_h" -v p="$m_p" -v g="$m_g" 'BEGIN {
    printf "| %d | %.2f | %.2f | %.2f | %.2f | %.2f | %.2f× | %.2f× | %.2f× |\n", n, a, b, c, p, g, p / a, p / b, p / c }'
  # Civitas's own stepping time (its summary line "time X s"), for the per-step comparison with the bound.
  step_s=$("$civitas" run validation/boltzmann --set population.citizens="$n" --steps "$steps" \
    --threads "$threads" --ledger headers --out "$work/run.h5" | awk '$1 == "time" {print $2}')
  read -r sha stream rmw < <(./build/release/bench/machine_bound "$n" | awk '{v[$1] = $2} END {
    print v["sha256_bytes_per_s"], v["stream_bytes_per_s"], v["random_rmw_s"]}')
  bounds+=("$(awk -v n="$n" -v s="$step_s" -v steps="$steps" -v sha="$sha" -v st="$stream" -v rmw="$rmw" \
    -v t="$threads" 'BEGIN {
    bytes = n * 26; bound = (bytes / sha + bytes / st + 2 * n * rmw) / t; per = s / steps
    printf "| %d | %.2f | %.2f | %.1f | %.2f ms | %.2f ms | %.1f× |", n, sha / 1e9, st / 1e9, rmw * 1e9, bound * 1e3, per * 1e3, per / bound }')")
done
printf "\nLower bound per random-sequential step with every record hashed (headers), from this machine's rates\n"
printf "| N | SHA-256 GB/s per core | stream GB/s | random RMW ns | bound per step | Civitas per step | Civitas / bound |\n"
printf "|---|---|---|---|---|---|---|\n"
printf "%s\n" "${bounds[@]}"

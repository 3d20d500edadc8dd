#!/usr/bin/env bash
# A sharded Boltzmann run (simultaneous) over MPI ranks (docs/distributed.md, "Sharded single runs"): for
# each population and rank count, time per step, bytes each rank sends per step and the share of step
# time spent in the collectives (communication plus waiting for the slowest rank), from `civitas run
# --profile`'s per-rank line. The run has RUN_SHARDS shards (default 4) whatever the rank count, so every
# row computes the same head hash (printed, and checked equal across the rank counts).
# Ranks beyond the cores run oversubscribed (--oversubscribe): on a 2-core machine 4 ranks share 2 cores.
# Headers-only ledger, metrics only at the last step: the figure is the step, not the disk or the Gini sort.
# Usage: bash bench/mpi_scaling.sh [POPULATIONS] [RANKS]   (defaults "100000 1000000" and "1 2 4")
#        STEPS=5 (steps per run), CIVITAS=path/to/civitas (default build/release, else build/ci)
set -euo pipefail
cd "$(dirname "$0")/.."
populations="${1:-100000 1000000}"
rank_counts="${2:-1 2 4}"
steps="${STEPS:-5}"
shards="${RUN_SHARDS:-4}"
civitas="${CIVITAS:-}"
if [[ -z $civitas ]]; then
  for build in release ci; do
    [[ -x build/$build/engine/cli/civitas ]] && civitas=build/$build/engine/cli/civitas && break
  done
fi
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1 OMPI_MCA_btl_vader_single_copy_mechanism=none
out="${TMPDIR:-/tmp}/civitas-mpi-scaling-$$.h5"
trap 'rm -f "$out" "$out.log"' EXIT
printf '%-9s %5s %12s %16s %12s %10s  %s\n' agents ranks "ms/step" "bytes/rank/step" "comm share" "RSS/rank" head
for n in $populations; do
  first_head=""
  for r in $rank_counts; do
    mpirun --oversubscribe -n "$r" "$civitas" run validation/boltzmann --set run.activation=simultaneous \
      --set run.shards="$shards" --set population.citizens="$n" --set exchange.initial_cash=10 \
      --steps "$steps" --ledger headers --set output.metrics_every=1000000 --profile --out "$out" \
      >"$out.log" 2>&1
    head=$(awk '/head hash/ {print $3}' "$out.log")
    # Per rank: "... sent B bytes/step, C ms/step in collectives, S% of step time, T ms/step, peak RSS M MB"
    read -r ms bytes share rss < <(grep '^shards ' "$out.log" | awk '{
        for (i = 1; i <= NF; ++i) {
          if ($(i) == "sent") b += $(i + 1);
          if ($(i) == "collectives,") c += $(i - 3);
          if ($(i) == "RSS") m = ($(i + 1) > m) ? $(i + 1) : m;
          if ($(i) == "ms/step," && $(i + 1) == "peak") t = ($(i - 1) > t) ? $(i - 1) : t;
        }
        ranks++; sum_t += 0
      } END { printf "%.1f %.0f %.1f%% %d\n", t, b / ranks, 100 * (c / ranks) / t, m }')
    printf '%-9s %5s %12s %16s %12s %8s MB  %s\n' "$n" "$r" "$ms" "$bytes" "$share" "$rss" "${head:0:16}"
    [[ -z $first_head ]] && first_head=$head
    [[ $head == "$first_head" ]] || echo "  DIFFERENT HEAD at $r ranks" >&2
  done
done

#!/usr/bin/env bash
# The cost of agents that choose (issue #10's target: within 1.5x of the fixed rules): the society at
# 10^6 citizens (20,000 firms, 2,000 charities) for 100 steps on the release build, under social credit,
# with the fixed rules and with the adaptive ones of regimes/compare (logit misconduct, good deeds, gifts
# and data consent; firms learning by imitation every 2 steps; shoppers reading the grade label; Modern
# Slavery ratings over a quarter), interleaved A B A B.
# Headers-only ledger, so the figure is the simulation's cost, not the disk's. Prints each wall time,
# peak memory and the ratio of the medians.
# Usage: bash bench/behaviour_bench.sh [CITIZENS] [ROUNDS]   (defaults 1000000 and 2)
set -euo pipefail
cd "$(dirname "$0")/.."
citizens="${1:-1000000}"
rounds="${2:-2}"
common=(run society/default --steps "${STEPS:-100}" --ledger headers --quiet --set output.snapshot_every=0
        --set governance.regime=social_credit --set social_credit.fine=100
        --set population.citizens="$citizens" --set population.firms=$((citizens / 50))
        --set population.charities=$((citizens / 500)))
logit=(--set society.misconduct_rule=logit --set society.deed_rule=logit --set society.donation_rule=logit
       --set society.consent_rule=logit --set social_credit.privacy_penalty=5 --set society.firm_rule=imitation
       --set society.firm_review=2 --set society.label_weight=3 --set society.ms_window=13)
out="${TMPDIR:-/tmp}/civitas-behaviour-bench.h5"
declare -a fixed_times logit_times
for ((i = 0; i < rounds; i++)); do
  for rule in fixed logit; do
    extra=()
    [[ $rule == logit ]] && extra=("${logit[@]}")
    line=$( { /usr/bin/time -f "%e %M" ./build/release/engine/cli/civitas "${common[@]}" "${extra[@]}" --out "$out" >/dev/null; } 2>&1 | tail -1)
    read -r wall rss <<<"$line"
    echo "$rule: wall ${wall} s, peak RSS $((rss / 1024)) MB"
    if [[ $rule == fixed ]]; then fixed_times+=("$wall"); else logit_times+=("$wall"); fi
    rm -f "$out"
  done
done
median() { printf '%s\n' "$@" | sort -g | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}'; }
f=$(median "${fixed_times[@]}"); l=$(median "${logit_times[@]}")
echo "median fixed ${f} s, logit ${l} s, ratio logit/fixed $(awk -v a="$l" -v b="$f" 'BEGIN {printf "%.2f", a / b}')"

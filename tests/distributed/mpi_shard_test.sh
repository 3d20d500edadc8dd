#!/usr/bin/env bash
# Sharded single runs over MPI ranks, end to end (docs/distributed.md, "Sharded single runs"): for each
# SCENARIO (run.shards = 4), `mpirun -n K civitas run SCENARIO` must give, for K = 1..4, the head hash the
# plain `civitas run SCENARIO` gives; each file it writes must pass `civitas verify`. Bad input (tried with
# the first SCENARIO) must stop every rank with the usual exit code (never a hang).
#
#   mpi_shard_test.sh CIVITAS MPIEXEC SCENARIO...
set -uo pipefail
civitas=$1 mpiexec=$2
shift 2
scenarios=("$@")
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"
failures=0
fail() {
  echo "FAIL: $*" >&2
  failures=$((failures + 1))
}
mpi() {
  local n=$1
  shift
  timeout 180 "$mpiexec" --oversubscribe -n "$n" "$@"
}
head_of() { awk '/head hash/ {print $3}' "$1"; }

same_head_at_any_ranks() {
  local scenario=$1 name
  name=$(basename "$scenario" .toml)
  "$civitas" run "$scenario" --out "$name-plain.h5" >"$name-plain.txt" ||
    fail "$name: the plain run exited $?"
  local plain
  plain=$(head_of "$name-plain.txt")
  [[ ${#plain} == 64 ]] || fail "$name: the plain run printed no head hash"
  "$civitas" verify "$name-plain.h5" >/dev/null || fail "$name: verify refused the plain run's file"
  for n in 1 2 3 4; do
    mpi "$n" "$civitas" run "$scenario" --out "$name-ranks$n.h5" >"$name-ranks$n.txt" ||
      fail "$name: mpirun -n $n exited $?"
    [[ $(head_of "$name-ranks$n.txt") == "$plain" ]] ||
      fail "$name: mpirun -n $n: head $(head_of "$name-ranks$n.txt"), plain $plain"
    "$civitas" verify "$name-ranks$n.h5" >/dev/null || fail "$name: verify refused the file of mpirun -n $n"
    [[ $(grep -c "head hash" "$name-ranks$n.txt") == 1 ]] ||
      fail "$name: mpirun -n $n: not exactly one rank reported"
  done
  # Threads per rank and what is stored change nothing either (a headers-only file is verified by re-running).
  mpi 2 "$civitas" run "$scenario" --threads 1 --ledger headers --out "$name-headers.h5" \
    >"$name-headers.txt" || fail "$name: mpirun -n 2 --ledger headers exited $?"
  [[ $(head_of "$name-headers.txt") == "$plain" ]] ||
    fail "$name: mpirun -n 2 --threads 1 --ledger headers: another head"
  "$civitas" verify "$name-headers.h5" >/dev/null || fail "$name: verify refused the headers-only file"
}
for scenario in "${scenarios[@]}"; do same_head_at_any_ranks "$scenario"; done

# Bad input: every rank stops, exit 2, the parameter named once.
expect_refusal() {
  local what=$1 n=$2
  shift 2
  mpi "$n" "$civitas" run "${scenarios[0]}" --out refused.h5 "$@" >/dev/null 2>err.txt
  local code=$?
  [[ $code == 2 ]] || fail "$what: exit $code, not 2"
  grep -q "run.shards" err.txt || fail "$what: the error does not name run.shards: $(cat err.txt)"
  [[ $(grep -c "error" err.txt) == 1 ]] || fail "$what: not exactly one error printed: $(cat err.txt)"
}
expect_refusal "unsharded under 2 ranks" 2 --set run.shards=1
expect_refusal "more ranks than shards" 4 --set run.shards=3
expect_refusal "more shards than agents" 2 --set run.shards=20000
expect_refusal "random-sequential activation" 2 --set run.activation=random_sequential
# Rank 0 cannot write its file: every rank stops (no hang), non-zero.
mpi 2 "$civitas" run "${scenarios[0]}" --out /nonexistent/dir/x.h5 >/dev/null 2>err.txt
code=$?
[[ $code != 0 && $code != 124 ]] || fail "unwritable output: exit $code"

exit $((failures > 0))

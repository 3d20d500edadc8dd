#!/usr/bin/env bash
# A sharded single run over MPI ranks, end to end (docs/distributed.md, "Sharded single runs"):
# `mpirun -n K civitas run SCENARIO` (run.shards = 4) must give, for K = 1..4, the head hash the plain
# `civitas run SCENARIO` gives; each file it writes must pass `civitas verify`; bad input must stop every
# rank with the usual exit code (never a hang).
#
#   mpi_shard_test.sh CIVITAS MPIEXEC SCENARIO
set -uo pipefail
civitas=$1 mpiexec=$2 scenario=$3
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

"$civitas" run "$scenario" --out plain.h5 >plain.txt || fail "the plain run exited $?"
plain=$(head_of plain.txt)
[[ ${#plain} == 64 ]] || fail "the plain run printed no head hash"
"$civitas" verify plain.h5 >/dev/null || fail "verify refused the plain run's file"
for n in 1 2 3 4; do
  mpi "$n" "$civitas" run "$scenario" --out "ranks$n.h5" >"ranks$n.txt" || fail "mpirun -n $n exited $?"
  [[ $(head_of "ranks$n.txt") == "$plain" ]] || fail "mpirun -n $n: head $(head_of "ranks$n.txt"), plain $plain"
  "$civitas" verify "ranks$n.h5" >/dev/null || fail "verify refused the file of mpirun -n $n"
  [[ $(grep -c "head hash" "ranks$n.txt") == 1 ]] || fail "mpirun -n $n: not exactly one rank reported"
done
# Threads per rank and what is stored change nothing either (a headers-only file is verified by re-running).
mpi 2 "$civitas" run "$scenario" --threads 1 --ledger headers --out headers.h5 >headers.txt ||
  fail "mpirun -n 2 --ledger headers exited $?"
[[ $(head_of headers.txt) == "$plain" ]] || fail "mpirun -n 2 --threads 1 --ledger headers: another head"
"$civitas" verify headers.h5 >/dev/null || fail "verify refused the headers-only file"

# Bad input: every rank stops, exit 2, the parameter named once.
expect_refusal() {
  local what=$1 n=$2
  shift 2
  mpi "$n" "$civitas" run "$scenario" --out refused.h5 "$@" >/dev/null 2>err.txt
  local code=$?
  [[ $code == 2 ]] || fail "$what: exit $code, not 2"
  grep -q "run.shards" err.txt || fail "$what: the error does not name run.shards: $(cat err.txt)"
  [[ $(grep -c "error" err.txt) == 1 ]] || fail "$what: not exactly one error printed: $(cat err.txt)"
}
expect_refusal "unsharded under 2 ranks" 2 --set run.shards=1
expect_refusal "more ranks than shards" 4 --set run.shards=3
expect_refusal "more shards than agents" 2 --set run.shards=20000
expect_refusal "a rule not offered sharded" 2 --set exchange.rule=saving
# Rank 0 cannot write its file: every rank stops (no hang), non-zero.
mpi 2 "$civitas" run "$scenario" --out /nonexistent/dir/x.h5 >/dev/null 2>err.txt
code=$?
[[ $code != 0 && $code != 124 ]] || fail "unwritable output: exit $code"

exit $((failures > 0))

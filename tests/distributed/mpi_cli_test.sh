#!/usr/bin/env bash
# Ensembles over MPI ranks, end to end: `mpirun -n K civitas sweep|compare|sensitivity|experiment ...` must
# write byte for byte the file the plain command writes, for K = 1..4, and bad input must stop every rank
# with one message and the usual exit code (never a hang).
#
#   mpi_cli_test.sh CIVITAS MPIEXEC CASE      CASE: sweep, compare, sensitivity, experiment, errors, failure
#
# ctest sets OMPI_ALLOW_RUN_AS_ROOT(_CONFIRM) (CI runs as root) and lets Open MPI oversubscribe the cores.
set -uo pipefail
civitas=$1 mpiexec=$2 case=$3
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"
failures=0
fail() {
  echo "FAIL: $*" >&2
  failures=$((failures + 1))
}
# Every mpirun is bounded: a hang is a failure, not a stuck suite.
mpi() {
  local n=$1
  shift
  timeout 120 "$mpiexec" --oversubscribe -n "$n" "$@"
}
# Runs `civitas ARGS --out base.h5` plainly, then under mpirun -n 1..4, and compares the files.
same_file_at_every_rank_count() {
  local name=$1
  shift
  "$civitas" "$@" --quiet --out "$name-plain.h5" || fail "$name: the plain run exited $?"
  for n in 1 2 3 4; do
    mpi "$n" "$civitas" "$@" --quiet --out "$name-$n.h5" || fail "$name: mpirun -n $n exited $?"
    cmp "$name-plain.h5" "$name-$n.h5" || fail "$name: mpirun -n $n wrote another file"
  done
}

case $case in
  sweep)
    same_file_at_every_rank_count boltzmann sweep validation/boltzmann --steps 30 \
      --set population.citizens=200 --grid exchange.initial_cash=1,2,3 --replicates 3
    # The thread count per rank does not matter either.
    mpi 2 "$civitas" sweep validation/boltzmann --steps 30 --set population.citizens=200 \
      --grid exchange.initial_cash=1,2,3 --replicates 3 --threads 1 --quiet --out threads1.h5 ||
      fail "threads: mpirun -n 2 --threads 1 exited $?"
    cmp boltzmann-plain.h5 threads1.h5 || fail "threads: --threads 1 under mpirun wrote another file"
    ;;
  compare)
    same_file_at_every_rank_count compare compare society/default --steps 4 --replicates 2 \
      --set population.citizens=200 --set population.firms=8 --set population.charities=2 --set daf.voters=100
    # The report beside the file too (only rank 0 writes it).
    for ext in csv md; do
      cmp compare-plain.$ext compare-3.$ext || fail "compare: the .$ext report differs under mpirun -n 3"
    done
    ;;
  sensitivity)
    same_file_at_every_rank_count morris sensitivity validation/boltzmann --method morris --samples 3 \
      --param exchange.initial_cash=1:4 --param population.citizens=50:200 --metric gini_cash --steps 20
    ;;
  experiment)
    cat > tiny.toml <<'TOML'
name = "tiny"
scenario = "validation/boltzmann"
replicates = 2
seed = 3
steps = 20
[overrides]
population.citizens = 100
[sweep.grid]
exchange.initial_cash = [1, 2]
TOML
    same_file_at_every_rank_count experiment experiment tiny.toml
    ;;
  errors)
    # The same bad flag on every rank: exit 2, and the message once, not once per rank.
    mpi 3 "$civitas" sweep validation/boltzmann --grid exchange.initial_cash=1,2 --set no.such=1 \
      --quiet --out bad.h5 2>bad-set.err
    code=$?
    [[ $code -eq 2 ]] || fail "a bad --set under mpirun exited $code, not 2"
    [[ $(grep -c "no.such" bad-set.err) -eq 1 ]] || fail "a bad --set was not reported exactly once: $(cat bad-set.err)"
    # An output only rank 0 checks (its folder does not exist): every rank stops, exit 2.
    mpi 3 "$civitas" sweep validation/boltzmann --grid exchange.initial_cash=1,2 --steps 5 --quiet \
      --out no/such/folder/x.h5 2>bad-out.err
    code=$?
    [[ $code -eq 2 ]] || fail "an unwritable --out under mpirun exited $code, not 2: $(cat bad-out.err)"
    # Ranks that disagree (here ranks 1 and 2 get a bad --set, rank 0 not): nobody runs, nobody waits.
    mpi 1 "$civitas" sweep validation/boltzmann --grid exchange.initial_cash=1,2 --steps 5 --quiet \
      --out split.h5 : -n 2 "$civitas" sweep validation/boltzmann --grid exchange.initial_cash=1,2 \
      --steps 5 --quiet --out split.h5 --set no.such=1 2>split.err
    code=$?
    [[ $code -eq 2 ]] || fail "ranks that disagree exited $code, not 2: $(cat split.err)"
    grep -q "rank 1" split.err || fail "rank 0 did not say which rank stopped: $(cat split.err)"
    [[ ! -e split.h5 ]] || fail "ranks that disagree still wrote the file"
    # `civitas run` under mpirun is a sharded run: an unsharded scenario cannot be spread over ranks.
    mpi 2 "$civitas" run validation/boltzmann --steps 5 --quiet --out single.h5 2>single.err
    code=$?
    [[ $code -eq 2 ]] || fail "civitas run under mpirun -n 2 exited $code, not 2"
    grep -q "cannot be spread over 2 ranks" single.err || fail "run under mpirun: $(cat single.err)"
    [[ ! -e single.h5 ]] || fail "civitas run under mpirun -n 2 wrote a file"
    ;;
  failure)
    # Runs that fail for real: a 100-million-citizen world cannot be allocated in 1 GB of address space,
    # a 100-citizen one can. The failed runs are listed with parameters and seed, the others are written,
    # /failed holds the failures, the exit code is 6, and the file is the same under mpirun. (One thread
    # per rank, so a small run never shares an address space with a big one mid-allocation; rank 0's
    # dispatcher needs only kilobytes beside it.)
    args=(sweep validation/boltzmann --steps 5 --grid population.citizens=100,100000000 --replicates 2
      --threads 1 --quiet)
    (ulimit -v 1000000 && "$civitas" "${args[@]}" --out failed-plain.h5 2>failed.err)
    code=$?
    [[ $code -eq 6 ]] || fail "a sweep with failing runs exited $code, not 6: $(cat failed.err)"
    grep -q "run 2 (point 1: population.citizens=100000000, replicate 0, seed 1)" failed.err ||
      fail "the failed run was not reported with its parameters and seed: $(cat failed.err)"
    h5ls failed-plain.h5/failed/run_id | grep -q "{2}" || fail "/failed does not hold the two failed runs"
    h5ls failed-plain.h5/runs/run_id | grep -q "{2}" || fail "/runs does not hold the two completed runs"
    for n in 2 3; do
      (ulimit -v 1000000 && mpi "$n" "$civitas" "${args[@]}" --out "failed-$n.h5" 2>"failed-$n.err")
      code=$?
      [[ $code -eq 6 ]] || fail "mpirun -n $n with failing runs exited $code, not 6: $(cat "failed-$n.err")"
      cmp failed-plain.h5 "failed-$n.h5" || fail "mpirun -n $n wrote another file with failing runs"
    done
    ;;
  *)
    echo "unknown case $case" >&2
    exit 2
    ;;
esac
if ((failures)); then
  echo "$case: $failures check(s) failed" >&2
  exit 1
fi
echo "$case: every check passed"

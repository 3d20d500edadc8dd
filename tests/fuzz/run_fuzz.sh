#!/usr/bin/env bash
# Fuzzes the scenario reader and the run-file reader with libFuzzer (clang, ASan + UBSan).
#
# Usage: tests/fuzz/run_fuzz.sh [SECONDS] [TARGET...]
#   SECONDS  time per target (default 600)
#   TARGET   scenario, run_file, or both (default both, one after the other)
#
# Configures and builds the "fuzz" preset (build/fuzz, clang++, CIVITAS_FUZZ=ON) with -j1, then runs each
# target single-process (-jobs=1 -workers=1) over a scratch copy of its committed corpus
# (tests/fuzz/corpus/TARGET), so new inputs libFuzzer keeps do not land in the tree; copy the small ones that
# raise coverage into the corpus by hand. Work goes to build/fuzz/work/TARGET-DATE: corpus/ (the grown corpus),
# fuzz.log, and crash-*, leak-*, timeout-*, oom-* reproducers. At the end it prints each target's executions,
# exec/s and coverage (the final libFuzzer line) and lists any reproducers.
#
# Limits: -max_len is 16 KiB for scenarios (a scenario is a page of settings) and 128 KiB for run files (the
# seeds are small run files); -timeout=10 s per input; -rss_limit_mb=2048 (also the malloc limit, so a huge
# allocation is reported as a finding).
#
# A reproducer: build/fuzz/fuzz_TARGET FILE runs one input (with a stack trace under ASan);
# the g++ build replays files with fuzz_TARGET_replay FILE. A fixed one goes into the corpus, where ctest's
# fuzz_TARGET_replay keeps it passing.
#
# The committed run-file seeds are made by tests/fuzz/make_run_file_seeds.sh (tiny civitas runs, repacked
# into small chunks, plus an incomplete and two truncated variants).
set -euo pipefail

seconds=${1:-600}
shift || true
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(scenario run_file)

root=$(cd "$(dirname "$0")/../.." && pwd)
build="$root/build/fuzz"

cmake --preset fuzz -S "$root" >/dev/null
cmake --build "$build" -j1 --target fuzz_scenario fuzz_run_file

summary=()
for target in "${targets[@]}"; do
  case "$target" in
    scenario) max_len=16384 asan_extra= ;;
    # HDF5 sizes its metadata-cache buffers from the file: a corrupt size asks malloc for petabytes. In
    # production malloc then returns NULL and HDF5 reports an error (exit 3); ASan would abort instead, so
    # for this target it returns NULL too (hdf5_findings/hdf5_huge_metadata_size.h5 is such a file).
    run_file) max_len=131072 asan_extra=:allocator_may_return_null=1 ;;
    *) echo "unknown target: $target (scenario or run_file)" >&2; exit 2 ;;
  esac
  work="$build/work/$target-$(date +%Y%m%d-%H%M%S)"  # per run, so no earlier finding is overwritten
  mkdir -p "$work/corpus"
  cp "$root/tests/fuzz/corpus/$target"/* "$work/corpus/"
  echo "== fuzz_$target: ${seconds}s, log $work/fuzz.log"
  # -jobs=1 runs the fuzzer in one child process that writes fuzz-0.log in the current directory.
  status=0
  # Leaks inside HDF5 itself are suppressed (lsan.supp says why); UBSan prints a stack before aborting.
  (cd "$work" && ASAN_OPTIONS=detect_leaks=1$asan_extra UBSAN_OPTIONS=print_stacktrace=1 \
     LSAN_OPTIONS="suppressions=$root/tests/fuzz/lsan.supp:print_suppressions=0" \
     "$build/fuzz_$target" -jobs=1 -workers=1 \
     -max_total_time="$seconds" -max_len="$max_len" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
     -artifact_prefix="$work/" corpus) || status=$?
  mv -f "$work/fuzz-0.log" "$work/fuzz.log" 2>/dev/null || true
  last=$(grep -E '^#[0-9]+' "$work/fuzz.log" | tail -1 || true)
  runs=$(grep -E '^stat::number_of_executed_units' "$work/fuzz.log" | awk '{print $2}' || true)
  rate=$(grep -E '^stat::average_exec_per_sec' "$work/fuzz.log" | awk '{print $2}' || true)
  found=$(ls "$work" | grep -E '^(crash|leak|timeout|oom|slow-unit)-' || true)
  summary+=("fuzz_$target: exit $status, executions ${runs:-?}, exec/s ${rate:-?}")
  summary+=("  last: ${last:-none}")
  if [ -n "$found" ]; then
    for f in $found; do summary+=("  finding: $work/$f"); done
  else
    summary+=("  findings: none")
  fi
done

echo
printf '%s\n' "${summary[@]}"

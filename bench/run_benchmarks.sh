#!/usr/bin/env bash
# Runs the engine benchmarks and keeps the JSON beside the console table.
# Usage: bash bench/run_benchmarks.sh [extra Google Benchmark flags, e.g. --benchmark_filter=Bare]
set -euo pipefail
cd "$(dirname "$0")/.."
out=build/bench-results.json
./build/release/bench/civitas_bench --benchmark_out="$out" --benchmark_out_format=json "$@"
echo "results: $out"

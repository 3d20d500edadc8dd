#!/usr/bin/env bash
# The ledger property check at length. Drives the real ledger with random intents of every kind
# (transfers, some beyond the funds; linked chains of 2 to 5; mints and burns with authorised and
# unauthorised reasons; wrong tokens, bad amounts, unknown and same accounts, frozen accounts, accounts that
# may go negative) through apply, settle_sequential and settle_simultaneous, and after every sealed step
# checks, independently of the ledger: conservation per token, non-negativity, a shadow model of the
# balances built from the records, every record's status against the rules, one record per intent with
# its position as id, atomic chains, mint and burn authorisation, status counts, supplies, lineage and
# the header chain. The generator and checker are tests/ledger/ledger_property.hpp, shared with the
# test ledger_property_test (a few million transfers under ctest).
#
# 10^9 transfers take about 4.5 minutes on the release build (268 s, 3.7 million transfers/s, two shared
# cores, hashing on). Exits non-zero on any violation, printing each with the seed that reproduces it
# (ledger_property TRANSFERS SEED runs from that seed).
#
# Usage: bash bench/ledger_property.sh [TRANSFERS [FIRST_SEED [THREADS]]]   (defaults 1e9, 1, TBB's choice)
# Build first: cmake --preset release && cmake --build --preset release --target ledger_property
set -euo pipefail
cd "$(dirname "$0")/.."
exec ./build/release/bench/ledger_property "$@"

// `civitas sweep` and `civitas compare`: many runs of one scenario, summarised with confidence intervals.
//
//   civitas sweep SCENARIO --grid KEY=V1,V2 [--grid KEY=LO:HI:N ...] [--zip] [--metric NAME ...]
//                 [--replicates R] [--steps N] [--seed N] [--set KEY=VALUE ...] [--threads N] [--out FILE]
//                 [--report PREFIX] [--quiet]
//   civitas compare SCENARIO [--regimes market,social_credit,daf,alliance] [--replicates R] [same options]
//
// compare is a sweep over governance.regime with a fixed table of outcomes (inequality, total value, S/E,
// RAG shares, good deeds per capita, welfare, sanctions, treasury efficiency, rejected transfers); it
// prints the table and writes FILE (HDF5, long format) and PREFIX.csv / PREFIX.md. A sweep tabulates the
// end-of-run value of every /series column, or of the --metric columns only. The running is cli/study.cpp.
#pragma once

#include <string>

namespace CLI {
class App;
}

namespace civitas::cli {

CLI::App* add_sweep_command(CLI::App& app);
CLI::App* add_compare_command(CLI::App& app);
int run_sweep_command(CLI::App& sweep);
int run_compare_command(CLI::App& compare);

// "market,social_credit,...": every regime, in the registry's order.
std::string all_regimes();
// The grid `compare` runs, "governance.regime=R1,R2,...", after checking `regimes` (comma-separated: each
// a known regime, none twice; the errors name --regimes).
std::string compare_grid(const std::string& regimes);

}  // namespace civitas::cli

// `civitas sensitivity`: which parameters move a metric, and how (global sensitivity analysis).
//
//   civitas sensitivity SCENARIO --method morris|sobol --param KEY=LO:HI [--param ...] --metric NAME
//                       [--metric ...] [--samples N] [--levels P] [--replicates R] [--window STEPS]
//                       [--steps N] [--seed N] [--set KEY=VALUE ...] [--threads N] [--out FILE]
//                       [--report PREFIX] [--quiet]
//
// Morris: N trajectories (default 10) on a P-level grid (default 4), mu*, mu and sigma per parameter and
// metric. Sobol': N base samples (default 64; a power of two keeps the sequence balanced), N (k + 2) design
// points, first-order and total indices with bootstrap intervals. Every point runs R replicates; prints
// the table and writes FILE (HDF5, experiment/sensitivity_study.hpp) and, when asked, PREFIX.csv / .md.
// The figure: python3 analysis/plot_sensitivity.py FILE OUT.png.
#pragma once

namespace CLI {
class App;
}

namespace civitas::cli {

CLI::App* add_sensitivity_command(CLI::App& app);
int run_sensitivity_command(CLI::App& sensitivity);

}  // namespace civitas::cli

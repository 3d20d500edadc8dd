// `civitas calc`: the people's calculators (docs/domain.md §6) on the command line.
//
//   civitas calc se-ratio --positive N --neutral N --negative N --margin PCT --target-population N
//                         --csr-spend GBP --service-users N --net-assets GBP --staff N --co2 T --people N
//                         [--money-leveraged GBP] [--json]
//   civitas calc modern-slavery --year Y --salary GBP --staff N --sentiment 0..100 [--json]
//   civitas calc personal-value --worth GBP --co2 T --giving GBP --people N [--money-leveraged GBP] [--json]
//
// Each prints its result and every part that went into it (or one JSON object with --json).
// Flag values are read as text and checked here, so a bad value names its flag:
// "--staff: must be a positive integer, got -3".
#pragma once

namespace CLI {
class App;
}

namespace civitas::cli {

// Adds `calc` with subcommands se-ratio, modern-slavery, personal-value to `app`; returns it.
CLI::App* add_calc_command(CLI::App& app);

// Runs whichever calc subcommand was parsed; prints the result; returns the exit code (0).
// Bad values throw civitas::input_error (the caller prints it and exits 2).
int run_calc(CLI::App& calc);

}  // namespace civitas::cli

// `civitas lineage FILE`: which money gave birth to which value tokens (docs/domain.md §3).
//
//   civitas lineage FILE                 per token: lots minted, units, and the sponsors whose money backed
//   them civitas lineage FILE --agent N       holdings by origin: every lot minted to agent N and the
//   transfer behind it civitas lineage FILE --lot ID        one lot and its backing transfer
// `--json` prints one JSON object instead. Backing transfers are looked up in /ledger/transfers; a file
// written with `--ledger headers` shows lots without their backing details (and says so).
#pragma once

namespace CLI {
class App;
}

namespace civitas::cli {

CLI::App* add_lineage_command(CLI::App& app);
// Runs the parsed command; throws civitas::input_error (unknown agent or lot) or data_error (bad file).
int run_lineage(CLI::App& lineage);

}  // namespace civitas::cli

#include "driver/run.hpp"

#include <tbb/info.h>
#include <tbb/task_arena.h>

#include <chrono>
#include <ctime>
#include <exception>
#include <memory>
#include <optional>

#include "core/error.hpp"
#include "core/version.hpp"
#include "driver/registry.hpp"
#include "io/run_file.hpp"
#include "ledger/signature.hpp"

namespace civitas::driver {
namespace {
std::string utc_now() {
  const std::time_t t = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}
}  // namespace

unsigned resolve_threads(unsigned threads) {
  return threads == 0 ? static_cast<unsigned>(tbb::info::default_concurrency()) : threads;
}

std::string build_flags() {
  std::string flags = "g++ " __VERSION__;
#ifdef NDEBUG
  flags += ", NDEBUG";
#endif
#if CIVITAS_ASSERTS
  flags += ", asserts on";
#endif
#ifdef __OPTIMIZE__
  flags += ", optimised";
#endif
  flags += ", -ffp-contract=off";
  return flags;
}

run_summary run_scenario(const params::scenario& scenario, const run_options& options) {
  run_summary summary;
  summary.threads = resolve_threads(options.threads);
  // Load the key first: a bad key must fail before hours of simulation, not after.
  std::optional<ledger::signing_key> signer;
  if (!options.sign_key.empty()) signer = ledger::signing_key::load(options.sign_key);
  tbb::task_arena arena(static_cast<int>(summary.threads));
  const auto started = std::chrono::steady_clock::now();

  arena.execute([&] {
    const auto world_owner =
        driver::make_world(scenario, ledger::ledger_options{options.hashing}, options.peers);
    sim::world& w = *world_owner;
    const sim::run_params& run = w.run();
    std::unique_ptr<io::run_writer> writer;
    std::exception_ptr writer_failed;
    const auto open_writer = [&] {
      io::run_meta meta;
      meta.scenario = w.canonical_scenario();
      meta.scenario_name = run.name;
      meta.seed = run.seed;
      meta.engine_version = engine_version;
      meta.build_flags = build_flags();
      meta.start_time = utc_now();
      meta.threads = summary.threads;
      meta.steps_planned = run.steps;
      meta.ledger_log = std::string(sim::to_string(w.output().ledger));
      meta.activation = std::string(sim::to_string(run.activation));
      meta.compression = static_cast<int>(w.output().compression);
      writer = std::make_unique<io::run_writer>(options.out_path, meta, w.layout());
      // Written record buffers come back to the ledger for the next step (no per-step allocation).
      writer->recycle_records([pool = w.ledger().records_pool()](std::vector<ledger::transfer_record>&& r) {
        pool->give_back(std::move(r));
      });
    };
    if (!w.sharded()) {
      if (!options.out_path.empty()) open_writer();
    } else {
      // Rank 0 alone opens the file. If it cannot, every rank stops here, before the run's first
      // collective, instead of waiting there; the others with the same kind of error (the same exit code).
      enum : std::int64_t { opened = 0, refused = 1, failed = 2 };
      std::int64_t outcome = opened;
      std::exception_ptr why;
      if (!options.out_path.empty() && w.root()) {
        try {
          open_writer();
        } catch (const input_error&) {
          outcome = refused;
          why = std::current_exception();
        } catch (...) {
          outcome = failed;
          why = std::current_exception();
        }
      }
      w.peers_mutable()->all_reduce_sum(std::span(&outcome, 1));
      if (why) std::rethrow_exception(why);
      const std::string message = "rank 0 could not open the output file " + options.out_path;
      if (outcome == refused) throw input_error(message);
      if (outcome != opened) throw write_error(message);
    }
    io::run_writer* out = writer.get();
    w.genesis(out ? sim::block_sink([out](io::step_packet&& p) { out->push(std::move(p)); })
                  : sim::block_sink{});
    for (step_t s = 1; s <= run.steps; ++s) {
      w.step();
      if (options.progress) options.progress(s, run.steps);
    }
    const std::string head = ledger::to_hex(w.ledger().head().hash);
    if (writer) {
      writer->finish(head, w.current_step(), signer ? &*signer : nullptr);
      summary.file_seal = ledger::to_hex(writer->last_seal());
      summary.signed_head = signer.has_value();
    }

    summary.scenario_name = run.name;
    summary.seed = run.seed;
    summary.steps = w.current_step();
    summary.agents = w.agents().size();
    summary.accounts = w.ledger().account_count();
    summary.transfers = w.total_transfers();
    summary.rejected = w.total_rejected();
    summary.status_totals = w.status_totals();
    for (std::size_t t = 0; t < w.ledger().token_count(); ++t) {
      const auto id = static_cast<token_id>(t);
      summary.supplies.emplace_back(w.ledger().token(id).name,
                                    -w.ledger().balance(w.ledger().issuer_account(id)));
    }
    summary.columns = w.metric_columns();
    summary.final_metrics = w.metrics();
    summary.head_hash = head;
    summary.timings = w.timings();
    summary.out_path = w.root() ? options.out_path : std::string();
    if (w.sharded()) {
      summary.shards = w.ledger().shard_count();
      summary.ranks = w.peers()->size();
      summary.rank = w.peers()->rank();
      summary.communication = w.peers()->stats();
    }
  });
  summary.wall_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  return summary;
}

}  // namespace civitas::driver

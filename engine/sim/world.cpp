#include "sim/world.hpp"

#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>

#include "core/assert.hpp"
#include "core/permutation.hpp"
#include "core/version.hpp"
#include "io/binding.hpp"

namespace civitas::sim {
namespace {
class phase_timer {
 public:
  phase_timer(profile& p, step_phase phase) : p_(p), i_(static_cast<std::size_t>(phase)) {}
  ~phase_timer() {
    const auto ns = static_cast<std::uint64_t>(
        std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now() - start_)
            .count());
    p_.last_ns[i_] = ns;
    p_.total_ns[i_] += ns;
  }

 private:
  profile& p_;
  std::size_t i_;
  std::chrono::steady_clock::time_point start_ = std::chrono::steady_clock::now();
};
}  // namespace

const char* phase_name(step_phase p) {
  switch (p) {
    case step_phase::decide:
      return "decide";
    case step_phase::settle:
      return "settle";
    case step_phase::govern:
      return "govern";
    case step_phase::score:
      return "score";
    case step_phase::record:
      return "record";
  }
  return "unknown";
}

world::world(const params::scenario& scenario, std::unique_ptr<model> m, ledger::ledger_options options)
    : scenario_(scenario),
      run_(scenario.get<run_params>()),
      output_(scenario.get<output_params>()),
      canonical_(params::canonical_toml(scenario)),
      ledger_(options),
      model_(std::move(m)) {
  model_->setup(*this);
  columns_ = {"step", "transfers", "rejected"};
  for (std::size_t t = 0; t < ledger_.token_count(); ++t)
    columns_.push_back("supply_" + ledger_.token(static_cast<token_id>(t)).name);
  for (auto& c : model_->metric_columns()) columns_.push_back(std::move(c));
  metrics_.assign(columns_.size(), 0.0);

  const std::size_t n = population_.size();
  batch_.chunk_size = chunk_size;
  batch_.chunks.resize((n + chunk_size - 1) / chunk_size);
  order_.resize(n);
}

void world::genesis(block_sink sink) {
  CIVITAS_ASSERT(!ledger_.has_head());
  sink_ = std::move(sink);
  // The run's identity: what is simulated (not what is stored), the seed, the engine, and every table
  // fixed before step 0 that a reader relies on.
  ledger_.begin_genesis(ledger::scenario_binding(params::identity_toml(scenario_), run_.seed, engine_version,
                                                 io::layout_digest(layout())));
  model_->endow(*this);
  record(snapshot_due(0));
}

world::~world() = default;

bool world::snapshot_due(step_t step) const {
  if (step == run_.steps) return true;  // the final state is always kept
  return output_.snapshot_every > 0 && step % output_.snapshot_every == 0;
}

void world::step() {
  CIVITAS_ASSERT(ledger_.has_head());
  const step_t step = ledger_.head().step + 1;
  ledger_.begin_step(step);
  const auto n = static_cast<agent_id>(population_.size());

  const bool random_sequential = run_.activation == activation_kind::random_sequential;
  if (random_sequential && model_->streams_intents()) {
    // Intents drawn block by block during the walk (ledger::settle_streamed): no decide phase, no
    // step-sized intent arrays; the activation order is computed per block, ahead of the walk, too.
    phase_timer t(profile_, step_phase::settle);
    const feistel_permutation order(run_.seed, step, rng_purpose::activation_order, n);
    ledger_.settle_streamed(
        n,
        [&](std::uint32_t first, std::uint32_t count, ledger::walk_block& out) {
          out.agents.resize(count);
          for (std::uint32_t i = 0; i < count; ++i) out.agents[i] = order(first + i);
          model_->decide_agents(*this, out.agents, out.intents);
          out.intents.finish();
        },
        model_->records_unfunded());
  } else {
    {
      phase_timer t(profile_, step_phase::decide);
      tbb::parallel_for(tbb::blocked_range<std::size_t>(0, batch_.chunks.size(), 1), [&](const auto& r) {
        for (std::size_t c = r.begin(); c != r.end(); ++c) {
          const auto first = static_cast<agent_id>(c * chunk_size);
          const agent_id end = std::min<agent_id>(n, first + chunk_size);
          ledger::intent_chunk& chunk = batch_.chunks[c];
          chunk.reset(first);
          model_->decide(*this, chunk, first, end);
          chunk.finish();
        }
      });
    }
    phase_timer t(profile_, step_phase::settle);
    if (random_sequential) {
      const feistel_permutation order(run_.seed, step, rng_purpose::activation_order, n);
      tbb::parallel_for(tbb::blocked_range<agent_id>(0, n, 1 << 14), [&](const auto& r) {
        for (agent_id i = r.begin(); i != r.end(); ++i) order_[i] = order(i);
      });
      ledger_.settle_sequential(batch_, order_);
    } else {
      ledger_.settle_simultaneous(batch_);
    }
  }
  {
    phase_timer t(profile_, step_phase::govern);
    model_->govern(*this);
  }
  record(snapshot_due(step));
  ++profile_.steps;
}

void world::record(bool with_snapshot) {
  const step_t step = ledger_.current_step();
  {
    phase_timer t(profile_, step_phase::score);
    const auto& counts = ledger_.step_status_counts();
    std::uint64_t all = 0;
    for (const auto c : counts) all += c;
    for (std::size_t i = 0; i < counts.size(); ++i) status_totals_[i] += counts[i];
    total_transfers_ += all;
    total_rejected_ += all - counts[0];
    std::size_t k = 0;
    metrics_[k++] = static_cast<double>(step);
    metrics_[k++] = static_cast<double>(all);
    metrics_[k++] = static_cast<double>(all - counts[0]);
    for (std::size_t t = 0; t < ledger_.token_count(); ++t)
      metrics_[k++] = static_cast<double>(-ledger_.balance(ledger_.issuer_account(static_cast<token_id>(t))));
    const bool full = step % output_.metrics_every == 0 || step == run_.steps;
    model_->score(*this, full, std::span(metrics_).subspan(k));
  }
  phase_timer t(profile_, step_phase::record);
  const ledger::block_header& header = ledger_.seal_step();
  if (!sink_) return;
  io::step_packet packet;
  packet.header = header;
  if (output_.ledger == ledger_log::full) packet.records = ledger_.take_step_records();
  packet.lineage = ledger_.take_step_lineage();
  packet.metrics = metrics_;
  if (with_snapshot) packet.snapshot = snapshot();
  sink_(std::move(packet));
}

io::agent_snapshot world::snapshot() const {
  return io::agent_snapshot{ledger_.has_head() ? ledger_.head().step : 0, model_->snapshot_balances(*this),
                            model_->snapshot_scores(*this)};
}

io::run_layout world::layout() const {
  io::run_layout l;
  for (std::size_t t = 0; t < ledger_.token_count(); ++t) {
    l.tokens.push_back(ledger_.token(static_cast<token_id>(t)));
    l.issuer_accounts.push_back(ledger_.issuer_account(static_cast<token_id>(t)));
  }
  for (const auto& a : ledger_.authorisations()) l.authorisations.push_back({a.token, a.reason, a.mint});
  l.accounts.reserve(ledger_.account_count());
  for (std::size_t a = 0; a < ledger_.account_count(); ++a)
    l.accounts.push_back(ledger_.account(static_cast<account_id>(a)));
  l.metric_columns = columns_;
  l.agent_kinds.reserve(population_.size());
  for (const auto k : population_.kind) l.agent_kinds.push_back(static_cast<std::uint8_t>(k));
  l.value_dimensions = static_cast<std::uint32_t>(population_.values.cols());
  l.agent_values.assign(population_.values.data(), population_.values.data() + population_.values.size());
  l.score_columns = model_->score_columns();
  for (const auto& r : model_->reasons()) l.reasons.push_back({r.code, r.name});
  l.statuses = io::engine_statuses();
  model_->describe(l);
  return l;
}

}  // namespace civitas::sim

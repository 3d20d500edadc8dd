#include "io/binding.hpp"

#include <bit>
#include <cstring>

namespace civitas::io {
namespace {
using ledger::digest;
using ledger::sha256_hasher;

// A length-prefixed, little-endian framing: no two different inputs give the same byte stream.
class framer {
 public:
  explicit framer(std::uint8_t domain) {
    h_.begin();
    h_.update(domain);
  }
  template <class T>
  void number(T v) {
    static_assert(std::is_integral_v<T>);
    std::uint8_t bytes[sizeof(T)];
    for (std::size_t i = 0; i < sizeof(T); ++i)
      bytes[i] = static_cast<std::uint8_t>(static_cast<std::uint64_t>(v) >> (8 * i));
    h_.update(bytes);
  }
  void real(double v) { number(std::bit_cast<std::uint64_t>(v)); }
  void text(std::string_view s) {
    number(static_cast<std::uint64_t>(s.size()));
    h_.update(std::span(reinterpret_cast<const std::uint8_t*>(s.data()), s.size()));
  }
  void bytes(std::span<const std::uint8_t> b) { h_.update(b); }
  template <class T>
  void raw(const std::vector<T>& v) {  // integers or doubles, little-endian in memory
    number(static_cast<std::uint64_t>(v.size()));
    h_.update(std::span(reinterpret_cast<const std::uint8_t*>(v.data()), v.size() * sizeof(T)));
  }
  void names(const std::vector<std::string>& v) {
    number(static_cast<std::uint64_t>(v.size()));
    for (const auto& s : v) text(s);
  }
  void edges(const std::vector<std::pair<std::uint32_t, std::uint32_t>>& v) {
    number(static_cast<std::uint64_t>(v.size()));
    for (const auto& [a, b] : v) {
      number(a);
      number(b);
    }
  }
  digest finish() { return h_.finish(); }

 private:
  sha256_hasher h_;
};
}  // namespace

std::vector<code_entry> engine_statuses() {
  std::vector<code_entry> out;
  for (std::size_t i = 0; i < ledger::status_count; ++i)
    out.push_back({static_cast<std::uint16_t>(i), ledger::status_name(static_cast<ledger::status>(i))});
  return out;
}

digest layout_digest(const run_layout& l) {
  framer f(0x05);
  f.number(static_cast<std::uint64_t>(l.tokens.size()));
  for (const auto& t : l.tokens) {
    f.text(t.name);
    f.number(static_cast<std::uint8_t>(t.kind));
  }
  f.raw(l.issuer_accounts);
  f.number(static_cast<std::uint64_t>(l.accounts.size()));
  for (const auto& a : l.accounts) {
    f.number(a.owner);
    f.number(a.token);
    f.number(a.flags);
  }
  f.number(static_cast<std::uint64_t>(l.authorisations.size()));
  for (const auto& a : l.authorisations) {
    f.number(a.token);
    f.number(a.reason);
    f.number(static_cast<std::uint8_t>(a.mint));
  }
  for (const auto* table : {&l.reasons, &l.statuses}) {
    f.number(static_cast<std::uint64_t>(table->size()));
    for (const auto& c : *table) {
      f.number(c.code);
      f.text(c.name);
    }
  }
  f.names(l.metric_columns);
  f.raw(l.agent_kinds);
  f.number(l.value_dimensions);
  f.raw(l.agent_values);
  f.names(l.value_dimension_names);
  f.names(l.score_columns);
  f.edges(l.social_edges);
  f.edges(l.supply_edges);
  return f.finish();
}

digest seal_start(const run_meta& m) {
  framer f(0x06);
  f.text(m.scenario);
  f.text(m.scenario_name);
  f.number(m.seed);
  f.text(m.engine_version);
  f.text(m.build_flags);
  f.text(m.start_time);
  f.number(m.threads);
  f.number(m.steps_planned);
  f.text(m.ledger_log);
  f.text(m.activation);
  return f.finish();
}

digest seal_next(const digest& prev, const digest& header_hash, std::span<const double> metrics,
                 const agent_snapshot* snapshot) {
  framer f(0x07);
  f.bytes(prev);
  f.bytes(header_hash);
  f.number(static_cast<std::uint64_t>(metrics.size()));
  for (const double v : metrics) f.real(v);
  f.number(static_cast<std::uint8_t>(snapshot ? 1 : 0));
  if (snapshot) {
    f.number(snapshot->step);
    f.raw(snapshot->balances);
    f.raw(snapshot->scores);
  }
  return f.finish();
}

}  // namespace civitas::io

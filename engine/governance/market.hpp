// The market regime: no central score. Prices and voluntary giving steer the society; value tokens trade
// freely for cash on the pools (when society.value_tradable allows it).
#pragma once

#include "governance/regime.hpp"
#include "params/params.hpp"

namespace civitas::governance {

class market final : public regime {
 public:
  explicit market(const params::scenario& s);
  std::string_view name() const override { return "market"; }
  bool value_tradable() const override { return tradable_; }
  void score(const society::view&, const sim::world& w, regime_row& row) const override;

 private:
  bool tradable_;
};

}  // namespace civitas::governance

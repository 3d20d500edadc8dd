// What a governance regime may see of the society: its layout (who is who, which account is whose),
// read-only. Regimes include this and policy.hpp, never the society model, so governance sits above the
// society and cannot reach into its state.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>

#include "core/types.hpp"

namespace civitas::society {

// The value-token categories: token 1 + k is category k's value token.
inline constexpr std::size_t deed_categories = 3;
inline constexpr std::array<const char*, deed_categories> deed_category_names{"green", "care", "learning"};
// 0-based SDG index each category is drawn by: Climate action (13), Good health (3), Quality education (4).
inline constexpr std::array<std::uint32_t, deed_categories> deed_category_sdg{12, 2, 3};

class view {
 public:
  virtual ~view() = default;
  virtual std::uint32_t citizens() const = 0;
  virtual std::uint32_t firms() const = 0;
  virtual std::uint32_t charities() const = 0;
  virtual agent_id firm_agent(std::uint32_t f) const = 0;
  virtual agent_id charity_agent(std::uint32_t h) const = 0;
  virtual agent_id government() const = 0;
  virtual account_id cash_account(agent_id a) const = 0;
  virtual account_id value_account(std::size_t category, std::uint32_t citizen) const = 0;
  virtual std::span<const std::uint32_t> retailers() const = 0;  // firm indices at the retail stage
  virtual std::uint64_t staff_of(std::uint32_t f) const = 0;     // employees of firm f
  // A citizen's value weight on the goal of a deed category (green = climate action), in [0, 1].
  virtual double goal_weight(agent_id citizen, std::size_t category) const = 0;
};

}  // namespace civitas::society

// The population as structure of arrays: what the step's hot loops read is kept in flat arrays
// indexed by agent id. Values are an N x K matrix (Eigen, row per agent) over the value dimensions.
#pragma once

#include <Eigen/Core>
#include <cstdint>
#include <vector>

#include "core/types.hpp"

namespace civitas {

enum class agent_kind : std::uint8_t { citizen = 0, firm = 1, charity = 2, government = 3 };
const char* agent_kind_name(agent_kind k);

struct population {
  std::vector<agent_kind> kind;                                                   // per agent
  Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor> values;  // N x K

  std::size_t size() const { return kind.size(); }
};

}  // namespace civitas

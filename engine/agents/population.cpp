#include "agents/population.hpp"

namespace civitas {
const char* agent_kind_name(agent_kind k) {
  switch (k) {
    case agent_kind::citizen:
      return "citizen";
    case agent_kind::firm:
      return "firm";
    case agent_kind::charity:
      return "charity";
    case agent_kind::government:
      return "government";
  }
  return "unknown";
}
}  // namespace civitas

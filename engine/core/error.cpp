#include "core/error.hpp"

namespace civitas {
namespace {
std::string join(const std::vector<diagnostic>& diagnostics) {
  std::string out;
  for (const auto& d : diagnostics) {
    if (!out.empty()) out += '\n';
    out += d.str();
  }
  return out;
}
}  // namespace

std::string diagnostic::str() const {
  std::string out;
  if (!file.empty()) {
    out += file;
    if (line > 0) {
      out += ':' + std::to_string(line);
      if (column > 0) out += ':' + std::to_string(column);
    }
    out += ": ";
  }
  return out + message;
}

input_error::input_error(std::vector<diagnostic> diagnostics)
    : std::runtime_error(join(diagnostics)), diagnostics_(std::move(diagnostics)) {}

input_error::input_error(std::string message)
    : input_error(std::vector<diagnostic>{diagnostic{"", 0, 0, std::move(message)}}) {}

}  // namespace civitas

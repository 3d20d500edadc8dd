#include "society/dimensions.hpp"

#include <fstream>

#include "core/error.hpp"
#include "scoring/modern_slavery.hpp"

namespace civitas::society {

std::vector<value_dimension> load_dimensions(const std::filesystem::path& path) {
  std::ifstream in(path);
  const std::string file = path.string();
  if (!in) throw input_error(std::vector<diagnostic>{{file, 0, 0, "cannot open the value dimensions file"}});
  std::vector<value_dimension> out;
  std::string line;
  bool header = true;
  for (int number = 1; std::getline(in, line); ++number) {
    if (line.empty() || line[0] == '#') continue;
    if (header) {
      if (line.rfind("index,code,name", 0) != 0)
        throw input_error(
            std::vector<diagnostic>{{file, number, 1, "expected the header `index,code,name`"}});
      header = false;
      continue;
    }
    const auto first = line.find(',');
    const auto second = first == std::string::npos ? first : line.find(',', first + 1);
    if (second == std::string::npos)
      throw input_error(std::vector<diagnostic>{{file, number, 1, "expected `index,code,name`"}});
    std::string name = line.substr(second + 1);
    if (name.size() >= 2 && name.front() == '"' && name.back() == '"') name = name.substr(1, name.size() - 2);
    std::string code = line.substr(first + 1, second - first - 1);
    if (code.empty() || name.empty())
      throw input_error(std::vector<diagnostic>{{file, number, 1, "empty code or name"}});
    out.push_back({std::move(code), std::move(name)});
  }
  if (out.empty())
    throw input_error(std::vector<diagnostic>{{file, 0, 0, "no value dimensions in the file"}});
  return out;
}

std::vector<value_dimension> load_default_dimensions() {
  return load_dimensions(scoring::data_dir() / "sdg_dimensions.csv");
}

}  // namespace civitas::society

// Names of the value dimensions (default: the 17 UN SDGs in data/sdg_dimensions.csv).
#pragma once

#include <filesystem>
#include <string>
#include <vector>

namespace civitas::society {

struct value_dimension {
  std::string code;  // "SDG13"
  std::string name;  // "Climate action"
};

// Reads `index,code,name` rows (a header line; '#' comment and blank lines skipped; a name may be quoted).
// Throws civitas::input_error naming path:line for a missing file or a malformed row.
std::vector<value_dimension> load_dimensions(const std::filesystem::path& path);
// scoring::data_dir() / "sdg_dimensions.csv".
std::vector<value_dimension> load_default_dimensions();

}  // namespace civitas::society

// Typed errors for bad input. The CLI catches these, prints every diagnostic and exits with code 2.
//
// input_error: something the user gave us is wrong (scenario file, --set override, flag value).
// data_error:  a file we read is corrupt, truncated or tampered with (exit 3).
// write_error: an output could not be written: no space, an I/O error, a failed rename (exit 5).
// Both carry a list of diagnostics, each naming its place as file:line:col where there is one.
#pragma once

#include <stdexcept>
#include <string>
#include <vector>

namespace civitas {

struct diagnostic {
  std::string file;  // path, or a pseudo-source such as "--set" or "--seed"
  int line = 0;      // 1-based; 0 when there is no line
  int column = 0;    // 1-based; 0 when there is no column
  std::string message;

  // "file:line:col: message", dropping the parts that are absent.
  std::string str() const;
};

class input_error : public std::runtime_error {
 public:
  explicit input_error(std::vector<diagnostic> diagnostics);
  explicit input_error(std::string message);  // a diagnostic with no place
  const std::vector<diagnostic>& diagnostics() const noexcept { return diagnostics_; }

 private:
  std::vector<diagnostic> diagnostics_;
};

class data_error : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

class write_error : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

}  // namespace civitas

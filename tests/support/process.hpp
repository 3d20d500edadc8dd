// Running the real `civitas` binary from end-to-end tests, as a user would from a shell.
#pragma once

#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#ifndef CIVITAS_BINARY
#error "CIVITAS_BINARY must be defined by the test build as the path of the civitas executable"
#endif

namespace civitas::test {

struct run_result {
  int exit_code = -1;
  std::string out;
  std::string err;
};

inline std::string slurp(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

inline bool contains(const std::string& haystack, const std::string& needle) {
  return haystack.find(needle) != std::string::npos;
}

// Runs `civitas <args>` through the shell with stdout and stderr captured. `args` is shell text.
inline run_result run_civitas(const std::string& args) {
  static std::atomic<int> counter{0};
  const auto dir = std::filesystem::temp_directory_path();
  const std::string tag = "civitas_e2e_" + std::to_string(::getpid()) + "_" + std::to_string(counter++);
  const auto out = dir / (tag + ".out"), err = dir / (tag + ".err");
  const std::string command = "'" + std::string(CIVITAS_BINARY) + "' " + args + " >'" + out.string() +
                              "' 2>'" + err.string() + "' </dev/null";
  const int status = std::system(command.c_str());
  run_result r;
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  r.out = slurp(out);
  r.err = slurp(err);
  std::filesystem::remove(out);
  std::filesystem::remove(err);
  return r;
}

}  // namespace civitas::test

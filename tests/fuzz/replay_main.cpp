// Replays fuzz corpora without libFuzzer: a main() that calls the target's LLVMFuzzerTestOneInput on every
// file of the directories (or files) given as arguments, so the g++ build and ctest keep every committed
// input passing. Exits non-zero if an argument is missing or holds no input, so a moved corpus cannot turn
// the test into a silent no-op; a failing input crashes or aborts the program, as it would under libFuzzer.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <system_error>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size);

namespace {

namespace fs = std::filesystem;

std::vector<std::uint8_t> read_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  return std::vector<std::uint8_t>(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

// The files to replay for one argument, sorted so the output is the same on every run.
std::vector<fs::path> inputs_of(const fs::path& arg) {
  std::vector<fs::path> out;
  std::error_code ec;
  if (fs::is_directory(arg, ec)) {
    for (const auto& entry : fs::directory_iterator(arg, ec))
      if (entry.is_regular_file()) out.push_back(entry.path());
  } else if (fs::is_regular_file(arg, ec)) {
    out.push_back(arg);
  }
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: %s CORPUS_DIR_OR_FILE...\n", argv[0]);
    return 2;
  }
  std::size_t total = 0;
  for (int i = 1; i < argc; ++i) {
    const std::vector<fs::path> inputs = inputs_of(argv[i]);
    if (inputs.empty()) {
      std::fprintf(stderr, "%s: no inputs (missing or empty)\n", argv[i]);
      return 1;
    }
    for (const auto& path : inputs) {
      // Named before it runs: if it crashes, the last line printed is the culprit.
      std::fprintf(stderr, "replaying %s\n", path.c_str());
      const std::vector<std::uint8_t> bytes = read_file(path);
      // A valid pointer even for an empty file, as libFuzzer passes.
      static const std::uint8_t empty = 0;
      LLVMFuzzerTestOneInput(bytes.empty() ? &empty : bytes.data(), bytes.size());
    }
    std::printf("%s: %zu inputs replayed\n", argv[i], inputs.size());
    total += inputs.size();
  }
  std::printf("%zu inputs replayed, none failed\n", total);
  return 0;
}

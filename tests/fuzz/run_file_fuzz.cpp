// libFuzzer target: the bytes as a run file, opened with io::run_reader and read through every accessor a
// reader program (inspect, lineage, the visualiser) uses. The verifier is not called: it re-runs scenarios,
// far too slow per input.
//
// HDF5 reads only from files, so each input is written to a temporary file (mkstemps under $TMPDIR or
// /tmp, unique per process) that is removed after the input. The name ends in ".h5", not ".partial", so
// the reader opens it plainly first and falls back to SWMR reading for a file still marked as being
// written (the partial seeds), which reaches both ways of opening.
//
// Expected outcome for bad input: civitas::data_error (or input_error). Anything else (another exception,
// a crash, a hang, a huge allocation) is a bug: other exceptions escape, so libFuzzer reports them.
// The read guard (io/read_guard.hpp) is deliberately not enabled: it would turn HDF5's crashes into a
// clean exit and hide them from the fuzzer.
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "core/error.hpp"
#include "io/run_file.hpp"

namespace {

// A temporary file holding the input, removed when it goes out of scope.
class temp_file {
 public:
  temp_file(const std::uint8_t* data, std::size_t size) {
    const char* dir = std::getenv("TMPDIR");
    path_ = std::string(dir != nullptr && *dir != '\0' ? dir : "/tmp") + "/civitas-fuzz-XXXXXX.h5";
    const int fd = ::mkstemps(path_.data(), 3);
    if (fd < 0) fatal("mkstemps");
    for (std::size_t done = 0; done < size;) {
      const ssize_t n = ::write(fd, data + done, size - done);
      if (n <= 0) fatal("write");
      done += static_cast<std::size_t>(n);
    }
    if (::close(fd) != 0) fatal("close");
  }
  ~temp_file() { ::unlink(path_.c_str()); }
  temp_file(const temp_file&) = delete;
  temp_file& operator=(const temp_file&) = delete;

  const std::string& path() const { return path_; }

 private:
  // The harness, not the input, failed: stop rather than report a false finding per input.
  [[noreturn]] void fatal(const char* what) const {
    std::perror(what);
    std::_Exit(1);
  }

  std::string path_;
};

// Everything a reader can give; the values themselves are not checked (that is verify's business).
void read_everything(const std::string& path) {
  const civitas::io::run_reader r(path);
  (void)r.meta();
  const auto& layout = r.layout();
  const auto& headers = r.headers();
  (void)r.seals();
  if (r.has_transfers())
    for (std::size_t s = 0; s < headers.size(); ++s) (void)r.transfers(static_cast<civitas::step_t>(s));
  (void)r.lineage();
  for (const auto& column : layout.metric_columns) (void)r.series(column);
  (void)r.series_rows();
  const auto steps = r.snapshot_steps();
  for (std::size_t i = 0; i < steps.size(); ++i) {
    (void)r.snapshot_balances(i);
    (void)r.snapshot_scores(i);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const temp_file file(data, size);
  try {
    read_everything(file.path());
  } catch (const civitas::data_error&) {
    // A corrupt, truncated or foreign file, reported as such: the expected outcome.
  } catch (const civitas::input_error&) {
  }
  return 0;
}

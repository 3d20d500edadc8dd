// The "done/total runs  ETA m:ss" line of a study (sweep, compare, sensitivity), on standard error.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdio>

namespace civitas::cli {

class progress_line {
 public:
  // `lines`: one line every ten seconds (and at the end) instead of redrawing one: for a standard error
  // that is not a terminal but is watched, as rank 0's is under mpirun (a pipe to the launcher).
  explicit progress_line(bool show, bool lines = false)
      : show_(show), lines_(lines), start_(std::chrono::steady_clock::now()), last_(start_) {}

  // Called after each run (from worker threads, serialised by the caller).
  void operator()(std::size_t done, std::size_t total) {
    if (!show_ || done == 0) return;
    const auto now = std::chrono::steady_clock::now();
    if (lines_ && done != total && now - last_ < std::chrono::seconds(10)) return;
    last_ = now;
    const double elapsed = std::chrono::duration<double>(now - start_).count();
    const double eta = elapsed / static_cast<double>(done) * static_cast<double>(total - done);
    std::fprintf(stderr, "%s%zu/%zu runs  ETA %d:%02d %s", lines_ ? "" : "\r", done, total,
                 static_cast<int>(eta) / 60, static_cast<int>(eta) % 60, lines_ || done == total ? "\n" : "");
  }

 private:
  bool show_, lines_;
  std::chrono::steady_clock::time_point start_, last_;
};

}  // namespace civitas::cli

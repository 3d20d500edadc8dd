// The "done/total runs  ETA m:ss" line of a study (sweep, compare, sensitivity), on standard error.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdio>

namespace civitas::cli {

class progress_line {
 public:
  explicit progress_line(bool show) : show_(show), start_(std::chrono::steady_clock::now()) {}

  // Called after each run (from worker threads, serialised by the caller).
  void operator()(std::size_t done, std::size_t total) const {
    if (!show_ || done == 0) return;
    const double elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
    const double eta = elapsed / static_cast<double>(done) * static_cast<double>(total - done);
    std::fprintf(stderr, "\r%zu/%zu runs  ETA %d:%02d ", done, total, static_cast<int>(eta) / 60,
                 static_cast<int>(eta) % 60);
    if (done == total) std::fprintf(stderr, "\n");
  }

 private:
  bool show_;
  std::chrono::steady_clock::time_point start_;
};

}  // namespace civitas::cli

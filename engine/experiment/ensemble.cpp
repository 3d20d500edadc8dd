#include "experiment/ensemble.hpp"

#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>
#include <tbb/task_arena.h>

#include <bit>
#include <cstring>
#include <mutex>

#include "core/error.hpp"
#include "driver/run.hpp"

namespace civitas::experiment {
namespace h5 = io::h5;
namespace {

const ensemble local;
const ensemble* installed = nullptr;

std::string failures_text(const std::vector<run_failure>& failures) {
  std::string s = std::to_string(failures.size()) + " run(s) failed:";
  for (const auto& f : failures) s += "\n  " + f.str();
  return s;
}

}  // namespace

std::vector<job_result> ensemble::run(std::size_t n, unsigned threads, const job_work& work,
                                      const job_progress& progress) const {
  std::vector<job_result> results(n);
  std::mutex report;
  std::size_t done = 0;
  tbb::task_arena arena(static_cast<int>(driver::resolve_threads(threads ? threads : default_threads())));
  arena.execute([&] {
    // One task per job; each run's world also runs its phases in parallel inside the same arena.
    tbb::parallel_for(tbb::blocked_range<std::size_t>(0, n, 1), [&](const auto& range) {
      for (std::size_t i = range.begin(); i != range.end(); ++i) {
        results[i] = run_job(work, i);
        std::lock_guard lock(report);
        ++done;
        if (progress) progress(done, n);
      }
    });
  });
  return results;
}

const ensemble& current_ensemble() { return installed ? *installed : local; }
void set_current_ensemble(const ensemble* e) { installed = e; }

job_result run_job(const job_work& work, std::size_t job) {
  try {
    return {true, work(job)};
  } catch (const input_error& e) {  // its what() is generic: the diagnostics say what was wrong
    std::string text;
    for (const auto& d : e.diagnostics()) text += (text.empty() ? "" : "; ") + d.str();
    return {false, text};
  } catch (const std::exception& e) {
    return {false, e.what()};
  } catch (...) {
    return {false, "an exception that is not a std::exception"};
  }
}

std::string run_failure::str() const {
  std::string p;
  for (const auto& [key, value] : params) p += (p.empty() ? "" : ", ") + key + "=" + value;
  return "run " + std::to_string(run_id) + " (point " + std::to_string(point) + (p.empty() ? "" : ": " + p) +
         ", replicate " + std::to_string(replicate) + ", seed " + std::to_string(seed) + "): " + error;
}

failed_runs_error::failed_runs_error(std::vector<run_failure> failures)
    : std::runtime_error(failures_text(failures)), failures_(std::move(failures)) {}

peer_error::peer_error(int rank, int code)
    : std::runtime_error("rank " + std::to_string(rank) + " stopped before the runs with exit code " +
                         std::to_string(code) + " (its error is printed above)"),
      rank_(rank),
      code_(code) {}

void write_failures(hid_t file, const std::vector<run_failure>& failures,
                    const std::vector<std::string>& keys) {
  if (failures.empty()) return;
  h5::group g = h5::create_group(file, "failed");
  std::vector<std::uint32_t> id, point, replicate;
  std::vector<std::uint64_t> seed;
  std::vector<std::string> error;
  for (const auto& f : failures) {
    id.push_back(f.run_id);
    point.push_back(f.point);
    replicate.push_back(f.replicate);
    seed.push_back(f.seed);
    error.push_back(f.error);
  }
  const hsize_t dims[1] = {failures.size()};
  h5::create_fixed(g.get(), "run_id", H5T_STD_U32LE, dims, H5T_NATIVE_UINT32, id.data());
  h5::create_fixed(g.get(), "point", H5T_STD_U32LE, dims, H5T_NATIVE_UINT32, point.data());
  h5::create_fixed(g.get(), "replicate", H5T_STD_U32LE, dims, H5T_NATIVE_UINT32, replicate.data());
  h5::create_fixed(g.get(), "seed", H5T_STD_U64LE, dims, H5T_NATIVE_UINT64, seed.data());
  for (std::size_t k = 0; k < keys.size(); ++k) {
    std::vector<std::string> values;
    for (const auto& f : failures) values.push_back(k < f.params.size() ? f.params[k].second : "");
    h5::create_strings(g.get(), "param_" + keys[k], values);
  }
  h5::create_strings(g.get(), "error", error);
}

void byte_writer::u64(std::uint64_t v) {
  char b[8];
  for (int i = 0; i < 8; ++i) b[i] = static_cast<char>((v >> (8 * i)) & 0xff);
  out_.append(b, 8);
}
void byte_writer::f64s(const std::vector<double>& v) {
  u64(v.size());
  for (const double d : v) u64(std::bit_cast<std::uint64_t>(d));  // bit for bit, NaN payloads too
}
void byte_writer::text(const std::string& s) {
  u64(s.size());
  out_ += s;
}

const char* byte_reader::take(std::size_t n) {
  if (n > in_.size() - at_) throw std::runtime_error("a job's result is shorter than its contents say");
  const char* p = in_.data() + at_;
  at_ += n;
  return p;
}
std::uint64_t byte_reader::u64() {
  const char* b = take(8);
  std::uint64_t v = 0;
  for (int i = 0; i < 8; ++i) v |= static_cast<std::uint64_t>(static_cast<unsigned char>(b[i])) << (8 * i);
  return v;
}
std::vector<double> byte_reader::f64s() {
  const std::uint64_t n = u64();
  if (n > (in_.size() - at_) / 8) throw std::runtime_error("a job's result is shorter than its contents say");
  std::vector<double> v(n);
  for (auto& d : v) d = std::bit_cast<double>(u64());
  return v;
}
std::string byte_reader::text() {
  const std::uint64_t n = u64();
  if (n > in_.size() - at_) throw std::runtime_error("a job's result is shorter than its contents say");
  return std::string(take(n), n);
}

}  // namespace civitas::experiment

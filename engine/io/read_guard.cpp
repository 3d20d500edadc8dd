#include "io/read_guard.hpp"

#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <thread>

namespace civitas::io {
namespace {
std::atomic<bool> enabled{false};
std::atomic<int> depth{0};
std::atomic<std::int64_t> deadline_ns{0};  // 0: no reader call in progress
unsigned limit_seconds = 120;
int exit_code = 3;
char current_path[1024] = {};  // written before the deadline is set; read by the watchdog and the handler

std::int64_t now_ns() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

// Async-signal-safe: write(2) and _exit(2) only.
void say_and_exit(const char* what) {
  const char* parts[] = {"error: ", current_path, ": ", what, "\n"};
  for (const char* p : parts) {
    const ssize_t ignored = ::write(STDERR_FILENO, p, std::strlen(p));
    (void)ignored;
  }
  ::_exit(exit_code);
}

void on_fatal_signal(int sig) {
  if (deadline_ns.load() != 0)
    say_and_exit("corrupt HDF5 metadata crashed the HDF5 library while reading the file");
  ::signal(sig, SIG_DFL);  // not inside a reader call: our own crash, with its default effect
  ::raise(sig);
}

void watchdog() {
  for (;;) {
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
    const std::int64_t d = deadline_ns.load();
    if (d != 0 && now_ns() > d)
      say_and_exit(
          "reading the file did not finish in time: corrupt HDF5 metadata keeps the HDF5 library looping");
  }
}
}  // namespace

void enable_read_guard(unsigned seconds, int code) {
  if (enabled.exchange(true)) return;
  limit_seconds = seconds;
  if (const char* env = std::getenv("CIVITAS_READ_TIMEOUT")) {
    const long v = std::strtol(env, nullptr, 10);
    if (v > 0) limit_seconds = static_cast<unsigned>(v);
  }
  exit_code = code;
  for (const int sig : {SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGABRT}) ::signal(sig, on_fatal_signal);
  std::thread(watchdog).detach();
}

read_scope::read_scope(const std::string& path) {
  if (!enabled.load() || depth.fetch_add(1) > 0) return;
  const std::size_t n = std::min(path.size(), sizeof current_path - 1);
  std::memcpy(current_path, path.data(), n);
  current_path[n] = '\0';
  deadline_ns.store(now_ns() + std::int64_t{limit_seconds} * 1'000'000'000);
}

read_scope::~read_scope() {
  if (!enabled.load()) return;
  if (depth.fetch_sub(1) == 1) deadline_ns.store(0);
}

}  // namespace civitas::io

#include "viz/recorder.hpp"

#include <spawn.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <filesystem>

#include "core/error.hpp"

extern char** environ;

namespace civitas::viz {
namespace {

bool on_path(const std::string& program) {
  const char* path = std::getenv("PATH");
  std::string dirs = path ? path : "/usr/bin:/bin";
  for (std::size_t start = 0; start <= dirs.size();) {
    const auto colon = std::min(dirs.find(':', start), dirs.size());
    const std::string candidate = dirs.substr(start, colon - start) + "/" + program;
    if (::access(candidate.c_str(), X_OK) == 0) return true;
    start = colon + 1;
  }
  return false;
}

}  // namespace

video_recorder::video_recorder(std::string path, int frames_per_second)
    : path_(std::move(path)), fps_(frames_per_second) {
  namespace fs = std::filesystem;
  auto refuse = [&](const std::string& why) { throw input_error({{"--record", 0, 0, path_ + ": " + why}}); };
  if (!path_.ends_with(".mp4")) refuse("a video is written as .mp4");
  const fs::path p(path_);
  const fs::path folder = p.has_parent_path() ? p.parent_path() : fs::path(".");
  std::error_code ec;
  if (!fs::is_directory(folder, ec)) refuse("no such folder " + folder.string());
  // Never write through a device node or into anything but a regular file.
  const auto st = fs::status(p, ec);
  if (fs::exists(st) && !fs::is_regular_file(st)) refuse("exists and is not a regular file");
  if (::access(folder.c_str(), W_OK) != 0) refuse("folder " + folder.string() + " is not writable");
  if (!on_path("ffmpeg")) refuse("ffmpeg is not on the PATH (Debian package ffmpeg)");
  std::signal(SIGPIPE, SIG_IGN);  // ffmpeg failing must give a write error here, not end the program
}

video_recorder::~video_recorder() { finish(); }

bool video_recorder::start(int width, int height) {
  int fds[2];
  if (::pipe(fds) != 0) {
    error_ = std::string("cannot make a pipe to ffmpeg: ") + std::strerror(errno);
    return false;
  }
  const std::string size = std::to_string(width) + "x" + std::to_string(height);
  const std::string rate = std::to_string(fps_);
  // OpenGL's rows are bottom-up (vflip); H.264 in 4:2:0 needs even sides (crop by at most a pixel).
  std::vector<std::string> args{"ffmpeg",
                                "-hide_banner",
                                "-loglevel",
                                "error",
                                "-y",
                                "-f",
                                "rawvideo",
                                "-pixel_format",
                                "rgba",
                                "-video_size",
                                size,
                                "-framerate",
                                rate,
                                "-i",
                                "-",
                                "-vf",
                                "vflip,crop=trunc(iw/2)*2:trunc(ih/2)*2",
                                "-c:v",
                                "libx264",
                                "-preset",
                                "veryfast",
                                "-pix_fmt",
                                "yuv420p",
                                "-movflags",
                                "frag_keyframe+empty_moov",
                                path_};
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, fds[0], STDIN_FILENO);
  posix_spawn_file_actions_addclose(&actions, fds[1]);
  const int rc = posix_spawnp(&child_, "ffmpeg", &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  ::close(fds[0]);
  if (rc != 0) {
    ::close(fds[1]);
    child_ = -1;
    error_ = std::string("cannot start ffmpeg: ") + std::strerror(rc);
    return false;
  }
  pipe_ = fds[1];
  width_ = width;
  height_ = height;
  return true;
}

bool video_recorder::add_frame(const std::vector<unsigned char>& rgba, int width, int height) {
  if (!error_.empty()) return false;
  if (pipe_ < 0 && child_ < 0 && !start(width, height)) return false;
  if (pipe_ < 0) return false;  // finished
  const unsigned char* data = rgba.data();
  if (width != width_ || height != height_) {
    // The window changed size: keep the video's, anchored at the top left (OpenGL rows are bottom-up).
    fitted_.assign(static_cast<std::size_t>(width_) * height_ * 4, 0);
    const int rows = std::min(height, height_), row_bytes = std::min(width, width_) * 4;
    for (int r = 0; r < rows; ++r)
      std::memcpy(fitted_.data() + static_cast<std::size_t>(height_ - 1 - r) * width_ * 4,
                  rgba.data() + static_cast<std::size_t>(height - 1 - r) * width * 4,
                  static_cast<std::size_t>(row_bytes));
    data = fitted_.data();
  }
  std::size_t left = static_cast<std::size_t>(width_) * height_ * 4;
  while (left > 0) {
    const ssize_t n = ::write(pipe_, data, left);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      error_ = "ffmpeg stopped taking frames (see its message above)";
      finish();
      return false;
    }
    data += n;
    left -= static_cast<std::size_t>(n);
  }
  ++frames_;
  return true;
}

bool video_recorder::finish() {
  if (pipe_ >= 0) {
    ::close(pipe_);
    pipe_ = -1;
  }
  if (child_ > 0) {
    int status = 0;
    while (::waitpid(child_, &status, 0) < 0 && errno == EINTR) {
    }
    child_ = 0;  // finished: no second ffmpeg
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
      if (error_.empty()) error_ = "ffmpeg failed writing " + path_ + " (see its message above)";
  }
  return error_.empty();
}

}  // namespace civitas::viz

#include "io/output_file.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <climits>
#include <cstring>
#include <filesystem>

#include "core/error.hpp"

namespace civitas::io {
namespace {

// What lstat says a path is, for messages; "" when it does not exist or is a regular file.
std::string not_a_regular_file(const std::string& path) {
  struct stat st {};
  if (::lstat(path.c_str(), &st) != 0) return {};  // absent (or unreadable: creating it will say why)
  if (S_ISREG(st.st_mode)) return {};
  if (S_ISDIR(st.st_mode)) return "a directory";
  if (S_ISLNK(st.st_mode)) return "a symbolic link";
  if (S_ISCHR(st.st_mode) || S_ISBLK(st.st_mode)) return "a device";
  if (S_ISFIFO(st.st_mode)) return "a FIFO";
  if (S_ISSOCK(st.st_mode)) return "a socket";
  return "not a regular file";
}

[[noreturn]] void refuse(const std::string& path, const std::string& why) {
  throw input_error(std::vector<diagnostic>{{path, 0, 0, "cannot create output file: " + why}});
}

}  // namespace

void check_target(const std::string& path) {
  if (path.empty()) refuse(path, "the path is empty");
  // Names the system would refuse (ENAMETOOLONG) are bad input, caught before any work: every component,
  // with the ".partial" the writer adds to the last, within NAME_MAX, and the whole within PATH_MAX.
  if (path.size() + 8 >= PATH_MAX)
    refuse(path, "the path is longer than " + std::to_string(PATH_MAX) + " bytes");
  for (const auto& part : std::filesystem::path(path))
    if (part.native().size() + 8 > NAME_MAX)
      refuse(path, "a file or directory name is longer than " + std::to_string(NAME_MAX - 8) +
                       " bytes (with '.partial' added it would exceed the system's limit)");
  if (const std::string what = not_a_regular_file(path); !what.empty())
    refuse(path, "it is " + what + " (only a regular file is ever replaced)");
  const std::filesystem::path dir = std::filesystem::path(path).parent_path();
  std::error_code ec;
  if (!dir.empty() && !std::filesystem::is_directory(dir, ec))
    refuse(path, "'" + dir.string() + "' does not exist or is not a directory");
  const std::string partial = path + ".partial";
  struct stat st {};
  if (::lstat(partial.c_str(), &st) == 0) {
    if (S_ISREG(st.st_mode))
      refuse(path, "'" + partial +
                       "' exists, left by a run that was killed or is still running; check it with " +
                       "`civitas verify` or `civitas inspect`, then remove it");
    refuse(path, "'" + partial + "' exists and is " + not_a_regular_file(partial) + "; remove it");
  }
}

std::string create_partial(const std::string& path) {
  check_target(path);
  const std::string partial = path + ".partial";
  const int fd = ::open(partial.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
  // The path was fine; the system would not let us write there (permissions, read-only, no space).
  if (fd < 0) throw write_error(path + ": cannot create '" + partial + "': " + std::strerror(errno));
  ::close(fd);
  return partial;
}

void check_rename_target(const std::string& path) {
  if (const std::string what = not_a_regular_file(path); !what.empty())
    throw write_error(path + ": cannot move the finished file into place: '" + path + "' is now " + what +
                      "; the run is kept in '" + path + ".partial'");
}

void write_via_partial(const std::string& path, const std::function<void(const std::string& partial)>& fill) {
  const std::string partial = create_partial(path);
  try {
    fill(partial);
  } catch (const data_error& e) {
    std::filesystem::remove(partial);
    throw write_error(e.what());
  }
  check_rename_target(path);
  std::error_code ec;
  std::filesystem::rename(partial, path, ec);
  if (ec) throw write_error(path + ": cannot rename " + partial + " into place: " + ec.message());
}

bool is_partial_path(const std::string& path) { return path.ends_with(".partial"); }

}  // namespace civitas::io

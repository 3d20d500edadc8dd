// Safe output: a run, sweep or report file is written only where a regular file may be, never through a
// planted link or onto a device (`--out /dev/null` as root must not replace the device with a file).
//
// Protocol: check_target(PATH) before anything is written; create_partial(PATH) makes PATH.partial
// exclusively (O_CREAT | O_EXCL | O_NOFOLLOW), so a planted PATH.partial link, a device of that name or a
// second writer is refused; the writer then fills PATH.partial; check_target(PATH) again right before the
// rename, since PATH may have changed while the run wrote. A stale PATH.partial (of a run that was killed, or
// one still running) is reported, never overwritten: it may hold the only copy of finished steps.
// A path refused before anything is written is an input_error naming it (exit 2); a system that will not
// let us create or replace the file (permissions, read-only, no space, a target changed mid-run) is a
// write_error (exit 5).
#pragma once

#include <functional>
#include <string>

namespace civitas::io {

// PATH must be absent or a regular file (not a directory, device, FIFO, socket or symbolic link), its
// directory must exist, and PATH.partial must not exist.
void check_target(const std::string& path);
// check_target, then creates PATH.partial, empty, exclusively; returns its name.
std::string create_partial(const std::string& path);
// PATH must still be absent or a regular file (checked right before PATH.partial is renamed over it).
void check_rename_target(const std::string& path);
// The whole protocol for a file written at once (a sweep or sensitivity file): create_partial(PATH),
// `fill(PATH.partial)`, then check_rename_target(PATH) and the rename. A data_error from `fill` (HDF5 could
// not write: no space, an I/O error) removes PATH.partial and becomes a write_error.
void write_via_partial(const std::string& path, const std::function<void(const std::string& partial)>& fill);
// Whether PATH names a file still being written, or left by a killed run (it ends in ".partial").
bool is_partial_path(const std::string& path);

}  // namespace civitas::io

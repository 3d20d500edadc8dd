// Bounds reading an untrusted HDF5 file in time, and contains the crashes the HDF5 library can have on it.
//
// HDF5 trusts its own metadata: some corrupt bytes (found by flipping bytes of run files) send it into an
// endless loop or a segmentation fault, which no error check of ours can catch. A program that reads files
// it did not write (the CLI's verify, inspect and lineage; the visualiser) turns the guard on: then every
// run_reader call runs inside a read_scope, a watchdog ends the process when one call takes longer than the
// limit, and a fatal signal raised inside one ends it too, each with a message naming the file and the given
// exit code (3: a file that cannot be read). Outside a scope, signals keep their default meaning (a crash in
// our own code is still a crash). A library user who never enables it keeps HDF5's behaviour.
#pragma once

#include <string>

namespace civitas::io {

// Turns the guard on for this process. `seconds` bounds one reader call (the environment variable
// CIVITAS_READ_TIMEOUT, in seconds, overrides it).
void enable_read_guard(unsigned seconds, int exit_code);

// Marks one reader call on `path`; nested scopes count as one.
class read_scope {
 public:
  explicit read_scope(const std::string& path);
  ~read_scope();
  read_scope(const read_scope&) = delete;
  read_scope& operator=(const read_scope&) = delete;
};

}  // namespace civitas::io

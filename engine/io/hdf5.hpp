// A thin RAII layer over the HDF5 C API (internal to io/).
//
// What it gives:
//   - move-only handles that call the matching H5*close (file, group, dataset, dataspace, datatype,
//     attribute, property list);
//   - every failed HDF5 call turned into a civitas::data_error whose text names the file and the object
//     ("run.h5: /ledger/headers: cannot extend: <innermost HDF5 message>");
//   - helpers for the few shapes the run file uses: chunked datasets extendible along their first
//     dimension (append rows, read a range of rows), fixed datasets written once, string and scalar
//     attributes, compound types built at run time.
//
// Invariants:
//   - HDF5's automatic error printing is silenced per thread (the threadsafe library keeps one error
//     stack per thread): every helper calls quiet_errors() first, and code that calls the C API directly
//     should too. Messages are taken from the innermost entry of the calling thread's error stack,
//     which must be read before any other HDF5 call clears it; fail() does that.
//   - Predefined types (H5T_NATIVE_*) are never wrapped in a datatype handle: only types this code
//     creates (H5Tcopy, H5Tcreate, H5Tarray_create2, H5Dget_type, ...) are owned.
//   - HDF5's atexit cleanup is turned off (H5dont_atexit, see hdf5.cpp): it crashes on a file whose
//     flush failed. Files must be closed through their handles; one left open at exit is not flushed.
#pragma once

#include <hdf5.h>

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

namespace civitas::io::h5 {

// Silences HDF5's default error printing on the calling thread (idempotent, cheap after the first call).
void quiet_errors();

// The innermost message on the calling thread's HDF5 error stack ("" if the stack is empty).
std::string last_error_message();

// "FILE: /OBJECT" for an HDF5 object id, or for `child` (a path relative to it) when given. Best effort:
// never throws, never clears a pending error.
std::string describe(hid_t id, std::string_view child = {});

// Throws civitas::data_error("WHERE: WHAT: <innermost HDF5 message>").
[[noreturn]] void fail(std::string_view where, std::string_view what);

// Returns `status` if it is non-negative, otherwise fail(where, what).
template <class T>
T check(T status, std::string_view where, std::string_view what) {
  static_assert(std::is_signed_v<T>, "HDF5 status codes (herr_t, hid_t, htri_t, hssize_t) are signed");
  if (status < 0) fail(where, what);
  return status;
}

template <herr_t (*Close)(hid_t)>
class handle {
 public:
  handle() noexcept = default;
  explicit handle(hid_t id) noexcept : id_(id) {}
  ~handle() { reset(); }
  handle(handle&& other) noexcept : id_(std::exchange(other.id_, H5I_INVALID_HID)) {}
  handle& operator=(handle&& other) noexcept {
    if (this != &other) {
      reset();
      id_ = std::exchange(other.id_, H5I_INVALID_HID);
    }
    return *this;
  }
  handle(const handle&) = delete;
  handle& operator=(const handle&) = delete;

  hid_t get() const noexcept { return id_; }
  explicit operator bool() const noexcept { return id_ >= 0; }

  // Closes quietly (errors ignored): for destructors and error paths.
  void reset() noexcept {
    if (id_ >= 0) {
      quiet_errors();
      Close(id_);
      id_ = H5I_INVALID_HID;
    }
  }
  // Closes and reports failure (closing a file flushes it, which can fail).
  void close(std::string_view where) {
    if (id_ < 0) return;
    quiet_errors();
    const hid_t id = std::exchange(id_, H5I_INVALID_HID);
    check(Close(id), where, "cannot close");
  }

 private:
  hid_t id_ = H5I_INVALID_HID;
};

using file = handle<H5Fclose>;
using group = handle<H5Gclose>;
using dataset = handle<H5Dclose>;
using dataspace = handle<H5Sclose>;
using datatype = handle<H5Tclose>;
using attribute = handle<H5Aclose>;
using plist = handle<H5Pclose>;

// ---- Native types ----------------------------------------------------------------------------------

template <class T>
hid_t native_type() {
  quiet_errors();
  if constexpr (std::is_same_v<T, std::int8_t>)
    return H5T_NATIVE_INT8;
  else if constexpr (std::is_same_v<T, std::uint8_t>)
    return H5T_NATIVE_UINT8;
  else if constexpr (std::is_same_v<T, std::int16_t>)
    return H5T_NATIVE_INT16;
  else if constexpr (std::is_same_v<T, std::uint16_t>)
    return H5T_NATIVE_UINT16;
  else if constexpr (std::is_same_v<T, std::int32_t>)
    return H5T_NATIVE_INT32;
  else if constexpr (std::is_same_v<T, std::uint32_t>)
    return H5T_NATIVE_UINT32;
  else if constexpr (std::is_same_v<T, std::int64_t>)
    return H5T_NATIVE_INT64;
  else if constexpr (std::is_same_v<T, std::uint64_t>)
    return H5T_NATIVE_UINT64;
  else if constexpr (std::is_same_v<T, float>)
    return H5T_NATIVE_FLOAT;
  else if constexpr (std::is_same_v<T, double>)
    return H5T_NATIVE_DOUBLE;
  else
    static_assert(sizeof(T) == 0, "no native HDF5 type for T");
}

// A fixed-size, NUL-padded string of `size` bytes (numpy "S<size>" in h5py).
datatype fixed_string_type(std::size_t size);
// A variable-length UTF-8 string (str in h5py).
datatype variable_string_type();
// An array of `count` bytes (a digest): numpy ("u1", (count,)) in h5py.
datatype byte_array_type(std::size_t count);

// Builds a compound type field by field. The memory type describes a C++ struct (offsets from
// offsetof); packed() gives the same fields without padding, for storing in the file.
class compound_builder {
 public:
  explicit compound_builder(std::size_t size);
  // `type` is borrowed (HDF5 copies it into the compound).
  compound_builder& add(const std::string& name, std::size_t offset, hid_t type);
  datatype memory_type() const;  // a copy of the type as built
  datatype packed() const;       // a packed copy (no padding), for the file

 private:
  datatype type_;
};

// True if the two types are the same type (H5Tequal: class, size, byte order, members and offsets).
bool same_type(hid_t a, hid_t b);

// Names of the members of a compound type, in order (fails if `type` is not compound).
std::vector<std::string> member_names(hid_t type, std::string_view where);

// ---- Files, groups, links ----------------------------------------------------------------------------

// File access properties: latest library format bounds when `latest` (required for SWMR); HDF5's file
// locking when `lock` (skipped quietly on file systems that do not support it).
plist file_access(bool latest, bool lock = true);
// Creates (truncating) a file.
file create_file(const std::string& path, bool latest, bool lock = true);
// Opens a file with H5F_ACC_* `flags`.
file open_file(const std::string& path, unsigned flags, bool latest, bool lock = true);

group create_group(hid_t loc, const std::string& name);
group open_group(hid_t loc, const std::string& name);
// True if every link along the '/'-separated `path` exists (relative to `loc`).
bool exists(hid_t loc, const std::string& path);

// ---- Datasets ---------------------------------------------------------------------------------------

// A chunked dataset of `type` with current size `dims`, extendible without limit along dimension 0
// (and along any other dimension whose size is 0). `chunk` has one entry per dimension; entries are
// clamped to at least 1. deflate_level 0 means no filter; `shuffle` adds the byte-shuffle filter before
// deflate (groups the bytes of each field position: small integers then compress far better).
dataset create_extendible(hid_t loc, const std::string& name, hid_t type, std::span<const hsize_t> dims,
                          std::span<const hsize_t> chunk, int deflate_level = 0, bool shuffle = false);
// A contiguous dataset of `type` with size `dims`, written from `data` (in `mem_type`) when non-empty.
dataset create_fixed(hid_t loc, const std::string& name, hid_t type, std::span<const hsize_t> dims,
                     hid_t mem_type, const void* data);
// The same, but chunked (`chunk` clamped to [1, dims]) and deflated at `deflate_level` (0: no filter).
// A dataset with a zero dimension has nothing to compress and is stored contiguous.
dataset create_fixed_chunked(hid_t loc, const std::string& name, hid_t type, std::span<const hsize_t> dims,
                             std::span<const hsize_t> chunk, int deflate_level, hid_t mem_type,
                             const void* data);
// A 1-D dataset of fixed-size, NUL-padded UTF-8 strings (numpy "S<n>" in h5py; .asstr() decodes), n the
// longest value's length (at least 1). Values must not contain NUL bytes.
dataset create_strings(hid_t loc, const std::string& name, const std::vector<std::string>& values);
// Reads a 1-D string dataset (fixed-size or variable-length) into strings.
std::vector<std::string> read_strings(hid_t dset);

dataset open_dataset(hid_t loc, const std::string& name);
// Current dimensions of a dataset.
std::vector<hsize_t> extent(hid_t dset);
// The dataset's rank and dimensions, failing with a "wrong dimensions" error if the rank is not
// `rank`.
std::vector<hsize_t> extent_of_rank(hid_t dset, int rank);
// For a reader, before it allocates the dataset's size: fails (data_error) when the dimensions claim far
// more bytes than the file stores for the dataset. HDF5 lets a few bytes of metadata declare a dataset of
// petabytes (unwritten chunks read as fill values), and a corrupt file would otherwise make the reader
// allocate that much (or HDF5 read past its own buffers on a corrupt chunk record); a file Civitas wrote
// stores every row it declares. `live`: the file may still be being written (a .partial or an incomplete
// run), so chunks it has extended into may not be stored yet: 64 MiB of slack.
void check_stored_size(hid_t dset, bool live);

// Extends dimension 0 by `rows` and writes `data` (rows x the other dimensions, in `mem_type`) into the
// new rows. Returns the new number of rows.
hsize_t append(hid_t dset, hid_t mem_type, const void* data, hsize_t rows);
// Reads rows [first, first + count) (x the other dimensions) into `out`.
void read_rows(hid_t dset, hid_t mem_type, hsize_t first, hsize_t count, void* out);
// Reads the whole dataset into `out`.
void read_all(hid_t dset, hid_t mem_type, void* out);

// ---- Attributes -------------------------------------------------------------------------------------

bool has_attribute(hid_t obj, const std::string& name);
// Creates or overwrites a variable-length UTF-8 string attribute.
void write_attribute(hid_t obj, const std::string& name, std::string_view value);
// Creates or overwrites a scalar attribute of type `type`, from `value` in `mem_type`.
void write_scalar_attribute(hid_t obj, const std::string& name, hid_t type, hid_t mem_type,
                            const void* value);
// Reads a string attribute (variable-length or fixed-size).
std::string read_string_attribute(hid_t obj, const std::string& name);
// Reads a scalar (single-element) attribute, converting it to `mem_type`.
void read_scalar_attribute(hid_t obj, const std::string& name, hid_t mem_type, void* value);

template <class T>
void write_attribute(hid_t obj, const std::string& name, T value) requires std::is_arithmetic_v<T> {
  write_scalar_attribute(obj, name, native_type<T>(), native_type<T>(), &value);
}

template <class T>
T read_attribute(hid_t obj, const std::string& name) requires std::is_arithmetic_v<T> {
  T value{};
  read_scalar_attribute(obj, name, native_type<T>(), &value);
  return value;
}

}  // namespace civitas::io::h5

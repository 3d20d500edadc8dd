#include "io/hdf5.hpp"

#include <algorithm>
#include <cstdio>
#include <cstring>

#include "core/error.hpp"

namespace civitas::io::h5 {
namespace {

// HDF5 1.10 crashes in its exit-time cleanup (H5F__close_cb) when a file could not be flushed, as after a
// disk-full or file-size-limit write error, even if the file was closed (H5Fclose fails and leaves the
// id behind). Every file here is closed by its handle, so the cleanup has nothing useful to do: skip it.
// This must run before the library initialises, hence a static initialiser.
[[maybe_unused]] const bool skip_atexit_cleanup = [] {
  H5dont_atexit();
  return true;
}();

herr_t innermost(unsigned n, const H5E_error2_t* err, void* client) {
  if (n == 0 && err != nullptr) {
    auto* out = static_cast<std::string*>(client);
    if (err->desc != nullptr && *err->desc != '\0') {
      *out = err->desc;
    } else if (err->func_name != nullptr) {
      *out = std::string("error in ") + err->func_name;
    }
  }
  return 0;
}

std::string name_of(hid_t id, ssize_t (*get)(hid_t, char*, size_t)) {
  const ssize_t n = get(id, nullptr, 0);
  if (n <= 0) return {};
  std::string s(static_cast<std::size_t>(n) + 1, '\0');
  if (get(id, s.data(), s.size()) < 0) return {};
  s.resize(static_cast<std::size_t>(n));
  return s;
}

dataspace simple_space(std::span<const hsize_t> dims, const hsize_t* maxdims, std::string_view where) {
  return dataspace(check(H5Screate_simple(static_cast<int>(dims.size()), dims.data(), maxdims), where,
                         "cannot create dataspace"));
}

// "FILE: /path/of/name" for `name` relative to `loc`.
std::string join_where(hid_t loc, const std::string& name) { return describe(loc, name); }

// check() that names `obj` only when the call failed (describing an object costs a few HDF5 calls).
template <class T>
T check_on(T status, hid_t obj, std::string_view what) {
  if (status < 0) fail(describe(obj), what);
  return status;
}

// The file space of `dset` with rows [first, first + count) selected, and the matching memory space.
std::pair<dataspace, dataspace> row_selection(hid_t dset, hsize_t first, hsize_t count) {
  dataspace file_space(check_on(H5Dget_space(dset), dset, "cannot get dataspace"));
  const int rank = check_on(H5Sget_simple_extent_ndims(file_space.get()), dset, "cannot get rank");
  if (rank < 1) throw data_error(describe(dset) + ": wrong dimensions (scalar dataset)");
  std::vector<hsize_t> dims(static_cast<std::size_t>(rank));
  check_on(H5Sget_simple_extent_dims(file_space.get(), dims.data(), nullptr), dset, "cannot get dimensions");
  if (first > dims[0] || count > dims[0] - first) {
    throw data_error(describe(dset) + ": rows " + std::to_string(first) + ".." +
                     std::to_string(first + count) + " are out of range (dataset has " +
                     std::to_string(dims[0]) + " rows)");
  }
  std::vector<hsize_t> start(dims.size(), 0), size = dims;
  start[0] = first;
  size[0] = count;
  check_on(H5Sselect_hyperslab(file_space.get(), H5S_SELECT_SET, start.data(), nullptr, size.data(), nullptr),
           dset, "cannot select rows");
  dataspace mem_space(check_on(H5Screate_simple(static_cast<int>(size.size()), size.data(), nullptr), dset,
                               "cannot create dataspace"));
  return {std::move(file_space), std::move(mem_space)};
}

}  // namespace

void quiet_errors() {
  thread_local bool quiet = false;
  if (!quiet) {
    H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr);
    quiet = true;
  }
}

std::string last_error_message() {
  std::string msg;
  H5Ewalk2(H5E_DEFAULT, H5E_WALK_UPWARD, innermost, &msg);
  std::replace(msg.begin(), msg.end(), '\n', ' ');  // some messages embed ctime()'s newline
  return msg;
}

std::string describe(hid_t id, std::string_view child) {
  // Called while building an error message: keep the pending error stack for last_error_message().
  const hid_t saved = H5Eget_current_stack();
  const std::string file = name_of(id, H5Fget_name);
  std::string object = H5Iget_type(id) == H5I_FILE ? std::string() : name_of(id, H5Iget_name);
  if (saved >= 0) H5Eset_current_stack(saved);
  if (!child.empty()) {
    if (child.front() == '/') {
      object = child;
    } else {
      if (object.empty() || object.back() != '/') object += '/';
      object += child;
    }
  }
  if (object.empty()) return file;
  return file.empty() ? object : file + ": " + object;
}

void fail(std::string_view where, std::string_view what) {
  quiet_errors();
  std::string detail = last_error_message();
  H5Eclear2(H5E_DEFAULT);
  std::string msg(where);
  msg += ": ";
  msg += what;
  if (!detail.empty()) {
    msg += ": ";
    msg += detail;
  }
  throw data_error(msg);
}

// ---- Types ------------------------------------------------------------------------------------------

datatype fixed_string_type(std::size_t size) {
  quiet_errors();
  datatype t(check(H5Tcopy(H5T_C_S1), "HDF5", "cannot copy string type"));
  check(H5Tset_size(t.get(), size), "HDF5", "cannot size string type");
  check(H5Tset_strpad(t.get(), H5T_STR_NULLPAD), "HDF5", "cannot set string padding");
  return t;
}

datatype variable_string_type() {
  quiet_errors();
  datatype t(check(H5Tcopy(H5T_C_S1), "HDF5", "cannot copy string type"));
  check(H5Tset_size(t.get(), H5T_VARIABLE), "HDF5", "cannot make string variable-length");
  check(H5Tset_cset(t.get(), H5T_CSET_UTF8), "HDF5", "cannot set string character set");
  return t;
}

datatype byte_array_type(std::size_t count) {
  quiet_errors();
  const hsize_t dims[1] = {count};
  return datatype(check(H5Tarray_create2(H5T_NATIVE_UINT8, 1, dims), "HDF5", "cannot create array type"));
}

compound_builder::compound_builder(std::size_t size) {
  quiet_errors();
  type_ = datatype(check(H5Tcreate(H5T_COMPOUND, size), "HDF5", "cannot create compound type"));
}

compound_builder& compound_builder::add(const std::string& name, std::size_t offset, hid_t type) {
  check(H5Tinsert(type_.get(), name.c_str(), offset, type), "HDF5",
        "cannot add field '" + name + "' to compound type");
  return *this;
}

datatype compound_builder::memory_type() const {
  return datatype(check(H5Tcopy(type_.get()), "HDF5", "cannot copy compound type"));
}

datatype compound_builder::packed() const {
  datatype t = memory_type();
  check(H5Tpack(t.get()), "HDF5", "cannot pack compound type");
  return t;
}

bool same_type(hid_t a, hid_t b) {
  const htri_t r = H5Tequal(a, b);
  if (r < 0) H5Eclear2(H5E_DEFAULT);
  return r > 0;
}

std::vector<std::string> member_names(hid_t type, std::string_view where) {
  quiet_errors();
  if (H5Tget_class(type) != H5T_COMPOUND) throw data_error(std::string(where) + ": not a compound type");
  const int n = check(H5Tget_nmembers(type), where, "cannot count compound fields");
  std::vector<std::string> names;
  names.reserve(static_cast<std::size_t>(n));
  for (int i = 0; i < n; ++i) {
    char* s = H5Tget_member_name(type, static_cast<unsigned>(i));
    if (s == nullptr) fail(where, "cannot get compound field name");
    names.emplace_back(s);
    H5free_memory(s);
  }
  return names;
}

// ---- Files, groups, links ----------------------------------------------------------------------------

plist file_access(bool latest, bool lock) {
  quiet_errors();
  plist fapl(check(H5Pcreate(H5P_FILE_ACCESS), "HDF5", "cannot create file access properties"));
  if (latest) {
    check(H5Pset_libver_bounds(fapl.get(), H5F_LIBVER_LATEST, H5F_LIBVER_LATEST), "HDF5",
          "cannot set library version bounds");
  }
  // Lock where the file system supports it; elsewhere (some network file systems) go on without.
  check(H5Pset_file_locking(fapl.get(), lock, true), "HDF5", "cannot set file locking");
  return fapl;
}

file create_file(const std::string& path, bool latest, bool lock) {
  plist fapl = file_access(latest, lock);
  return file(
      check(H5Fcreate(path.c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, fapl.get()), path, "cannot create file"));
}

file open_file(const std::string& path, unsigned flags, bool latest, bool lock) {
  plist fapl = file_access(latest, lock);
  return file(check(H5Fopen(path.c_str(), flags, fapl.get()), path, "cannot open file"));
}

namespace {
// Creation properties of a group or dataset that carries no modification time: the same content then makes
// the same bytes (a study's file is compared byte for byte across rank and thread counts, and across
// seconds; docs/determinism.md).
plist untimed(hid_t creation_class, const std::string& where) {
  plist p(check(H5Pcreate(creation_class), where, "cannot create object properties"));
  check(H5Pset_obj_track_times(p.get(), false), where, "cannot turn off modification times");
  return p;
}
}  // namespace

group create_group(hid_t loc, const std::string& name) {
  quiet_errors();
  const std::string where = join_where(loc, name);
  plist gcpl = untimed(H5P_GROUP_CREATE, where);
  return group(check(H5Gcreate2(loc, name.c_str(), H5P_DEFAULT, gcpl.get(), H5P_DEFAULT), where,
                     "cannot create group"));
}

group open_group(hid_t loc, const std::string& name) {
  quiet_errors();
  if (!exists(loc, name)) throw data_error(join_where(loc, name) + ": missing group");
  return group(check(H5Gopen2(loc, name.c_str(), H5P_DEFAULT), join_where(loc, name), "cannot open group"));
}

bool exists(hid_t loc, const std::string& path) {
  quiet_errors();
  std::size_t pos = 0;
  std::string prefix;
  if (!path.empty() && path[0] == '/') {
    prefix = "/";
    pos = 1;
  }
  while (pos <= path.size()) {
    const std::size_t slash = std::min(path.find('/', pos), path.size());
    if (slash > pos) {
      prefix += path.substr(pos, slash - pos);
      const htri_t e = H5Lexists(loc, prefix.c_str(), H5P_DEFAULT);
      if (e < 0) fail(join_where(loc, prefix), "cannot look up link");
      if (e == 0) return false;
      const htri_t o = H5Oexists_by_name(loc, prefix.c_str(), H5P_DEFAULT);
      if (o <= 0) {  // a dangling link, or an unreadable object: treat as absent
        H5Eclear2(H5E_DEFAULT);
        return false;
      }
      prefix += '/';
    }
    pos = slash + 1;
  }
  return true;
}

// ---- Datasets ---------------------------------------------------------------------------------------

dataset create_extendible(hid_t loc, const std::string& name, hid_t type, std::span<const hsize_t> dims,
                          std::span<const hsize_t> chunk, int deflate_level, bool shuffle) {
  quiet_errors();
  const std::string where = join_where(loc, name);
  std::vector<hsize_t> maxdims(dims.begin(), dims.end());
  std::vector<hsize_t> chunks(dims.size(), 1);
  for (std::size_t i = 0; i < dims.size(); ++i) {
    if (i == 0 || dims[i] == 0) maxdims[i] = H5S_UNLIMITED;
    chunks[i] = std::max<hsize_t>(1, i < chunk.size() ? chunk[i] : 1);
    if (maxdims[i] != H5S_UNLIMITED) chunks[i] = std::min(chunks[i], maxdims[i]);
  }
  dataspace space = simple_space(dims, maxdims.data(), where);
  plist dcpl = untimed(H5P_DATASET_CREATE, where);
  check(H5Pset_chunk(dcpl.get(), static_cast<int>(chunks.size()), chunks.data()), where,
        "cannot set chunking");
  if (shuffle) check(H5Pset_shuffle(dcpl.get()), where, "cannot set shuffle");
  if (deflate_level > 0) {
    check(H5Pset_deflate(dcpl.get(), static_cast<unsigned>(deflate_level)), where, "cannot set deflate");
  }
  return dataset(check(H5Dcreate2(loc, name.c_str(), type, space.get(), H5P_DEFAULT, dcpl.get(), H5P_DEFAULT),
                       where, "cannot create dataset"));
}

dataset create_fixed(hid_t loc, const std::string& name, hid_t type, std::span<const hsize_t> dims,
                     hid_t mem_type, const void* data) {
  quiet_errors();
  const std::string where = join_where(loc, name);
  dataspace space = simple_space(dims, nullptr, where);
  plist dcpl = untimed(H5P_DATASET_CREATE, where);
  dataset d(check(H5Dcreate2(loc, name.c_str(), type, space.get(), H5P_DEFAULT, dcpl.get(), H5P_DEFAULT),
                  where, "cannot create dataset"));
  const hssize_t n = check(H5Sget_simple_extent_npoints(space.get()), where, "cannot count elements");
  if (n > 0) check(H5Dwrite(d.get(), mem_type, H5S_ALL, H5S_ALL, H5P_DEFAULT, data), where, "cannot write");
  return d;
}

dataset create_fixed_chunked(hid_t loc, const std::string& name, hid_t type, std::span<const hsize_t> dims,
                             std::span<const hsize_t> chunk, int deflate_level, hid_t mem_type,
                             const void* data) {
  quiet_errors();
  if (std::find(dims.begin(), dims.end(), hsize_t{0}) != dims.end()) {
    return create_fixed(loc, name, type, dims, mem_type, data);
  }
  const std::string where = join_where(loc, name);
  std::vector<hsize_t> chunks(dims.size(), 1);
  for (std::size_t i = 0; i < dims.size(); ++i) {
    chunks[i] = std::clamp<hsize_t>(i < chunk.size() ? chunk[i] : 1, 1, dims[i]);
  }
  dataspace space = simple_space(dims, nullptr, where);
  plist dcpl = untimed(H5P_DATASET_CREATE, where);
  check(H5Pset_chunk(dcpl.get(), static_cast<int>(chunks.size()), chunks.data()), where,
        "cannot set chunking");
  if (deflate_level > 0) {
    check(H5Pset_deflate(dcpl.get(), static_cast<unsigned>(deflate_level)), where, "cannot set deflate");
  }
  dataset d(check(H5Dcreate2(loc, name.c_str(), type, space.get(), H5P_DEFAULT, dcpl.get(), H5P_DEFAULT),
                  where, "cannot create dataset"));
  check(H5Dwrite(d.get(), mem_type, H5S_ALL, H5S_ALL, H5P_DEFAULT, data), where, "cannot write");
  return d;
}

dataset create_strings(hid_t loc, const std::string& name, const std::vector<std::string>& values) {
  quiet_errors();
  const std::string where = join_where(loc, name);
  std::size_t size = 1;
  for (const auto& v : values) size = std::max(size, v.size());
  datatype t = fixed_string_type(size);
  check(H5Tset_cset(t.get(), H5T_CSET_UTF8), where, "cannot set string character set");
  std::string buffer(values.size() * size, '\0');
  for (std::size_t i = 0; i < values.size(); ++i) {
    if (values[i].find('\0') != std::string::npos) {
      throw data_error(where + ": cannot store a string with a NUL byte");
    }
    std::memcpy(buffer.data() + i * size, values[i].data(), values[i].size());
  }
  const hsize_t dims[1] = {values.size()};
  return create_fixed(loc, name, t.get(), dims, t.get(), buffer.data());
}

std::vector<std::string> read_strings(hid_t dset) {
  quiet_errors();
  const hsize_t n = extent_of_rank(dset, 1)[0];
  datatype file_type(check_on(H5Dget_type(dset), dset, "cannot get type"));
  if (H5Tget_class(file_type.get()) != H5T_STRING)
    throw data_error(describe(dset) + ": wrong type (not strings)");
  const htri_t variable = check_on(H5Tis_variable_str(file_type.get()), dset, "cannot inspect string type");
  std::vector<std::string> out;
  out.reserve(n);
  if (variable > 0) {
    datatype mem = variable_string_type();
    check_on(H5Tset_cset(mem.get(), H5Tget_cset(file_type.get())), dset, "cannot set character set");
    std::vector<char*> ptrs(n, nullptr);
    if (n > 0)
      check_on(H5Dread(dset, mem.get(), H5S_ALL, H5S_ALL, H5P_DEFAULT, ptrs.data()), dset, "cannot read");
    for (char* p : ptrs) {
      out.emplace_back(p != nullptr ? p : "");
      H5free_memory(p);
    }
    return out;
  }
  const std::size_t size = H5Tget_size(file_type.get());
  if (size == 0) throw data_error(describe(dset) + ": cannot get string size");
  std::string buffer(n * size, '\0');
  if (n > 0)
    check_on(H5Dread(dset, file_type.get(), H5S_ALL, H5S_ALL, H5P_DEFAULT, buffer.data()), dset,
             "cannot read");
  for (hsize_t i = 0; i < n; ++i) {
    const char* first = buffer.data() + i * size;
    out.emplace_back(first, std::find(first, first + size, '\0'));
  }
  return out;
}

dataset open_dataset(hid_t loc, const std::string& name) {
  quiet_errors();
  const std::string where = join_where(loc, name);
  if (!exists(loc, name)) throw data_error(where + ": missing dataset");
  return dataset(check(H5Dopen2(loc, name.c_str(), H5P_DEFAULT), where, "cannot open dataset"));
}

std::vector<hsize_t> extent(hid_t dset) {
  quiet_errors();
  dataspace space(check_on(H5Dget_space(dset), dset, "cannot get dataspace"));
  const int rank = check_on(H5Sget_simple_extent_ndims(space.get()), dset, "cannot get rank");
  std::vector<hsize_t> dims(static_cast<std::size_t>(rank));
  check_on(H5Sget_simple_extent_dims(space.get(), dims.data(), nullptr), dset, "cannot get dimensions");
  return dims;
}

std::vector<hsize_t> extent_of_rank(hid_t dset, int rank) {
  std::vector<hsize_t> dims = extent(dset);
  if (dims.size() != static_cast<std::size_t>(rank)) {
    throw data_error(describe(dset) + ": wrong dimensions (rank " + std::to_string(dims.size()) +
                     ", expected " + std::to_string(rank) + ")");
  }
  return dims;
}

void check_stored_size(hid_t dset, bool live) {
  quiet_errors();
  const std::vector<hsize_t> dims = extent(dset);
  datatype type(check_on(H5Dget_type(dset), dset, "cannot get type"));
  // In long double so that a product of corrupt dimensions cannot overflow into a small number.
  long double claimed = static_cast<long double>(H5Tget_size(type.get()));
  for (const hsize_t d : dims) claimed *= static_cast<long double>(d);
  const auto stored = static_cast<long double>(H5Dget_storage_size(dset));
  plist dcpl(check_on(H5Dget_create_plist(dset), dset, "cannot get creation properties"));
  // Deflate packs at most about 1032:1; the slack covers the chunks a live writer has extended into
  // but not yet written (a .partial read while the run goes on).
  const long double ratio = H5Pget_nfilters(dcpl.get()) > 0 ? 1100.0L : 1.0L;
  const long double slack = live ? 64.0L * 1024 * 1024 : 0.0L;
  if (claimed > stored * ratio + slack) {
    char text[96];
    std::snprintf(text, sizeof text, "%.0Lf bytes but the file stores %.0Lf", claimed, stored);
    throw data_error(describe(dset) + ": its dimensions claim " + text + " for it (corrupt dimensions)");
  }
}

hsize_t append(hid_t dset, hid_t mem_type, const void* data, hsize_t rows) {
  quiet_errors();
  std::vector<hsize_t> dims = extent(dset);
  if (dims.empty()) throw data_error(describe(dset) + ": cannot append to a scalar dataset");
  if (rows == 0) return dims[0];
  const hsize_t first = dims[0];
  dims[0] += rows;
  check_on(H5Dset_extent(dset, dims.data()), dset, "cannot extend");
  hsize_t elements = 1;
  for (hsize_t d : dims) elements *= d;
  if (elements > 0) {
    auto [file_space, mem_space] = row_selection(dset, first, rows);
    check_on(H5Dwrite(dset, mem_type, mem_space.get(), file_space.get(), H5P_DEFAULT, data), dset,
             "cannot write rows " + std::to_string(first) + ".." + std::to_string(dims[0]));
  }
  return dims[0];
}

void read_rows(hid_t dset, hid_t mem_type, hsize_t first, hsize_t count, void* out) {
  quiet_errors();
  if (count == 0) return;
  auto [file_space, mem_space] = row_selection(dset, first, count);
  if (H5Sget_select_npoints(file_space.get()) == 0) return;
  check_on(H5Dread(dset, mem_type, mem_space.get(), file_space.get(), H5P_DEFAULT, out), dset,
           "cannot read rows " + std::to_string(first) + ".." + std::to_string(first + count));
}

void read_all(hid_t dset, hid_t mem_type, void* out) {
  quiet_errors();
  const std::vector<hsize_t> dims = extent(dset);
  hsize_t elements = 1;
  for (hsize_t d : dims) elements *= d;
  if (elements == 0) return;
  check_on(H5Dread(dset, mem_type, H5S_ALL, H5S_ALL, H5P_DEFAULT, out), dset, "cannot read");
}

// ---- Attributes -------------------------------------------------------------------------------------

bool has_attribute(hid_t obj, const std::string& name) {
  quiet_errors();
  const htri_t e = H5Aexists(obj, name.c_str());
  if (e < 0) fail(describe(obj), "cannot look up attribute '" + name + "'");
  return e > 0;
}

namespace {

attribute open_or_create_attribute(hid_t obj, const std::string& name, hid_t type) {
  const std::string where = describe(obj) + " attribute '" + name + "'";
  if (has_attribute(obj, name)) {
    attribute a(check(H5Aopen(obj, name.c_str(), H5P_DEFAULT), where, "cannot open"));
    datatype existing(check(H5Aget_type(a.get()), where, "cannot get type"));
    if (check(H5Tequal(existing.get(), type), where, "cannot compare types") > 0) return a;
    a.reset();
    check(H5Adelete(obj, name.c_str()), where, "cannot replace");
  }
  dataspace scalar(check(H5Screate(H5S_SCALAR), where, "cannot create dataspace"));
  return attribute(check(H5Acreate2(obj, name.c_str(), type, scalar.get(), H5P_DEFAULT, H5P_DEFAULT), where,
                         "cannot create"));
}

attribute open_attribute(hid_t obj, const std::string& name, std::string& where) {
  where = describe(obj) + " attribute '" + name + "'";
  if (!has_attribute(obj, name)) throw data_error(where + ": missing attribute");
  attribute a(check(H5Aopen(obj, name.c_str(), H5P_DEFAULT), where, "cannot open"));
  dataspace space(check(H5Aget_space(a.get()), where, "cannot get dataspace"));
  if (check(H5Sget_simple_extent_npoints(space.get()), where, "cannot count elements") != 1) {
    throw data_error(where + ": wrong dimensions (expected a single value)");
  }
  return a;
}

}  // namespace

void write_attribute(hid_t obj, const std::string& name, std::string_view value) {
  quiet_errors();
  // A fixed-length string, stored in the object header: variable-length strings live in HDF5's global
  // heap, whose reader loops forever or crashes on some corrupt bytes (found by flipping bytes of run
  // files), so nothing Civitas writes uses it.
  const std::string where = describe(obj) + " attribute '" + name + "'";
  datatype type(check(H5Tcopy(H5T_C_S1), where, "cannot copy string type"));
  check(H5Tset_size(type.get(), std::max<std::size_t>(1, value.size())), where, "cannot size string");
  check(H5Tset_strpad(type.get(), H5T_STR_NULLPAD), where, "cannot set padding");
  check(H5Tset_cset(type.get(), H5T_CSET_UTF8), where, "cannot set character set");
  attribute a = open_or_create_attribute(obj, name, type.get());
  std::string copy(value);
  if (copy.empty()) copy.push_back('\0');
  check(H5Awrite(a.get(), type.get(), copy.data()), where, "cannot write");
}

void write_scalar_attribute(hid_t obj, const std::string& name, hid_t type, hid_t mem_type,
                            const void* value) {
  quiet_errors();
  attribute a = open_or_create_attribute(obj, name, type);
  check(H5Awrite(a.get(), mem_type, value), describe(obj) + " attribute '" + name + "'", "cannot write");
}

std::string read_string_attribute(hid_t obj, const std::string& name) {
  quiet_errors();
  std::string where;
  attribute a = open_attribute(obj, name, where);
  datatype file_type(check(H5Aget_type(a.get()), where, "cannot get type"));
  if (H5Tget_class(file_type.get()) != H5T_STRING) throw data_error(where + ": not a string");
  const htri_t variable = check(H5Tis_variable_str(file_type.get()), where, "cannot inspect string type");
  if (variable > 0) {
    datatype mem = variable_string_type();
    check(H5Tset_cset(mem.get(), H5Tget_cset(file_type.get())), where, "cannot set character set");
    char* ptr = nullptr;
    check(H5Aread(a.get(), mem.get(), &ptr), where, "cannot read");
    std::string out = ptr != nullptr ? std::string(ptr) : std::string();
    H5free_memory(ptr);
    return out;
  }
  const std::size_t size = H5Tget_size(file_type.get());
  if (size == 0) throw data_error(where + ": cannot get string size");
  std::string buffer(size, '\0');
  check(H5Aread(a.get(), file_type.get(), buffer.data()), where, "cannot read");
  buffer.resize(std::strlen(buffer.c_str()));
  return buffer;
}

void read_scalar_attribute(hid_t obj, const std::string& name, hid_t mem_type, void* value) {
  quiet_errors();
  std::string where;
  attribute a = open_attribute(obj, name, where);
  datatype file_type(check(H5Aget_type(a.get()), where, "cannot get type"));
  const H5T_class_t cls = H5Tget_class(file_type.get());
  if (cls != H5T_INTEGER && cls != H5T_FLOAT) throw data_error(where + ": not a number");
  check(H5Aread(a.get(), mem_type, value), where, "cannot read");
}

}  // namespace civitas::io::h5

#include "ledger/signature.hpp"

#include <fcntl.h>
#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <string_view>

#include "core/error.hpp"

namespace civitas::ledger {
namespace {
constexpr std::string_view domain = "civitas run signature v1";
constexpr std::size_t max_key_file = 16 * 1024;  // a PEM key is a few hundred bytes

struct pkey_deleter {
  void operator()(EVP_PKEY* k) const { EVP_PKEY_free(k); }
};
using pkey_ptr = std::unique_ptr<EVP_PKEY, pkey_deleter>;

std::string openssl_reason() {
  const unsigned long e = ERR_get_error();
  ERR_clear_error();
  if (e == 0) return "not a PEM key";
  char buf[256];
  ERR_error_string_n(e, buf, sizeof buf);
  return buf;
}

// Reads a key file: a regular file of bounded size, opened without blocking (a FIFO cannot hang us).
std::string read_key_file(const std::string& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC);
  if (fd < 0) throw input_error(path + ": cannot read key: " + std::strerror(errno));
  struct stat st {};
  std::string text;
  const bool regular = ::fstat(fd, &st) == 0 && S_ISREG(st.st_mode);
  if (regular && static_cast<std::size_t>(st.st_size) <= max_key_file) {
    text.resize(max_key_file + 1);
    std::size_t got = 0;
    for (ssize_t n; got < text.size() && (n = ::read(fd, text.data() + got, text.size() - got)) > 0;)
      got += static_cast<std::size_t>(n);
    text.resize(got);
  }
  ::close(fd);
  if (!regular) throw input_error(path + ": cannot read key: not a regular file");
  if (text.empty() || text.size() > max_key_file)
    throw input_error(path + ": cannot read key: empty or larger than " + std::to_string(max_key_file) +
                      " bytes");
  return text;
}

pkey_ptr parse_key(const std::string& path, bool private_key) {
  const std::string text = read_key_file(path);
  BIO* bio = BIO_new_mem_buf(text.data(), static_cast<int>(text.size()));
  if (!bio) throw std::runtime_error("OpenSSL: BIO_new_mem_buf failed");
  pkey_ptr key(private_key ? PEM_read_bio_PrivateKey(bio, nullptr, nullptr, nullptr)
                           : PEM_read_bio_PUBKEY(bio, nullptr, nullptr, nullptr));
  BIO_free(bio);
  const char* what = private_key ? "an Ed25519 private key" : "an Ed25519 public key";
  if (!key) throw input_error(path + ": not " + std::string(what) + " (" + openssl_reason() + ")");
  if (EVP_PKEY_get_id(key.get()) != EVP_PKEY_ED25519)
    throw input_error(path + ": not " + std::string(what) + " (another key type)");
  return key;
}

public_key_bytes raw_public(EVP_PKEY* key) {
  public_key_bytes out{};
  std::size_t len = out.size();
  if (EVP_PKEY_get_raw_public_key(key, out.data(), &len) != 1 || len != out.size())
    throw std::runtime_error("OpenSSL: cannot get the raw public key");
  return out;
}

// Creates PATH exclusively with `mode` (never through a link, never over a file) as a stdio stream.
std::FILE* create_exclusive(const std::string& path, mode_t mode) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, mode);
  if (fd < 0)
    throw input_error(path + ": cannot create key file: " + std::strerror(errno) +
                      (errno == EEXIST ? " (a key is never overwritten)" : ""));
  std::FILE* f = ::fdopen(fd, "w");
  if (!f) {
    ::close(fd);
    throw write_error(path + ": cannot write key file: " + std::strerror(errno));
  }
  return f;
}
}  // namespace

std::vector<std::uint8_t> run_signature_message(const digest& head, const digest& seal, std::uint32_t blocks,
                                                bool complete) {
  // Sized once and filled in place (GCC 12 warns falsely about growing a vector by insert here).
  std::vector<std::uint8_t> m(domain.size() + head.size() + seal.size() + 5);
  std::uint8_t* p = m.data();
  std::memcpy(p, domain.data(), domain.size());
  p += domain.size();
  std::memcpy(p, head.data(), head.size());
  p += head.size();
  std::memcpy(p, seal.data(), seal.size());
  p += seal.size();
  for (int i = 0; i < 4; ++i) *p++ = static_cast<std::uint8_t>(blocks >> (8 * i));
  *p = complete ? 1 : 0;
  return m;
}

struct signing_key::impl {
  pkey_ptr key;
};
struct verifying_key::impl {
  pkey_ptr key;
};

signing_key::signing_key(std::unique_ptr<impl> i) : impl_(std::move(i)) {}
signing_key::~signing_key() = default;
signing_key::signing_key(signing_key&&) noexcept = default;
signing_key& signing_key::operator=(signing_key&&) noexcept = default;

signing_key signing_key::load(const std::string& pem_path) {
  auto i = std::make_unique<impl>();
  i->key = parse_key(pem_path, true);
  return signing_key(std::move(i));
}

signature_bytes signing_key::sign(const std::vector<std::uint8_t>& message) const {
  signature_bytes sig{};
  std::size_t len = sig.size();
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  const bool ok = ctx && EVP_DigestSignInit(ctx, nullptr, nullptr, nullptr, impl_->key.get()) == 1 &&
                  EVP_DigestSign(ctx, sig.data(), &len, message.data(), message.size()) == 1 &&
                  len == sig.size();
  EVP_MD_CTX_free(ctx);
  if (!ok) throw std::runtime_error("OpenSSL: Ed25519 signing failed (" + openssl_reason() + ")");
  return sig;
}

public_key_bytes signing_key::public_key() const { return raw_public(impl_->key.get()); }

verifying_key::verifying_key(std::unique_ptr<impl> i) : impl_(std::move(i)) {}
verifying_key::~verifying_key() = default;
verifying_key::verifying_key(verifying_key&&) noexcept = default;
verifying_key& verifying_key::operator=(verifying_key&&) noexcept = default;

verifying_key verifying_key::load(const std::string& pem_path) {
  auto i = std::make_unique<impl>();
  i->key = parse_key(pem_path, false);
  return verifying_key(std::move(i));
}

verifying_key verifying_key::from_raw(const public_key_bytes& key) {
  auto i = std::make_unique<impl>();
  i->key.reset(EVP_PKEY_new_raw_public_key(EVP_PKEY_ED25519, nullptr, key.data(), key.size()));
  if (!i->key) throw input_error("not an Ed25519 public key (" + openssl_reason() + ")");
  return verifying_key(std::move(i));
}

bool verifying_key::verify(const std::vector<std::uint8_t>& message, const signature_bytes& signature) const {
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  const bool ok =
      ctx && EVP_DigestVerifyInit(ctx, nullptr, nullptr, nullptr, impl_->key.get()) == 1 &&
      EVP_DigestVerify(ctx, signature.data(), signature.size(), message.data(), message.size()) == 1;
  EVP_MD_CTX_free(ctx);
  ERR_clear_error();
  return ok;
}

public_key_bytes verifying_key::public_key() const { return raw_public(impl_->key.get()); }

void generate_key_pair(const std::string& private_path, const std::string& public_path) {
  pkey_ptr key(EVP_PKEY_Q_keygen(nullptr, nullptr, "ED25519"));
  if (!key) throw std::runtime_error("OpenSSL: Ed25519 key generation failed (" + openssl_reason() + ")");
  std::FILE* priv = create_exclusive(private_path, 0600);
  const bool priv_ok = PEM_write_PrivateKey(priv, key.get(), nullptr, nullptr, 0, nullptr, nullptr) == 1;
  const bool priv_closed = std::fclose(priv) == 0;
  if (!priv_ok || !priv_closed) {
    ::unlink(private_path.c_str());
    throw write_error(private_path + ": cannot write the private key");
  }
  std::FILE* pub = nullptr;
  try {
    pub = create_exclusive(public_path, 0644);
  } catch (...) {
    ::unlink(private_path.c_str());
    throw;
  }
  const bool pub_ok = PEM_write_PUBKEY(pub, key.get()) == 1;
  const bool pub_closed = std::fclose(pub) == 0;
  if (!pub_ok || !pub_closed) {
    ::unlink(private_path.c_str());
    ::unlink(public_path.c_str());
    throw write_error(public_path + ": cannot write the public key");
  }
}

}  // namespace civitas::ledger

#include "server/auth/api_key_hash.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/sha.h>

namespace jobmatch::auth {

std::string Sha256Hex(std::string_view key) {
  // The algorithm fetched once: OpenSSL 3's SHA256() looks it up on every
  // call, which was most of the cost of checking a key (docs/benchmarks.md).
  static const EVP_MD* const md = [] {
    const EVP_MD* fetched = EVP_MD_fetch(nullptr, "SHA256", nullptr);
    return fetched != nullptr ? fetched : EVP_sha256();
  }();
  unsigned char digest[SHA256_DIGEST_LENGTH];
  if (EVP_Digest(key.data(), key.size(), digest, nullptr, md, nullptr) != 1) {
    SHA256(reinterpret_cast<const unsigned char*>(key.data()), key.size(), digest);
  }
  static constexpr char kHex[] = "0123456789abcdef";
  std::string hex;
  hex.reserve(2 * SHA256_DIGEST_LENGTH);
  for (unsigned char byte : digest) {
    hex.push_back(kHex[byte >> 4]);
    hex.push_back(kHex[byte & 0xf]);
  }
  return hex;
}

const std::string& CachedSha256Hex(std::string_view key) {
  constexpr size_t kLongestRemembered = 256;
  struct Last {
    std::string key;
    std::string digest;
    bool valid = false;
    ~Last() { OPENSSL_cleanse(key.data(), key.size()); }
  };
  thread_local Last last;
  if (last.valid && last.key.size() == key.size() &&
      CRYPTO_memcmp(last.key.data(), key.data(), key.size()) == 0) {
    return last.digest;
  }
  last.digest = Sha256Hex(key);
  last.valid = key.size() <= kLongestRemembered;
  if (last.valid) {
    last.key.assign(key.data(), key.size());
  } else {
    OPENSSL_cleanse(last.key.data(), last.key.size());
    last.key.clear();
  }
  return last.digest;
}

}  // namespace jobmatch::auth

#include "server/auth/api_key_hash.h"

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

}  // namespace jobmatch::auth

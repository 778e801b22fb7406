// A JSON Web Key Set (RFC 7517) as published by an OpenID Connect identity
// provider: the public keys its tokens are signed with, by key id ("kid").
// Only what jobmatchd accepts is kept: RSA keys ("kty": "RSA", 2048 bits or
// more) for RS256 and P-256 keys ("kty": "EC", "crv": "P-256") for ES256,
// converted with OpenSSL (EVP_PKEY_fromdata). Keys for other uses
// ("use": "enc") or of other types are skipped, not errors: an IdP's set may
// hold them.
#ifndef JOBMATCH_SERVER_AUTH_JWK_SET_H_
#define JOBMATCH_SERVER_AUTH_JWK_SET_H_

#include <memory>
#include <string>
#include "absl/strings/string_view.h"

#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"

typedef struct evp_pkey_st EVP_PKEY;

namespace jobmatch::auth {

// The JWS algorithms jobmatchd verifies. Nothing else ("none", HS256, ...)
// is ever accepted.
enum class JwsAlgorithm { kRs256, kEs256 };

// "RS256" / "ES256".
absl::string_view JwsAlgorithmName(JwsAlgorithm algorithm);

// One public key. Immutable; shared between the set and verifications that
// are under way while the set is replaced.
class Jwk {
 public:
  Jwk(std::string kid, JwsAlgorithm algorithm, EVP_PKEY* key);  // takes ownership of key
  ~Jwk();
  Jwk(const Jwk&) = delete;
  Jwk& operator=(const Jwk&) = delete;

  const std::string& kid() const { return kid_; }
  // The only algorithm this key verifies (from its type).
  JwsAlgorithm algorithm() const { return algorithm_; }
  EVP_PKEY* key() const { return key_; }

 private:
  const std::string kid_;
  const JwsAlgorithm algorithm_;
  EVP_PKEY* const key_;
};

class JwkSet {
 public:
  // Parses a JWKS document ({"keys": [...]}). InvalidArgument naming the
  // key's index and member for bad JSON, a usable key without "kid", a
  // duplicate kid, bad base64url, a key OpenSSL refuses, an RSA key shorter
  // than 2048 bits, or a set with no usable key.
  static absl::StatusOr<std::shared_ptr<const JwkSet>> Parse(absl::string_view json);

  // The key with this id, or null.
  std::shared_ptr<const Jwk> Find(absl::string_view kid) const;
  size_t size() const { return keys_.size(); }

 private:
  absl::flat_hash_map<std::string, std::shared_ptr<const Jwk>> keys_;
};

// Strict base64url without padding (RFC 7515 §2): false for any other
// character, padding included.
bool DecodeBase64Url(absl::string_view in, std::string* out);

}  // namespace jobmatch::auth

#endif  // JOBMATCH_SERVER_AUTH_JWK_SET_H_

// A stand-in OpenID Connect identity provider for tests: RSA-2048 and P-256
// key pairs generated with OpenSSL when the test runs, its JWKS written to a
// file (atomically, by rename), and tokens signed with EVP_DigestSign.
// Nothing here is shipped: server/auth/ verifies what this signs.
#ifndef JOBMATCH_TESTS_AUTH_TEST_IDP_H_
#define JOBMATCH_TESTS_AUTH_TEST_IDP_H_

#include <map>
#include <memory>
#include <string>

#include "absl/time/time.h"

typedef struct evp_pkey_st EVP_PKEY;

namespace jobmatch::auth::testing {

// JSON members of a token's payload: name -> JSON text of the value.
using Claims = std::map<std::string, std::string>;

// "\"text\"" with JSON escapes for '"' and '\\'.
std::string JsonString(const std::string& text);

class TestIdp {
 public:
  explicit TestIdp(std::string issuer = "https://idp.kommune.test");
  ~TestIdp();

  const std::string& issuer() const { return issuer_; }

  // Generates a key pair under `kid`: "RS256" (RSA-2048) or "ES256" (P-256).
  void AddKey(const std::string& kid, const std::string& alg);
  void RemoveKey(const std::string& kid);

  // The JWKS document of the keys present now; written to `path` by rename.
  std::string JwksJson() const;
  void WriteJwks(const std::string& path) const;

  // Claims of a valid token for `audience` at `now`: iss, aud, sub, iat,
  // nbf = now - 1 min, exp = now + 10 min, roles ["konsulent"],
  // municipalities [101].
  Claims ValidClaims(const std::string& audience, absl::Time now) const;

  // A token signed with key `kid` (its algorithm), header {"alg", "kid", "typ"}.
  std::string Sign(const std::string& kid, const Claims& claims) const;
  // A token with a header of your own, signed with `kid`'s key as its
  // algorithm dictates (RS256 or ES256).
  std::string SignWithHeader(const std::string& header_json, const std::string& kid,
                             const Claims& claims) const;
  // An HS256 token whose HMAC secret is `secret` (the attack of using the
  // public key as secret).
  std::string SignHs256(const std::string& kid, const std::string& secret,
                        const Claims& claims) const;
  // The public key of `kid` as PEM (SubjectPublicKeyInfo).
  std::string PublicKeyPem(const std::string& kid) const;

 private:
  struct Key {
    std::string alg;
    EVP_PKEY* pkey = nullptr;
  };
  std::string issuer_;
  std::map<std::string, Key> keys_;
};

// base64url without padding.
std::string Base64Url(const std::string& bytes);
// The payload's JSON object.
std::string ClaimsJson(const Claims& claims);

}  // namespace jobmatch::auth::testing

#endif  // JOBMATCH_TESTS_AUTH_TEST_IDP_H_

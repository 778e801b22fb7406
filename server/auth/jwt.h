// A JSON Web Token in compact serialisation (RFC 7519, signed per RFC 7515):
// parsed, its signature verified with OpenSSL against one JSON Web Key, and
// its registered claims (iss, aud, exp, nbf) checked. Only RS256 and ES256
// are accepted; "alg": "none", HMAC (HS256, which an attacker could sign
// with the public key as secret) and everything else are refused before any
// key is looked at. Every refusal is an UNAUTHENTICATED status whose message
// starts "bearer token:" and names the rule.
#ifndef JOBMATCH_SERVER_AUTH_JWT_H_
#define JOBMATCH_SERVER_AUTH_JWT_H_

#include <string>
#include "absl/strings/string_view.h"

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "google/protobuf/struct.pb.h"
#include "server/auth/jwk_set.h"

namespace jobmatch::auth {

// Longest token accepted, bytes (a real ID or access token is 1-3 KiB).
inline constexpr size_t kMaxJwtBytes = 16 * 1024;

struct Jwt {
  JwsAlgorithm algorithm = JwsAlgorithm::kRs256;
  std::string kid;
  google::protobuf::Struct claims;  // the payload, not yet verified
  std::string signing_input;        // "<header>.<payload>" as received
  std::string signature;            // decoded bytes
};

// True when `token` has the shape of a compact JWS (three base64url parts
// separated by '.', the first starting "eyJ", i.e. '{"'): a bearer value
// that is not an API key.
bool LooksLikeJwt(absl::string_view token);

// Decodes `token`. UNAUTHENTICATED for a malformed token, a header whose
// "alg" is not RS256 or ES256, a missing "kid", or a "crit" header.
absl::StatusOr<Jwt> ParseJwt(absl::string_view token);

// UNAUTHENTICATED unless `jwt`'s signature verifies with `key` (whose
// algorithm must be the token's).
absl::Status VerifyJwtSignature(const Jwt& jwt, const Jwk& key);

struct JwtRules {
  std::string issuer;    // "iss" must equal it
  std::string audience;  // "aud" (a string or an array) must contain it
  absl::Duration clock_skew = absl::Seconds(60);  // leeway for exp and nbf
};

// UNAUTHENTICATED naming the claim when iss or aud do not match, exp is
// missing or (with the skew) past, or nbf is (with the skew) in the future.
absl::Status CheckJwtClaims(const Jwt& jwt, const JwtRules& rules, absl::Time now);

// `value` fit for an error message: at most 64 characters, anything but
// printable ASCII as '?' (token contents are the caller's, and messages reach
// logs).
std::string Printable(absl::string_view value);

// The string claim `name`, "" when absent or not a string.
std::string StringClaim(const Jwt& jwt, const char* name);

}  // namespace jobmatch::auth

#endif  // JOBMATCH_SERVER_AUTH_JWT_H_

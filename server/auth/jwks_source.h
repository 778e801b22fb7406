// Where an identity provider's signing keys come from: a file the operator's
// tooling keeps current (jwks_file.h) or the IdP's jwks_uri (jwks_url.h).
#ifndef JOBMATCH_SERVER_AUTH_JWKS_SOURCE_H_
#define JOBMATCH_SERVER_AUTH_JWKS_SOURCE_H_

#include <memory>

#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "server/auth/jwk_set.h"

namespace jobmatch::auth {

class JwksSource {
 public:
  virtual ~JwksSource() = default;
  // The key `kid` at time `now`, or null. Thread-safe.
  virtual std::shared_ptr<const Jwk> Find(absl::string_view kid, absl::Time now) = 0;
  // How many key sets were loaded successfully so far, the first included.
  virtual int loads() const = 0;
};

}  // namespace jobmatch::auth

#endif  // JOBMATCH_SERVER_AUTH_JWKS_SOURCE_H_

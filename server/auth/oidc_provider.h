// One OpenID Connect identity provider: verifies a bearer token it issued
// (signature against its JWKS file, iss, aud, exp, nbf) and maps the
// token's claims to a Caller (role and municipalities) as configured.
#ifndef JOBMATCH_SERVER_AUTH_OIDC_PROVIDER_H_
#define JOBMATCH_SERVER_AUTH_OIDC_PROVIDER_H_

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "server/auth/caller.h"
#include "server/auth/jwks_file.h"
#include "server/auth/jwks_url.h"
#include "server/auth/jwt.h"
#include "server/auth/oidc_options.h"

namespace jobmatch::auth {

class OidcProvider {
 public:
  // InvalidArgument starting with `where` (e.g. "config
  // security.oidc_providers[0]") and naming the member for an incomplete or
  // inconsistent provider or a JWKS file that cannot be loaded.
  static absl::StatusOr<std::unique_ptr<OidcProvider>> Create(OidcProviderOptions options,
                                                              const std::string& where);

  // The caller `jwt` (whose "iss" is this provider's) stands for at `now`.
  // UNAUTHENTICATED naming the rule: unknown kid, bad signature, wrong
  // audience, expired, not yet valid, no subject, a role claim that maps to
  // no role or to several, municipalities missing or outside the provider's.
  absl::StatusOr<Caller> Authenticate(const Jwt& jwt, absl::Time now) const;

  const OidcProviderOptions& options() const { return options_; }
  const JwksSource& jwks() const { return *jwks_; }

 private:
  OidcProvider(OidcProviderOptions options, std::unique_ptr<JwksSource> jwks);

  absl::Status MapClaims(const Jwt& jwt, Caller* caller) const;

  const OidcProviderOptions options_;
  const JwtRules rules_;
  const std::unique_ptr<JwksSource> jwks_;  // thread-safe
};

}  // namespace jobmatch::auth

#endif  // JOBMATCH_SERVER_AUTH_OIDC_PROVIDER_H_

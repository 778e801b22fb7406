// Bearer tokens from the configured OpenID Connect identity providers:
// "authorization: Bearer <JWT>" is parsed (RS256/ES256 only), the provider
// is chosen by the token's "iss", and that provider verifies it and maps
// its claims to a Caller (oidc_provider.h). Thread-safe.
#ifndef JOBMATCH_SERVER_AUTH_OIDC_AUTHENTICATOR_H_
#define JOBMATCH_SERVER_AUTH_OIDC_AUTHENTICATOR_H_

#include <memory>
#include "absl/strings/string_view.h"
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "server/auth/caller.h"
#include "server/auth/oidc_options.h"
#include "server/auth/oidc_provider.h"

namespace jobmatch::auth {

class OidcAuthenticator {
 public:
  // InvalidArgument naming `config security.oidc_providers[i]` and the
  // member (see OidcProvider::Create), or a duplicate id or issuer.
  static absl::StatusOr<std::unique_ptr<OidcAuthenticator>> Create(
      const std::vector<OidcProviderOptions>& providers);

  // The caller `token` stands for at `now`; UNAUTHENTICATED
  // "bearer token: ..." naming the rule otherwise.
  absl::StatusOr<Caller> Authenticate(absl::string_view token, absl::Time now) const;

  const std::vector<std::unique_ptr<OidcProvider>>& providers() const { return providers_; }

 private:
  OidcAuthenticator() = default;

  std::vector<std::unique_ptr<OidcProvider>> providers_;
};

}  // namespace jobmatch::auth

#endif  // JOBMATCH_SERVER_AUTH_OIDC_AUTHENTICATOR_H_

#include "server/auth/oidc_authenticator.h"

#include <set>
#include <string>

#include "absl/strings/str_cat.h"
#include "server/auth/jwt.h"

namespace jobmatch::auth {

absl::StatusOr<std::unique_ptr<OidcAuthenticator>> OidcAuthenticator::Create(
    const std::vector<OidcProviderOptions>& providers) {
  std::unique_ptr<OidcAuthenticator> authenticator(new OidcAuthenticator());
  std::set<std::string> ids;
  std::set<std::string> issuers;
  for (size_t i = 0; i < providers.size(); ++i) {
    const std::string where = absl::StrCat("config security.oidc_providers[", i, "]");
    if (!ids.insert(providers[i].id).second) {
      return absl::InvalidArgumentError(
          absl::StrCat(where, ".id: \"", providers[i].id, "\" is used twice"));
    }
    if (!issuers.insert(providers[i].issuer).second) {
      return absl::InvalidArgumentError(
          absl::StrCat(where, ".issuer: \"", providers[i].issuer, "\" is used twice"));
    }
    absl::StatusOr<std::unique_ptr<OidcProvider>> provider =
        OidcProvider::Create(providers[i], where);
    if (!provider.ok()) return provider.status();
    authenticator->providers_.push_back(*std::move(provider));
  }
  return authenticator;
}

absl::StatusOr<Caller> OidcAuthenticator::Authenticate(absl::string_view token,
                                                       absl::Time now) const {
  absl::StatusOr<Jwt> jwt = ParseJwt(token);
  if (!jwt.ok()) return jwt.status();
  // The unverified "iss" only picks the provider whose keys must verify it.
  const std::string issuer = StringClaim(*jwt, "iss");
  for (const std::unique_ptr<OidcProvider>& provider : providers_) {
    if (provider->options().issuer == issuer) return provider->Authenticate(*jwt, now);
  }
  return absl::UnauthenticatedError(
      absl::StrCat("bearer token: issuer (iss) \"", Printable(issuer),
                   "\" is not a configured identity provider (security.oidc_providers)"));
}

}  // namespace jobmatch::auth

#include "server/config_oidc.h"

#include <algorithm>
#include <string>
#include <utility>

#include "absl/strings/str_cat.h"

namespace jobmatch {
namespace {

absl::StatusOr<auth::Role> OidcRoleOf(config::Role role, const std::string& key) {
  // An EMPLOYER is scoped to employer ids, which no token carries.
  if (role == config::ROLE_UNSPECIFIED || role == config::EMPLOYER || !config::Role_IsValid(role)) {
    return absl::InvalidArgumentError(absl::StrCat(
        key, ": must be CASE_SYSTEM, VACANCY_FEED, CONSULTANT, BATCH or ADMIN"));
  }
  return RoleOf(role);
}

}  // namespace

// The configuration's role names are auth::RoleName's spellings.
auth::Role RoleOf(config::Role role) {
  switch (role) {
    case config::CASE_SYSTEM:
      return auth::Role::kCaseSystem;
    case config::VACANCY_FEED:
      return auth::Role::kVacancyFeed;
    case config::CONSULTANT:
      return auth::Role::kConsultant;
    case config::BATCH:
      return auth::Role::kBatch;
    case config::EMPLOYER:
      return auth::Role::kEmployer;
    default:
      return auth::Role::kAdmin;  // ADMIN; undefined values are refused before this
  }
}

absl::Status ApplyOidcProviders(const config::SecurityConfig& c, auth::SecurityOptions* security) {
  security->oidc_providers.clear();
  for (int i = 0; i < c.oidc_providers_size(); ++i) {
    const config::OidcProviderConfig& p = c.oidc_providers(i);
    const std::string key = absl::StrCat("config security.oidc_providers[", i, "]");
    auth::OidcProviderOptions provider;
    provider.id = p.id();
    provider.issuer = p.issuer();
    provider.audience = p.audience();
    provider.jwks_file = p.jwks_file();
    provider.jwks_uri = p.jwks_uri();
    provider.jwks_ca_file = p.jwks_ca_file();
    if (p.has_jwks_refresh_seconds()) provider.jwks_refresh = absl::Seconds(p.jwks_refresh_seconds());
    if (p.has_jwks_timeout_ms()) provider.jwks_timeout = absl::Milliseconds(p.jwks_timeout_ms());
    if (p.has_jwks_max_bytes()) {
      provider.jwks_max_bytes = static_cast<size_t>(std::max(0, p.jwks_max_bytes()));
    }
    if (p.has_jwks_check_seconds()) {
      if (p.jwks_check_seconds() < 0 || p.jwks_check_seconds() > 3600) {
        return absl::InvalidArgumentError(absl::StrCat(
            key, ".jwks_check_seconds: must be within [0, 3600], got ", p.jwks_check_seconds()));
      }
      provider.jwks_check_interval = absl::Seconds(p.jwks_check_seconds());
    }
    if (p.has_clock_skew_seconds()) {
      if (p.clock_skew_seconds() < 0 || p.clock_skew_seconds() > 300) {
        return absl::InvalidArgumentError(absl::StrCat(
            key, ".clock_skew_seconds: must be within [0, 300], got ", p.clock_skew_seconds()));
      }
      provider.clock_skew = absl::Seconds(p.clock_skew_seconds());
    }
    if (!p.subject_claim().empty()) provider.subject_claim = p.subject_claim();
    if (!p.role_claim().empty()) provider.role_claim = p.role_claim();
    for (int j = 0; j < p.roles_size(); ++j) {
      auth::OidcRoleMapping mapping;
      mapping.claim_value = p.roles(j).claim_value();
      absl::StatusOr<auth::Role> role =
          OidcRoleOf(p.roles(j).role(), absl::StrCat(key, ".roles[", j, "].role"));
      if (!role.ok()) return role.status();
      mapping.role = *role;
      mapping.all_municipalities = p.roles(j).all_municipalities();
      provider.roles.push_back(std::move(mapping));
    }
    provider.municipalities_claim = p.municipalities_claim();
    provider.municipalities.assign(p.municipalities().begin(), p.municipalities().end());
    security->oidc_providers.push_back(std::move(provider));
  }
  return absl::OkStatus();
}

}  // namespace jobmatch

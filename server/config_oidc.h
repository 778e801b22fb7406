// The configuration's `security.oidc_providers` (config/jobmatchd_config.proto)
// turned into server/auth/'s OidcProviderOptions. The providers themselves
// (issuer, audience, JWKS file, claims) are checked by
// auth::OidcAuthenticator::Create when the server starts.
#ifndef JOBMATCH_SERVER_CONFIG_OIDC_H_
#define JOBMATCH_SERVER_CONFIG_OIDC_H_

#include "absl/status/status.h"
#include "jobmatchd_config.pb.h"
#include "server/auth/role.h"
#include "server/auth/security_options.h"

namespace jobmatch {

// The role a configured key, certificate or provider role names (undefined
// values are refused by the caller before this: they read as ADMIN).
auth::Role RoleOf(config::Role role);

// InvalidArgument naming `config security.oidc_providers[i].member` for a
// role left unspecified or a number out of range.
absl::Status ApplyOidcProviders(const config::SecurityConfig& c, auth::SecurityOptions* security);

}  // namespace jobmatch

#endif  // JOBMATCH_SERVER_CONFIG_OIDC_H_

// One OpenID Connect identity provider whose bearer tokens jobmatchd accepts
// (a municipality's IdP, typically): plain C++, filled by the server from
// the configuration's `security.oidc_providers` (docs/configuration.md).
#ifndef JOBMATCH_SERVER_AUTH_OIDC_OPTIONS_H_
#define JOBMATCH_SERVER_AUTH_OIDC_OPTIONS_H_

#include <string>
#include <vector>

#include "absl/time/time.h"
#include "server/auth/role.h"

namespace jobmatch::auth {

// A value of the role claim and what it grants.
struct OidcRoleMapping {
  std::string claim_value;  // e.g. "jobcenter-konsulent"
  Role role = Role::kConsultant;
  // Callers with this value see every municipality (e.g. national operators);
  // otherwise the municipalities come from the token or the provider.
  bool all_municipalities = false;
};

struct OidcProviderOptions {
  std::string id;        // names the provider; callers are "<id>/<subject>"
  std::string issuer;    // the tokens' "iss", exactly
  std::string audience;  // must be among the tokens' "aud"
  // The IdP's JSON Web Key Set: exactly one of a file, reloaded when it
  // changes, or the IdP's jwks_uri, fetched over HTTPS (jwks_url.h).
  std::string jwks_file;
  absl::Duration jwks_check_interval = absl::Seconds(1);
  std::string jwks_uri;
  std::string jwks_ca_file;  // PEM CAs for jwks_uri; empty = the system's CA store
  absl::Duration jwks_refresh = absl::Minutes(5);
  absl::Duration jwks_timeout = absl::Seconds(5);
  size_t jwks_max_bytes = 1 << 20;
  bool jwks_allow_loopback_http = false;  // tests only; never from the configuration
  absl::Duration clock_skew = absl::Seconds(60);
  std::string subject_claim = "sub";  // the person's id at the IdP
  // The claim (a string or an array of strings) mapped to a role; exactly
  // one role must result.
  std::string role_claim = "roles";
  std::vector<OidcRoleMapping> roles;
  // The claim holding kommunekoder (numbers or digit strings, one or an
  // array); "" = the caller gets `municipalities`.
  std::string municipalities_claim;
  // The municipalities this IdP speaks for: a token's claimed codes must be
  // among them (when set), and they are the caller's when there is no claim.
  std::vector<int> municipalities;
};

}  // namespace jobmatch::auth

#endif  // JOBMATCH_SERVER_AUTH_OIDC_OPTIONS_H_

// What jobmatchd's transport security and authentication are told to do:
// plain C++, filled by the server from its configuration's `security` section
// (the server owns the file format). Secrets never appear here: API keys are
// stored as SHA-256 hex digests, TLS keys as file paths.
#ifndef JOBMATCH_SERVER_AUTH_SECURITY_OPTIONS_H_
#define JOBMATCH_SERVER_AUTH_SECURITY_OPTIONS_H_

#include <cstdint>
#include <string>
#include <vector>

#include "server/auth/oidc_options.h"
#include "server/auth/role.h"

namespace jobmatch::auth {

// One API key. The caller presents the key itself ("authorization: Bearer
// <key>" or "x-api-key: <key>"); only its SHA-256 is configured.
struct ApiKey {
  std::string id;          // names the caller in logs and audit records; unique
  std::string sha256_hex;  // 64 hex digits (either case) of SHA-256(key)
  Role role = Role::kConsultant;
  std::vector<int> municipalities;  // kommunekoder whose seekers the caller may see
  bool all_municipalities = false;
  std::vector<std::string> employer_ids;  // EMPLOYER only: its employers (Employer.id)
};

// A client-certificate identity (mutual TLS): a verified certificate whose
// subject common name equals `common_name` is this caller, unless the call
// also presents an API key, which then takes precedence.
struct ClientCertificateIdentity {
  std::string id;           // names the caller; unique among all identities
  std::string common_name;  // the certificate subject's CN
  Role role = Role::kConsultant;
  std::vector<int> municipalities;
  bool all_municipalities = false;
  std::vector<std::string> employer_ids;  // EMPLOYER only
};

struct SecurityOptions {
  // PEM files. Certificate and key together turn TLS on. client_ca_file
  // verifies client certificates when presented; require_client_cert makes
  // one mandatory (mutual TLS).
  std::string tls_cert_file;
  std::string tls_key_file;
  std::string client_ca_file;
  bool require_client_cert = false;
  // Plaintext on a non-loopback address is refused unless this is set.
  bool allow_insecure_non_loopback = false;
  std::vector<ApiKey> api_keys;
  std::vector<ClientCertificateIdentity> client_certificates;
  // OpenID Connect identity providers whose JWTs are accepted as
  // "authorization: Bearer <jwt>" (oidc_authenticator.h).
  std::vector<OidcProviderOptions> oidc_providers;
  // Serve every call without authentication or authorisation (loopback
  // demos only; refused on a non-loopback address like plaintext is).
  bool auth_disabled_for_local_demo = false;
  // Per-caller token bucket: sustained calls per second and burst size.
  double rate_limit_per_second = 200;
  int rate_limit_burst = 400;
  // Most messages one client-streaming call may send (e.g. Import); the
  // call is cancelled after that. 0 = unlimited.
  int64_t max_stream_messages = 1'000'000;
};

}  // namespace jobmatch::auth

#endif  // JOBMATCH_SERVER_AUTH_SECURITY_OPTIONS_H_

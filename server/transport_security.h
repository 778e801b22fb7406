// Transport security and caller authentication for jobmatchd: what the
// configuration's `security` section asks for, and the server credentials,
// interceptors and caller scope that enforce it. The one seam between the
// service and server/auth/ (issue #7): transport_security_auth.cc maps it
// onto auth::MakeServerSecurity; a build without server/auth/
// (transport_security_plaintext.cc) offers plaintext without authentication
// only, and refuses a configuration that asks for more.
#ifndef JOBMATCH_SERVER_TRANSPORT_SECURITY_H_
#define JOBMATCH_SERVER_TRANSPORT_SECURITY_H_

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "grpcpp/security/server_credentials.h"
#include "grpcpp/support/server_interceptor.h"
#include "server/access_scope.h"

namespace jobmatch {

// One API key as configured: only the SHA-256 of the key is stored.
struct ApiKeyConfig {
  std::string id;          // names the caller in logs and audit records
  std::string sha256_hex;  // 64 lower-case hex digits
  // CASE_SYSTEM, VACANCY_FEED, CONSULTANT, BATCH or ADMIN.
  std::string role;
  std::vector<int> municipalities;  // kommunekoder the caller may see
  bool all_municipalities = false;
};

// A client-certificate identity (mutual TLS): a verified certificate whose
// subject common name is `common_name` is this caller.
struct ClientCertificateConfig {
  std::string id;
  std::string common_name;
  std::string role;  // as ApiKeyConfig::role
  std::vector<int> municipalities;
  bool all_municipalities = false;
};

// The configuration's `security` section (docs/configuration.md).
struct SecurityConfig {
  // PEM files. Cert and key together turn TLS on; client_ca_file verifies
  // client certificates (mutual TLS, required with require_client_cert).
  std::string tls_cert_file;
  std::string tls_key_file;
  std::string client_ca_file;
  bool require_client_cert = false;
  // Plaintext on a non-loopback address is refused unless this is set (e.g.
  // behind a sidecar that terminates mutual TLS).
  bool allow_insecure_non_loopback = false;
  std::vector<ApiKeyConfig> api_keys;
  std::vector<ClientCertificateConfig> client_certificates;
  // Serve without authentication (loopback demos and tests only).
  bool auth_disabled_for_local_demo = false;
  // Per-caller token bucket.
  double rate_limit_per_second = 200;
  int rate_limit_burst = 400;
  // Most messages one client-streaming call (Import) may send; 0 = no limit.
  int64_t max_stream_messages = 1000000;
};

struct TransportSecurity {
  std::shared_ptr<grpc::ServerCredentials> credentials;
  // To run on every call (after jobmatchd's own); may be empty.
  std::vector<std::unique_ptr<grpc::experimental::ServerInterceptorFactoryInterface>> interceptors;
  // The authenticated caller's scope, for the handlers; null when calls are
  // not authenticated.
  ScopeOfCall scope_of;
};

// True for 127.0.0.0/8, [::1] and localhost addresses (host:port).
bool IsLoopbackAddress(const std::string& listen_address);

// The credentials and interceptor for serving on `listen_address` as
// `config` asks. InvalidArgument naming the `security.` key when the
// configuration is inconsistent or asks for what this build cannot do;
// FailedPrecondition for plaintext on a non-loopback address without
// allow_insecure_non_loopback. Prints a warning to stderr when serving
// plaintext.
absl::StatusOr<TransportSecurity> MakeTransportSecurity(const SecurityConfig& config,
                                                        const std::string& listen_address);

}  // namespace jobmatch

#endif  // JOBMATCH_SERVER_TRANSPORT_SECURITY_H_

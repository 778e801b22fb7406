// Transport security and caller authentication for jobmatchd: the server
// credentials, interceptors and caller scope that enforce the configuration's
// `security` section (auth::SecurityOptions). The one seam between the
// service and server/auth/.
#ifndef JOBMATCH_SERVER_TRANSPORT_SECURITY_H_
#define JOBMATCH_SERVER_TRANSPORT_SECURITY_H_

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "grpcpp/security/server_credentials.h"
#include "grpcpp/support/server_interceptor.h"
#include "grpcpp/support/status.h"
#include "grpcpp/support/string_ref.h"
#include "server/access_scope.h"
#include "server/auth/call_authenticator.h"
#include "server/auth/security_options.h"

namespace jobmatch {

struct TransportSecurity {
  std::shared_ptr<grpc::ServerCredentials> credentials;
  // To run on every call (after jobmatchd's own); may be empty.
  std::vector<std::unique_ptr<grpc::experimental::ServerInterceptorFactoryInterface>> interceptors;
  // The authenticated caller's scope, for the handlers; null when calls are
  // not authenticated.
  ScopeOfCall scope_of;
  // The authenticator (null without authentication): jobmatchd gives it the
  // observer that counts, logs and audits refused calls.
  std::shared_ptr<auth::CallAuthenticator> authenticator;
  // The authenticator's decision for a call that arrives by the HTTP port
  // (server/http/): the same identity, rate limit and role checks, for a
  // caller without a client certificate (HTTP carries no certificate
  // identity). Null when calls are not authenticated.
  std::function<grpc::Status(std::string_view method,
                             const std::multimap<grpc::string_ref, grpc::string_ref>& metadata)>
      authorize;
};

// The credentials and interceptor for serving on `listen_address` as
// `config` (the configuration's `security` section) asks. InvalidArgument
// naming the `security.` key when the configuration is inconsistent;
// FailedPrecondition for plaintext on a non-loopback address without
// allow_insecure_non_loopback. Prints a warning to stderr when serving
// plaintext.
absl::StatusOr<TransportSecurity> MakeTransportSecurity(const auth::SecurityOptions& config,
                                                        const std::string& listen_address);

}  // namespace jobmatch

#endif  // JOBMATCH_SERVER_TRANSPORT_SECURITY_H_

// Everything jobmatchd needs from server/auth/ to serve a port safely, made
// in one call from SecurityOptions: the server credentials (TLS, optional
// mutual TLS, or plaintext on loopback only) with the CallAuthenticator
// attached, the interceptor factories to install, and the authenticator for
// handlers' CallerOf(). See docs/security.md.
#ifndef JOBMATCH_SERVER_AUTH_SERVER_SECURITY_H_
#define JOBMATCH_SERVER_AUTH_SERVER_SECURITY_H_

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "grpcpp/security/server_credentials.h"
#include "grpcpp/support/server_interceptor.h"
#include "server/auth/call_authenticator.h"
#include "server/auth/method_policy.h"
#include "server/auth/security_options.h"

namespace jobmatch::auth {

struct ServerSecurity {
  std::shared_ptr<grpc::ServerCredentials> credentials;
  // Null when authentication is disabled for a local demo: then every call
  // is served and CallerOf is not available.
  std::shared_ptr<CallAuthenticator> authenticator;
  // To install with ServerBuilder::experimental().SetInterceptorCreators.
  std::vector<std::unique_ptr<grpc::experimental::ServerInterceptorFactoryInterface>>
      interceptor_factories;
  bool tls = false;
};

// True for 127.0.0.0/8, [::1] and localhost listen addresses (host:port).
bool IsLoopbackAddress(std::string_view listen_address);

// The security for serving on `listen_address` as `options` ask:
//  - TLS when tls_cert_file and tls_key_file are set; client certificates
//    verified against client_ca_file when set, required with
//    require_client_cert;
//  - otherwise plaintext, on a loopback address only (credentials that
//    refuse non-loopback peers), with a loud warning on stderr; a
//    non-loopback address is FailedPrecondition unless
//    allow_insecure_non_loopback, and even then only without authentication
//    (credentials sent in plaintext over a network are not accepted: put
//    the TLS-terminating proxy in front of a loopback address instead).
// InvalidArgument naming the `security.` key for an inconsistent
// configuration or an unreadable PEM file.
absl::StatusOr<ServerSecurity> MakeServerSecurity(const SecurityOptions& options,
                                                  std::string_view listen_address,
                                                  MethodPolicy policy = MethodPolicy::Default());

// The credentials alone (with the authenticator for MethodPolicy::Default()
// attached), for callers that need nothing else.
absl::StatusOr<std::shared_ptr<grpc::ServerCredentials>> MakeServerCredentials(
    const SecurityOptions& options, std::string_view listen_address);

}  // namespace jobmatch::auth

#endif  // JOBMATCH_SERVER_AUTH_SERVER_SECURITY_H_

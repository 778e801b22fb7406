#include "server/auth/server_security.h"

#include <cstdio>
#include <fstream>
#include <sstream>
#include <utility>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "server/auth/stream_limit_interceptor.h"

namespace jobmatch::auth {
namespace {

absl::StatusOr<std::string> ReadPem(const std::string& path, const char* key) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return absl::InvalidArgumentError(
        absl::StrCat("config security.", key, ": cannot read \"", path, "\""));
  }
  std::ostringstream contents;
  contents << in.rdbuf();
  if (contents.str().find("-----BEGIN ") == std::string::npos) {
    return absl::InvalidArgumentError(
        absl::StrCat("config security.", key, ": \"", path, "\" is not a PEM file"));
  }
  return contents.str();
}

void WarnPlaintext(std::string_view listen_address, bool authenticated) {
  std::fprintf(stderr,
               "jobmatchd: ************************************************************\n"
               "jobmatchd: WARNING: serving PLAINTEXT gRPC (no TLS) on %.*s\n"
               "jobmatchd: %s\n"
               "jobmatchd: configure security.tls_cert_file / tls_key_file for real use.\n"
               "jobmatchd: ************************************************************\n",
               static_cast<int>(listen_address.size()), listen_address.data(),
               authenticated ? "loopback only: local demo mode, API keys still required"
                             : "authentication DISABLED: every caller may do everything");
}

}  // namespace

bool IsLoopbackAddress(std::string_view address) {
  return absl::StartsWith(absl::string_view(address.data(), address.size()), "127.") ||
         absl::StartsWith(absl::string_view(address.data(), address.size()), "localhost:") ||
         absl::StartsWith(absl::string_view(address.data(), address.size()), "[::1]:");
}

absl::StatusOr<ServerSecurity> MakeServerSecurity(const SecurityOptions& options,
                                                  std::string_view listen_address,
                                                  MethodPolicy policy) {
  const bool tls = !options.tls_cert_file.empty() || !options.tls_key_file.empty();
  if (tls && (options.tls_cert_file.empty() || options.tls_key_file.empty())) {
    return absl::InvalidArgumentError(
        "config security.tls_cert_file and security.tls_key_file: set both or neither");
  }
  if (!tls && !options.client_ca_file.empty()) {
    return absl::InvalidArgumentError(
        "config security.client_ca_file: client certificates need TLS (tls_cert_file, "
        "tls_key_file)");
  }
  if (options.require_client_cert && options.client_ca_file.empty()) {
    return absl::InvalidArgumentError(
        "config security.require_client_cert: needs security.client_ca_file to verify "
        "client certificates against");
  }
  if (!options.client_certificates.empty() && options.client_ca_file.empty()) {
    return absl::InvalidArgumentError(
        "config security.client_certificates: needs security.client_ca_file (and TLS) so "
        "that client certificates are requested and verified");
  }
  const bool loopback = IsLoopbackAddress(listen_address);
  const std::string address(listen_address);
  if (!tls && !loopback) {
    if (!options.allow_insecure_non_loopback) {
      return absl::FailedPreconditionError(absl::StrCat(
          "refusing to serve plaintext on non-loopback address ", address,
          ": configure security.tls_cert_file and tls_key_file, or listen on loopback behind "
          "a TLS-terminating proxy"));
    }
    if (!options.auth_disabled_for_local_demo) {
      return absl::FailedPreconditionError(absl::StrCat(
          "refusing plaintext on non-loopback address ", address,
          " with authentication: API keys would cross the network in clear text; configure "
          "TLS, or listen on loopback behind a TLS-terminating proxy"));
    }
  }

  ServerSecurity security;
  security.tls = tls;
  if (!options.auth_disabled_for_local_demo) {
    absl::StatusOr<std::shared_ptr<CallAuthenticator>> authenticator =
        CallAuthenticator::Create(options, std::move(policy));
    if (!authenticator.ok()) return authenticator.status();
    security.authenticator = *std::move(authenticator);
  }

  if (tls) {
    absl::StatusOr<std::string> cert = ReadPem(options.tls_cert_file, "tls_cert_file");
    if (!cert.ok()) return cert.status();
    absl::StatusOr<std::string> key = ReadPem(options.tls_key_file, "tls_key_file");
    if (!key.ok()) return key.status();
    grpc::SslServerCredentialsOptions ssl(GRPC_SSL_DONT_REQUEST_CLIENT_CERTIFICATE);
    ssl.pem_key_cert_pairs.push_back({*key, *cert});
    if (!options.client_ca_file.empty()) {
      absl::StatusOr<std::string> ca = ReadPem(options.client_ca_file, "client_ca_file");
      if (!ca.ok()) return ca.status();
      ssl.pem_root_certs = *ca;
      ssl.client_certificate_request =
          options.require_client_cert ? GRPC_SSL_REQUEST_AND_REQUIRE_CLIENT_CERTIFICATE_AND_VERIFY
                                      : GRPC_SSL_REQUEST_CLIENT_CERTIFICATE_AND_VERIFY;
    }
    security.credentials = grpc::SslServerCredentials(ssl);
  } else if (security.authenticator != nullptr) {
    // Local credentials accept only loopback peers and, unlike the insecure
    // ones, run an AuthMetadataProcessor.
    security.credentials = grpc::experimental::LocalServerCredentials(LOCAL_TCP);
    WarnPlaintext(listen_address, true);
  } else {
    security.credentials = grpc::InsecureServerCredentials();
    WarnPlaintext(listen_address, false);
  }
  if (tls && security.authenticator == nullptr) {
    std::fprintf(stderr, "jobmatchd: WARNING: authentication DISABLED on %s\n", address.c_str());
  }
  if (security.authenticator != nullptr) {
    security.credentials->SetAuthMetadataProcessor(security.authenticator);
  }
  security.interceptor_factories.push_back(
      MakeStreamLimitInterceptorFactory(options.max_stream_messages));
  return security;
}

absl::StatusOr<std::shared_ptr<grpc::ServerCredentials>> MakeServerCredentials(
    const SecurityOptions& options, std::string_view listen_address) {
  absl::StatusOr<ServerSecurity> security = MakeServerSecurity(options, listen_address);
  if (!security.ok()) return security.status();
  return security->credentials;
}

}  // namespace jobmatch::auth

// MakeTransportSecurity: the configuration's `security` section mapped onto
// auth::SecurityOptions in this one place, and the authenticated caller mapped
// onto the handlers' AccessScope.
#include <cstdio>
#include <utility>

#include "absl/strings/str_cat.h"
#include "server/auth/server_security.h"
#include "server/transport_security.h"

namespace jobmatch {
namespace {

absl::StatusOr<auth::Role> RoleOf(const std::string& key, const std::string& name) {
  auto role = auth::ParseRole(name);
  if (!role.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat("config ", key, ".role: ", role.status().message()));
  }
  return role;
}

}  // namespace

bool IsLoopbackAddress(const std::string& address) {
  return address.rfind("127.", 0) == 0 || address.rfind("localhost:", 0) == 0 ||
         address.rfind("[::1]:", 0) == 0;
}

absl::StatusOr<TransportSecurity> MakeTransportSecurity(const SecurityConfig& config,
                                                        const std::string& listen_address) {
  auth::SecurityOptions options;
  options.tls_cert_file = config.tls_cert_file;
  options.tls_key_file = config.tls_key_file;
  options.client_ca_file = config.client_ca_file;
  options.require_client_cert = config.require_client_cert;
  options.allow_insecure_non_loopback = config.allow_insecure_non_loopback;
  options.auth_disabled_for_local_demo = config.auth_disabled_for_local_demo;
  options.rate_limit_per_second = config.rate_limit_per_second;
  options.rate_limit_burst = config.rate_limit_burst;
  options.max_stream_messages = config.max_stream_messages;
  for (size_t i = 0; i < config.api_keys.size(); ++i) {
    const ApiKeyConfig& k = config.api_keys[i];
    auto role = RoleOf(absl::StrCat("security.api_keys[", i, "]"), k.role);
    if (!role.ok()) return role.status();
    auth::ApiKey key;
    key.id = k.id;
    key.sha256_hex = k.sha256_hex;
    key.role = *role;
    key.municipalities = k.municipalities;
    key.all_municipalities = k.all_municipalities;
    options.api_keys.push_back(std::move(key));
  }
  for (size_t i = 0; i < config.client_certificates.size(); ++i) {
    const ClientCertificateConfig& c = config.client_certificates[i];
    auto role = RoleOf(absl::StrCat("security.client_certificates[", i, "]"), c.role);
    if (!role.ok()) return role.status();
    auth::ClientCertificateIdentity identity;
    identity.id = c.id;
    identity.common_name = c.common_name;
    identity.role = *role;
    identity.municipalities = c.municipalities;
    identity.all_municipalities = c.all_municipalities;
    options.client_certificates.push_back(std::move(identity));
  }
  // Nothing configured at all on a loopback address is the local demo (as
  // `jobmatchd` without a config file has always been): plaintext without
  // authentication, which MakeServerSecurity announces loudly. Anything
  // configured, or any other address, gets the full checks.
  if (config.tls_cert_file.empty() && config.tls_key_file.empty() && config.api_keys.empty() &&
      config.client_certificates.empty() && IsLoopbackAddress(listen_address)) {
    options.auth_disabled_for_local_demo = true;
  }

  auto security = auth::MakeServerSecurity(options, listen_address);
  if (!security.ok()) return security.status();
  TransportSecurity result;
  result.credentials = security->credentials;
  result.interceptors = std::move(security->interceptor_factories);
  if (std::shared_ptr<auth::CallAuthenticator> authenticator = security->authenticator) {
    result.scope_of = [authenticator](const grpc::ServerContextBase& context)
        -> std::optional<AccessScope> {
      AccessScope scope;  // no caller on an authenticated server: nothing in scope
      if (std::optional<auth::Caller> caller = authenticator->CallerOf(context)) {
        scope.caller_id = caller->id;
        scope.role = std::string(auth::RoleName(caller->role));
        scope.all_municipalities = caller->all_municipalities;
        scope.municipalities = caller->municipalities;
        scope.may_see_needs = caller->MaySeeFunctionalNeeds();
      }
      return scope;
    };
  }
  return result;
}

}  // namespace jobmatch

// MakeTransportSecurity: the configuration's `security` section handed to
// server/auth/, and the authenticated caller mapped onto the handlers'
// AccessScope, in this one place.
#include <utility>

#include "grpcpp/security/auth_context.h"
#include "server/auth/server_security.h"
#include "server/transport_security.h"

namespace jobmatch {
namespace {

// The transport identity of a call that came by HTTP: none. (The HTTP port
// is plain HTTP; no header may claim a certificate.)
class NoTransportIdentity : public grpc::AuthContext {
 public:
  bool IsPeerAuthenticated() const override { return false; }
  std::vector<grpc::string_ref> GetPeerIdentity() const override { return {}; }
  std::string GetPeerIdentityPropertyName() const override { return ""; }
  std::vector<grpc::string_ref> FindPropertyValues(const std::string&) const override { return {}; }
  grpc::AuthPropertyIterator begin() const override { return Empty(); }
  grpc::AuthPropertyIterator end() const override { return Empty(); }
  void AddProperty(const std::string&, const grpc::string_ref&) override {}
  bool SetPeerIdentityPropertyName(const std::string&) override { return false; }

 private:
  struct EmptyIterator : grpc::AuthPropertyIterator {};
  static grpc::AuthPropertyIterator Empty() { return EmptyIterator(); }
};

}  // namespace

absl::StatusOr<TransportSecurity> MakeTransportSecurity(const auth::SecurityOptions& config,
                                                        const std::string& listen_address) {
  auth::SecurityOptions options = config;
  // Nothing configured at all on a loopback address is the local demo (as
  // `jobmatchd` without a config file has always been): plaintext without
  // authentication, which MakeServerSecurity announces loudly. Anything
  // configured, or any other address, gets the full checks.
  if (config.tls_cert_file.empty() && config.tls_key_file.empty() && config.api_keys.empty() &&
      config.client_certificates.empty() && config.oidc_providers.empty() &&
      auth::IsLoopbackAddress(listen_address)) {
    options.auth_disabled_for_local_demo = true;
  }
  auto security = auth::MakeServerSecurity(options, listen_address);
  if (!security.ok()) return security.status();
  TransportSecurity result;
  result.credentials = security->credentials;
  result.interceptors = std::move(security->interceptor_factories);
  result.authenticator = security->authenticator;
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
        scope.employer_ids = caller->employer_ids;
      }
      return scope;
    };
    result.authorize = [authenticator](
                           std::string_view method,
                           const std::multimap<grpc::string_ref, grpc::string_ref>& metadata) {
      static const NoTransportIdentity* const kNone = new NoTransportIdentity();
      return authenticator->Decide(method, metadata, *kNone);
    };
  }
  return result;
}

}  // namespace jobmatch

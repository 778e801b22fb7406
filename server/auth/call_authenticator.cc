#include "server/auth/call_authenticator.h"

#include <utility>
#include <vector>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "server/auth/api_key_hash.h"

namespace jobmatch::auth {
namespace {

std::string_view View(const grpc::string_ref& ref) { return {ref.data(), ref.size()}; }

bool IsHexDigest(const std::string& s) {
  if (s.size() != 64) return false;
  for (char c : s) {
    if (!absl::ascii_isxdigit(static_cast<unsigned char>(c))) return false;
  }
  return true;
}

Caller MakeCaller(std::string id, Role role, Caller::Credential credential,
                  std::vector<int> municipalities, bool all_municipalities,
                  std::vector<std::string> employer_ids) {
  Caller caller;
  caller.id = std::move(id);
  caller.role = role;
  caller.credential = credential;
  caller.municipalities = std::move(municipalities);
  caller.all_municipalities = all_municipalities;
  caller.employer_ids = std::move(employer_ids);
  return caller;
}

}  // namespace

CallAuthenticator::CallAuthenticator(MethodPolicy policy, const SecurityOptions& options,
                                     Clock clock)
    : policy_(std::move(policy)),
      clock_(std::move(clock)),
      limiter_(options.rate_limit_per_second, options.rate_limit_burst) {}

absl::StatusOr<std::shared_ptr<CallAuthenticator>> CallAuthenticator::Create(
    const SecurityOptions& options, MethodPolicy policy, Clock clock) {
  if (options.api_keys.empty() && options.client_certificates.empty() &&
      options.oidc_providers.empty()) {
    return absl::InvalidArgumentError(
        "config security.api_keys: no credentials are configured, so every call would be "
        "refused; configure api_keys, client_certificates or oidc_providers (or "
        "auth_disabled_for_local_demo on loopback)");
  }
  std::shared_ptr<CallAuthenticator> authenticator(
      new CallAuthenticator(std::move(policy), options, std::move(clock)));
  if (!options.oidc_providers.empty()) {
    absl::StatusOr<std::unique_ptr<OidcAuthenticator>> oidc =
        OidcAuthenticator::Create(options.oidc_providers);
    if (!oidc.ok()) return oidc.status();
    authenticator->oidc_ = *std::move(oidc);
  }
  absl::flat_hash_set<std::string> ids;  // unique across keys and certificates
  for (size_t i = 0; i < options.api_keys.size(); ++i) {
    const ApiKey& key = options.api_keys[i];
    const std::string where = absl::StrCat("config security.api_keys[", i, "]");
    if (key.id.empty()) return absl::InvalidArgumentError(absl::StrCat(where, ".id: empty"));
    if (!ids.insert(key.id).second) {
      return absl::InvalidArgumentError(absl::StrCat(where, ".id: duplicate \"", key.id, "\""));
    }
    if (!IsHexDigest(key.sha256_hex)) {
      return absl::InvalidArgumentError(
          absl::StrCat(where, ".sha256_hex: must be 64 hex digits (SHA-256 of the key)"));
    }
    std::string digest = absl::AsciiStrToLower(key.sha256_hex);
    Caller caller = MakeCaller(key.id, key.role, Caller::Credential::kApiKey, key.municipalities,
                               key.all_municipalities, key.employer_ids);
    if (!authenticator->by_key_digest_.emplace(digest, std::move(caller)).second) {
      return absl::InvalidArgumentError(
          absl::StrCat(where, ".sha256_hex: the same key is configured twice"));
    }
  }
  for (size_t i = 0; i < options.client_certificates.size(); ++i) {
    const ClientCertificateIdentity& cert = options.client_certificates[i];
    const std::string where = absl::StrCat("config security.client_certificates[", i, "]");
    if (cert.id.empty()) return absl::InvalidArgumentError(absl::StrCat(where, ".id: empty"));
    if (!ids.insert(cert.id).second) {
      return absl::InvalidArgumentError(absl::StrCat(where, ".id: duplicate \"", cert.id, "\""));
    }
    if (cert.common_name.empty()) {
      return absl::InvalidArgumentError(absl::StrCat(where, ".common_name: empty"));
    }
    Caller caller = MakeCaller(cert.id, cert.role, Caller::Credential::kClientCertificate,
                               cert.municipalities, cert.all_municipalities, cert.employer_ids);
    if (!authenticator->by_common_name_.emplace(cert.common_name, std::move(caller)).second) {
      return absl::InvalidArgumentError(
          absl::StrCat(where, ".common_name: \"", cert.common_name, "\" is configured twice"));
    }
  }
  return authenticator;
}

absl::StatusOr<std::optional<Caller>> CallAuthenticator::Identify(
    const InputMetadata& metadata, const grpc::AuthContext& connection) const {
  std::vector<std::string_view> keys;
  for (auto [it, end] = metadata.equal_range("authorization"); it != end; ++it) {
    std::string_view value = View(it->second);
    constexpr std::string_view kBearer = "bearer ";
    if (value.size() <= kBearer.size() ||
        !absl::EqualsIgnoreCase(absl::string_view(value.data(), kBearer.size()),
                                absl::string_view(kBearer.data(), kBearer.size()))) {
      return absl::UnauthenticatedError(
          "authorization metadata must be \"Bearer <api key or token>\"");
    }
    keys.push_back(value.substr(kBearer.size()));
  }
  const bool bearer = !keys.empty();
  for (auto [it, end] = metadata.equal_range("x-api-key"); it != end; ++it) {
    keys.push_back(View(it->second));
  }
  if (keys.size() > 1) {
    return absl::UnauthenticatedError("more than one API key presented");
  }
  if (keys.size() == 1) {
    auto found = by_key_digest_.find(CachedSha256Hex(keys[0]));
    const absl::string_view token(keys[0].data(), keys[0].size());
    if (found == by_key_digest_.end() && bearer && oidc_ != nullptr && LooksLikeJwt(token)) {
      absl::StatusOr<Caller> caller = oidc_->Authenticate(token, clock_());
      if (!caller.ok()) return caller.status();
      return std::optional<Caller>(*std::move(caller));
    }
    if (found == by_key_digest_.end()) return absl::UnauthenticatedError("unknown API key");
    return std::optional<Caller>(found->second);
  }
  // Only a certificate that verified against the client CA reaches here:
  // the TLS handshake refuses any other.
  std::vector<grpc::string_ref> names = connection.FindPropertyValues("x509_common_name");
  if (names.size() == 1 && connection.IsPeerAuthenticated()) {
    auto found = by_common_name_.find(std::string(View(names[0])));
    if (found != by_common_name_.end()) return std::optional<Caller>(found->second);
  }
  return std::optional<Caller>();
}

grpc::Status CallAuthenticator::Decide(std::string_view method, const InputMetadata& metadata,
                                       const grpc::AuthContext& connection) {
  std::optional<Caller> who;
  grpc::Status status = DecideFor(method, metadata, connection, &who);
  if (!status.ok() && observer_) {
    std::string_view request_id;
    if (auto id = metadata.find("x-request-id"); id != metadata.end()) {
      request_id = View(id->second);
    }
    observer_(Refusal{method, status.error_code(), status.error_message(), request_id,
                      who ? &*who : nullptr});
  }
  return status;
}

grpc::Status CallAuthenticator::DecideFor(std::string_view method, const InputMetadata& metadata,
                                          const grpc::AuthContext& connection,
                                          std::optional<Caller>* who_out) {
  if (MethodPolicy::IsOpen(method)) return grpc::Status::OK;
  absl::StatusOr<std::optional<Caller>> caller = Identify(metadata, connection);
  if (!caller.ok()) {
    return grpc::Status(grpc::StatusCode::UNAUTHENTICATED, std::string(caller.status().message()));
  }
  if (!caller->has_value()) {
    return grpc::Status(grpc::StatusCode::UNAUTHENTICATED,
                        "credentials required: \"authorization: Bearer <api key or token>\", "
                        "\"x-api-key\" or a configured client certificate");
  }
  const Caller& who = **caller;
  *who_out = who;
  if (!limiter_.TryAcquire(who.id, clock_())) {
    return grpc::Status(grpc::StatusCode::RESOURCE_EXHAUSTED,
                        absl::StrCat("rate limit exceeded for caller ", who.id));
  }
  switch (policy_.Check(method, who.role)) {
    case MethodPolicy::Access::kOpen:
    case MethodPolicy::Access::kAllowed:
      return grpc::Status::OK;
    case MethodPolicy::Access::kDenied:
      return grpc::Status(grpc::StatusCode::PERMISSION_DENIED,
                          absl::StrCat("role ", std::string(RoleName(who.role)), " may not call ",
                                       std::string(method)));
    case MethodPolicy::Access::kUnknownMethod:
      break;
  }
  return grpc::Status(grpc::StatusCode::PERMISSION_DENIED,
                      absl::StrCat("no authorisation policy for ", std::string(method)));
}

grpc::Status CallAuthenticator::Process(const InputMetadata& auth_metadata,
                                        grpc::AuthContext* context,
                                        OutputMetadata* consumed_auth_metadata,
                                        OutputMetadata* response_metadata) {
  // The credentials stay in the call's metadata (nothing is consumed) so
  // that CallerOf() can re-derive the caller for the handler.
  auto path = auth_metadata.find(":path");
  if (path == auth_metadata.end()) {
    return grpc::Status(grpc::StatusCode::PERMISSION_DENIED, "call without a method path");
  }
  return Decide(View(path->second), auth_metadata, *context);
}

std::optional<Caller> CallAuthenticator::CallerOf(const grpc::ServerContextBase& context) const {
  std::shared_ptr<const grpc::AuthContext> connection = context.auth_context();
  if (connection == nullptr) return std::nullopt;
  absl::StatusOr<std::optional<Caller>> caller = Identify(context.client_metadata(), *connection);
  if (!caller.ok()) return std::nullopt;
  return *caller;
}

}  // namespace jobmatch::auth

// The one place where jobmatchd decides whether a call may proceed: an
// AuthMetadataProcessor installed on the server credentials, so the decision
// is made by gRPC before any handler runs (a gRPC 1.51 server interceptor
// cannot refuse a call). For every method except health and reflection it
//   1. identifies the caller: an API key ("authorization: Bearer <key>" or
//      "x-api-key: <key>", compared by SHA-256), an OpenID Connect token
//      ("authorization: Bearer <jwt>", oidc_authenticator.h) or else a
//      verified client certificate's common name; none -> UNAUTHENTICATED,
//      an unknown key or a token refused -> UNAUTHENTICATED;
//   2. rate-limits per caller id (token bucket) -> RESOURCE_EXHAUSTED;
//   3. authorises the method for the caller's role (MethodPolicy); a role
//      not allowed, or a method without a policy entry -> PERMISSION_DENIED.
// Handlers learn the caller with CallerOf(context), which re-derives it from
// the call's own metadata: gRPC shares the AuthContext given to Process()
// among all calls of a connection, so nothing per-call is stored there.
#ifndef JOBMATCH_SERVER_AUTH_CALL_AUTHENTICATOR_H_
#define JOBMATCH_SERVER_AUTH_CALL_AUTHENTICATOR_H_

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "grpcpp/security/auth_context.h"
#include "grpcpp/security/auth_metadata_processor.h"
#include "grpcpp/server_context.h"
#include "server/auth/caller.h"
#include "server/auth/method_policy.h"
#include "server/auth/oidc_authenticator.h"
#include "server/auth/rate_limiter.h"
#include "server/auth/security_options.h"

namespace jobmatch::auth {

class CallAuthenticator : public grpc::AuthMetadataProcessor {
 public:
  using Clock = std::function<absl::Time()>;

  // A call refused at authentication, rate limiting or authorisation.
  struct Refusal {
    std::string_view method;      // as the client sent it: not to be trusted
    grpc::StatusCode code;        // UNAUTHENTICATED, PERMISSION_DENIED, RESOURCE_EXHAUSTED
    std::string_view message;     // the status message sent to the client
    std::string_view request_id;  // the client's x-request-id metadata, raw ("" if none)
    const Caller* caller;         // null when the caller was not identified
  };
  // Told of every refusal, in the gRPC thread that refused the call: must be
  // quick and thread-safe.
  using RefusalObserver = std::function<void(const Refusal&)>;

  // InvalidArgument naming the `security.` key when `options` configure no
  // credential at all, a digest that is not 64 hex digits, or a duplicate id
  // or digest.
  static absl::StatusOr<std::shared_ptr<CallAuthenticator>> Create(
      const SecurityOptions& options, MethodPolicy policy, Clock clock = absl::Now);

  // Decides in the calling gRPC thread: Process() takes a few microseconds.
  bool IsBlocking() const override { return false; }
  grpc::Status Process(const InputMetadata& auth_metadata, grpc::AuthContext* context,
                       OutputMetadata* consumed_auth_metadata,
                       OutputMetadata* response_metadata) override;

  // The decision for a call of `method` with client metadata `metadata` on
  // a connection whose transport identity is `connection` (as Process(), and
  // for calls that arrive by the HTTP port). A refusal goes to the refusal
  // observer, whichever way the call came.
  grpc::Status Decide(std::string_view method, const InputMetadata& metadata,
                      const grpc::AuthContext& connection);

  // The caller of an authorised call, for its handler; nullopt for an open
  // method called without credentials.
  std::optional<Caller> CallerOf(const grpc::ServerContextBase& context) const;

  const MethodPolicy& policy() const { return policy_; }

  // Set once, before the server serves calls (not synchronised).
  void set_refusal_observer(RefusalObserver observer) { observer_ = std::move(observer); }

 private:
  CallAuthenticator(MethodPolicy policy, const SecurityOptions& options, Clock clock);

  // The caller named by `metadata` or, failing that, by `connection`'s
  // client certificate; nullopt when neither names one; UNAUTHENTICATED
  // status for a key that is malformed, unknown or given twice.
  absl::StatusOr<std::optional<Caller>> Identify(const InputMetadata& metadata,
                                                 const grpc::AuthContext& connection) const;
  // Decide(), also naming the identified caller (if any) in *who.
  grpc::Status DecideFor(std::string_view method, const InputMetadata& metadata,
                         const grpc::AuthContext& connection, std::optional<Caller>* who);

  // Constant after construction.
  const MethodPolicy policy_;
  absl::flat_hash_map<std::string, Caller> by_key_digest_;     // SHA-256 hex -> caller
  absl::flat_hash_map<std::string, Caller> by_common_name_;    // certificate CN -> caller
  std::unique_ptr<OidcAuthenticator> oidc_;  // null without oidc_providers; thread-safe
  const Clock clock_;

  RateLimiter limiter_;  // thread-safe
  RefusalObserver observer_;  // set before serving
};

}  // namespace jobmatch::auth

#endif  // JOBMATCH_SERVER_AUTH_CALL_AUTHENTICATOR_H_

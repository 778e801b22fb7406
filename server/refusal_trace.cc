#include "server/refusal_trace.h"

#include <cstdio>
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "server/request_id.h"

namespace jobmatch {
namespace {

const char* CodeName(grpc::StatusCode code) {
  switch (code) {
    case grpc::StatusCode::UNAUTHENTICATED: return "UNAUTHENTICATED";
    case grpc::StatusCode::PERMISSION_DENIED: return "PERMISSION_DENIED";
    case grpc::StatusCode::RESOURCE_EXHAUSTED: return "RESOURCE_EXHAUSTED";
    default: return "UNKNOWN";
  }
}

absl::StatusCode ToAbsl(grpc::StatusCode code) { return static_cast<absl::StatusCode>(code); }

}  // namespace

auth::CallAuthenticator::RefusalObserver MakeRefusalTrace(Metrics* metrics,
                                                          const audit::Auditor* auditor) {
  return [metrics, auditor](const auth::CallAuthenticator::Refusal& refusal) {
    const std::string method = MethodLabel(refusal.method);
    metrics->RecordRpc(method, static_cast<int>(refusal.code), 0);
    const std::optional<std::string> request_id = PlainRequestId(refusal.request_id);
    const std::string caller = refusal.caller != nullptr ? refusal.caller->id : "-";
    // Method label, code and configured ids only: never client-chosen text.
    std::fprintf(stderr, "%s request_id=%s method=%s code=%s caller=%s refused\n",
                 absl::FormatTime("%Y-%m-%dT%H:%M:%E3SZ", absl::Now(), absl::UTCTimeZone()).c_str(),
                 request_id ? request_id->c_str() : "-", method.c_str(), CodeName(refusal.code),
                 caller.c_str());
    v1::AuditEntry entry;
    entry.set_method(method);
    if (refusal.caller != nullptr) {
      entry.set_caller_id(refusal.caller->id);
      entry.set_caller_role(std::string(auth::RoleName(refusal.caller->role)));
    } else {
      entry.set_caller_id("unauthenticated");
      entry.set_caller_role("NONE");
    }
    if (request_id) entry.set_request_id(*request_id);
    absl::Status audited = auditor->Finish(
        std::move(entry), absl::Status(ToAbsl(refusal.code), "refused"));
    if (absl::IsUnavailable(audited)) {
      std::fprintf(stderr, "jobmatchd: the audit log could not record a refused call: %s\n",
                   std::string(audited.message()).c_str());
    }
  };
}

}  // namespace jobmatch

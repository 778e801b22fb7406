#include "server/grpc_status.h"

#include <cstdio>
#include <random>
#include <string>

#include "absl/strings/str_format.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"

namespace jobmatch {
namespace {

std::string NextIncidentId() {
  static absl::Mutex mu(absl::kConstInit);
  static std::mt19937_64* rng ABSL_GUARDED_BY(mu) = nullptr;
  absl::MutexLock lock(&mu);
  if (rng == nullptr) rng = new std::mt19937_64(std::random_device{}());
  return absl::StrFormat("%016x", (*rng)());
}

}  // namespace

grpc::Status ToGrpcStatus(const absl::Status& status) {
  if (status.ok()) return grpc::Status::OK;
  const auto code = static_cast<grpc::StatusCode>(status.code());
  if (status.code() == absl::StatusCode::kInternal || status.code() == absl::StatusCode::kDataLoss ||
      status.code() == absl::StatusCode::kUnknown) {
    const std::string incident = NextIncidentId();
    std::fprintf(stderr, "%s incident=%s %s\n",
                 absl::FormatTime("%Y-%m-%dT%H:%M:%E3SZ", absl::Now(), absl::UTCTimeZone()).c_str(),
                 incident.c_str(), status.ToString().c_str());
    return grpc::Status(code, absl::StrFormat("internal error, incident %s; the server log has "
                                              "the details",
                                              incident));
  }
  constexpr size_t kMaxMessage = 1024;
  return grpc::Status(code, std::string(status.message().substr(0, kMaxMessage)));
}

}  // namespace jobmatch

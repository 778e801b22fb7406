// The one mapping from absl::Status to grpc::Status (the codes match 1:1).
#ifndef JOBMATCH_SERVER_GRPC_STATUS_H_
#define JOBMATCH_SERVER_GRPC_STATUS_H_

#include <string>

#include "absl/status/status.h"
#include "grpcpp/support/status.h"

namespace jobmatch {

// Internal errors are reported without their detail (which may name files or
// other citizens' records); the detail is for the server log.
inline grpc::Status ToGrpcStatus(const absl::Status& status) {
  if (status.ok()) return grpc::Status::OK;
  constexpr size_t kMaxMessage = 1024;
  if (status.code() == absl::StatusCode::kInternal || status.code() == absl::StatusCode::kDataLoss ||
      status.code() == absl::StatusCode::kUnknown) {
    return grpc::Status(static_cast<grpc::StatusCode>(status.code()),
                        "internal error; the server log has the details");
  }
  std::string message(status.message().substr(0, kMaxMessage));
  return grpc::Status(static_cast<grpc::StatusCode>(status.code()), message);
}

}  // namespace jobmatch

#endif  // JOBMATCH_SERVER_GRPC_STATUS_H_

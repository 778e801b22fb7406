// The one mapping from absl::Status to grpc::Status (the codes match 1:1).
#ifndef JOBMATCH_SERVER_GRPC_STATUS_H_
#define JOBMATCH_SERVER_GRPC_STATUS_H_

#include "absl/status/status.h"
#include "grpcpp/support/status.h"

namespace jobmatch {

// Same code; the message capped at 1 KiB. Internal errors (INTERNAL,
// DATA_LOSS, UNKNOWN) never reach the caller with their detail, which may
// name files or other citizens' records: the detail goes to the server log
// under a random incident id, and the caller gets only that id to quote.
grpc::Status ToGrpcStatus(const absl::Status& status);

}  // namespace jobmatch

#endif  // JOBMATCH_SERVER_GRPC_STATUS_H_

// gRPC status codes as HTTP statuses and as the lower-case names the
// Connect protocol puts in an error body. The mapping is the one in Google's
// API design guide (https://cloud.google.com/apis/design/errors), which the
// Connect protocol uses too.
#ifndef JOBMATCH_SERVER_HTTP_HTTP_STATUS_H_
#define JOBMATCH_SERVER_HTTP_HTTP_STATUS_H_

#include <string>

#include "grpcpp/support/status.h"

namespace jobmatch::http {

// 200 for OK, 400 for INVALID_ARGUMENT, FAILED_PRECONDITION and
// OUT_OF_RANGE, 401, 403, 404, 409 for ALREADY_EXISTS and ABORTED, 429, 499
// for CANCELLED, 501, 503, 504, and 500 for the rest.
int HttpStatusOf(grpc::StatusCode code);

// "invalid_argument", "not_found", ... ("unknown" for a code out of range).
const char* CodeNameOf(grpc::StatusCode code);

// The error body: {"code":"invalid_argument","message":"..."} (Connect's
// error shape; the message is the gRPC status message unchanged).
std::string ErrorJson(const grpc::Status& status);

}  // namespace jobmatch::http

#endif  // JOBMATCH_SERVER_HTTP_HTTP_STATUS_H_

// Calls any gRPC method by name with raw request bytes (grpc::GenericStub):
// unary, client-, server- and bidirectional streaming alike, so the fuzz
// driver can send bytes that the typed stubs would never produce.
#ifndef JOBMATCH_TESTS_FUZZ_RAW_CALL_H_
#define JOBMATCH_TESTS_FUZZ_RAW_CALL_H_

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/time/time.h"
#include "grpcpp/grpcpp.h"

namespace jobmatch::fuzz {

struct RawCallOptions {
  std::vector<std::pair<std::string, std::string>> metadata;
  absl::Duration deadline = absl::Seconds(10);
  // Most response messages read; the call is cancelled after that.
  int max_responses = 100;
  // A response stream silent this long is cancelled by the client (a
  // WatchChanges that waits for new writes). Methods the generated pool
  // knows to answer once are waited for until the deadline instead.
  absl::Duration read_idle = absl::Milliseconds(50);
  // After a failed write (the server had ended the call), how long the
  // status is waited for before the client cancels.
  absl::Duration status_after_failed_write = absl::Milliseconds(300);
};

struct RawCallResult {
  grpc::Status status;
  std::vector<std::string> responses;
  // True when the client cancelled (max_responses or read_idle reached);
  // the status is then CANCELLED.
  bool cancelled_by_client = false;
  // A write failed (the server had ended the call) and the status did not
  // arrive within status_after_failed_write; the client cancelled.
  bool status_withheld = false;
};

// Sends `requests` in order on one call to `method` ("/pkg.Service/Method"),
// half-closes, reads the responses and returns the final status.
RawCallResult RawCall(const std::shared_ptr<grpc::Channel>& channel, const std::string& method,
                      const std::vector<std::string>& requests, const RawCallOptions& options);

}  // namespace jobmatch::fuzz

#endif  // JOBMATCH_TESTS_FUZZ_RAW_CALL_H_

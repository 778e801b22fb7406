// PollingWriter: what the server's polling streams share (the change feed,
// server/change_feed.cc, and the rematch run watch, server/rematch_service.cc):
// a callback write reactor that writes, waits with an alarm (no thread is
// held) and writes again, and ends the stream the same way when the client
// goes away or the server shuts down.
#ifndef JOBMATCH_SERVER_POLLING_WRITER_H_
#define JOBMATCH_SERVER_POLLING_WRITER_H_

#include <atomic>
#include <functional>
#include <string>
#include <utility>

#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "grpcpp/alarm.h"
#include "grpcpp/support/server_callback.h"

namespace jobmatch {

template <typename Message>
class PollingWriter : public grpc::ServerWriteReactor<Message> {
 public:
  void OnCancel() override { cancelled_ = true; }
  void OnDone() override { delete this; }

 protected:
  // `stopping` (may be null): set when the server shuts down. Not owned.
  explicit PollingWriter(const std::atomic<bool>* stopping) : stopping_(stopping) {}

  // False, with the stream finished, if the client cancelled (CANCELLED) or
  // the server is shutting down (UNAVAILABLE, "server is shutting down; "
  // followed by `then()`: what the client should do).
  template <typename Then>
  bool StillOpen(Then then) {
    if (cancelled_) {
      this->Finish(grpc::Status::CANCELLED);
      return false;
    }
    if (stopping_ != nullptr && *stopping_) {
      this->Finish(grpc::Status(grpc::StatusCode::UNAVAILABLE,
                                std::string("server is shutting down; ") + then()));
      return false;
    }
    return true;
  }
  // False, with the stream finished CANCELLED, if the last write failed.
  bool Written(bool ok) {
    if (!ok) this->Finish(grpc::Status(grpc::StatusCode::CANCELLED, "client went away"));
    return ok;
  }
  // Calls `next` after `wait`.
  void After(absl::Duration wait, std::function<void()> next) {
    alarm_.Set(absl::ToChronoTime(absl::Now() + wait),
               [next = std::move(next)](bool) { next(); });
  }

 private:
  const std::atomic<bool>* const stopping_;
  std::atomic<bool> cancelled_{false};
  grpc::Alarm alarm_;
};

}  // namespace jobmatch

#endif  // JOBMATCH_SERVER_POLLING_WRITER_H_

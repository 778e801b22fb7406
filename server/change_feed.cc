#include "server/change_feed.h"

#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "server/grpc_status.h"
#include "server/polling_writer.h"

namespace jobmatch {
namespace {

class RefusedFeed : public grpc::ServerWriteReactor<v1::Change> {
 public:
  explicit RefusedFeed(grpc::Status status) { Finish(std::move(status)); }
  void OnDone() override { delete this; }
};

// Streams change-log entries, polling with an alarm when caught up (no
// thread is held while waiting).
class ChangeFeed : public PollingWriter<v1::Change> {
 public:
  ChangeFeed(CallContext batches, const storage::Store* store,
             const v1::WatchChangesRequest& request, absl::Duration poll,
             const std::atomic<bool>* stopping)
      : PollingWriter(stopping), batches_(std::move(batches)), store_(store),
        after_(request.after_sequence()), max_(request.max_changes()),
        stop_at_end_(request.stop_at_end()), poll_(poll) {
    Next();
  }
  void OnWriteDone(bool ok) override {
    if (Written(ok)) Next();
  }

 private:
  void Next() {
    if (!StillOpen([this] {
          return absl::StrCat("resume on another server or after restart with after_sequence=",
                              after_);
        })) {
      return;
    }
    if (max_ != 0 && sent_ >= max_) {
      Finish(grpc::Status::OK);
      return;
    }
    if (buffer_.empty()) {
      auto changes = store_->ReadChangesSince(after_, kChangeFeedBatch);
      if (!changes.ok()) {
        Finish(ToGrpcStatus(changes.status()));
        return;
      }
      if (max_ != 0 && changes->size() > max_ - sent_) changes->resize(max_ - sent_);
      if (absl::Status audited = Audit(*changes); !audited.ok()) {
        Finish(ToGrpcStatus(audited));
        return;
      }
      buffer_.assign(changes->rbegin(), changes->rend());
    }
    if (buffer_.empty()) {
      if (stop_at_end_) {
        Finish(grpc::Status::OK);
        return;
      }
      After(poll_, [this] { Next(); });
      return;
    }
    const storage::ChangeEntry c = std::move(buffer_.back());
    buffer_.pop_back();
    after_ = c.sequence;
    ++sent_;
    change_.set_sequence(c.sequence);
    change_.set_kind(std::string(storage::RecordKindName(c.kind)));
    change_.set_op(c.op == storage::ChangeOp::kPut ? "PUT" : "DELETE");
    change_.set_id(c.id);
    change_.set_version(c.version);
    change_.set_time_micros(c.time_micros);
    StartWrite(&change_);
  }

  // One entry of the call per batch, before the batch is sent.
  absl::Status Audit(const std::vector<storage::ChangeEntry>& batch) const {
    if (batch.empty()) return absl::OkStatus();
    CallContext entry = batches_.NextEntry();
    for (const storage::ChangeEntry& c : batch) {
      // By version, without a content hash: the feed sends no content.
      v1::AuditRecordRef* ref = entry.entry()->add_records();
      ref->set_kind(std::string(storage::RecordKindName(c.kind)));
      ref->set_id(c.id);
      ref->set_version(c.version);
      ref->set_use("RETURNED");
    }
    return entry.Finish(absl::OkStatus());
  }

  // Never finished itself: each batch's entry is a NextEntry of it.
  const CallContext batches_;
  const storage::Store* const store_;
  uint64_t after_;
  const uint32_t max_;
  const bool stop_at_end_;
  const absl::Duration poll_;
  uint32_t sent_ = 0;
  std::vector<storage::ChangeEntry> buffer_;
  v1::Change change_;
};

}  // namespace

grpc::ServerWriteReactor<v1::Change>* WatchChanges(const CallContexts* calls,
                                                   const storage::Store* store,
                                                   grpc::CallbackServerContext* context,
                                                   const v1::WatchChangesRequest& request,
                                                   absl::Duration poll,
                                                   const std::atomic<bool>* stopping) {
  CallContext call = calls->Begin(context, request);
  absl::Status status = call.refusal();
  // The feed names seekers of every municipality.
  if (status.ok() && !call.SeesAllMunicipalities()) {
    status = absl::PermissionDeniedError(
        absl::StrCat("the change feed covers all municipalities; caller ",
                     call.scope()->caller_id, " may see only some"));
  }
  // The opening of the feed is its first entry; each batch sent, one more
  // (made from a copy taken before Finish hands the opening's entry over).
  CallContext batches = call.NextEntry();
  status = call.Finish(status);
  if (!status.ok()) return new RefusedFeed(ToGrpcStatus(status));
  return new ChangeFeed(std::move(batches), store, request, poll, stopping);
}

}  // namespace jobmatch

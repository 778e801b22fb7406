#include "server/replica_follower.h"

#include <algorithm>
#include <cstdio>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"

namespace jobmatch {

ReplicaFollower::ReplicaFollower(storage::Store* store, RecordKeeper* keeper,
                                 ReplicaFollowerOptions options)
    : store_(store), keeper_(keeper), options_(std::move(options)) {
  absl::MutexLock lock(&mu_);
  caught_up_at_ = options_.clock();
  feedback_loaded_at_ = caught_up_at_;
}

ReplicaFollower::~ReplicaFollower() { Stop(); }

void ReplicaFollower::Start(uint64_t applied) {
  {
    absl::MutexLock lock(&mu_);
    applied_ = applied;
    primary_ = store_->LastSequence();
    caught_up_at_ = options_.clock();
    feedback_loaded_at_ = caught_up_at_;
  }
  thread_ = std::thread([this] { Run(); });
}

void ReplicaFollower::Stop() {
  if (!stop_.HasBeenNotified()) stop_.Notify();
  if (thread_.joinable()) thread_.join();
}

void ReplicaFollower::Run() {
  while (!stop_.WaitForNotificationWithTimeout(options_.poll_interval)) {
    absl::StatusOr<size_t> applied = CatchUpOnce();
    absl::MutexLock lock(&mu_);
    // One log line per change of state, not one per poll.
    if (!applied.ok() && !failing_) {
      std::fprintf(stderr, "jobmatchd: replica catch-up failed (serving what it has): %s\n",
                   applied.status().ToString().c_str());
    } else if (applied.ok() && failing_) {
      std::fprintf(stderr, "jobmatchd: replica catch-up works again\n");
    }
    failing_ = !applied.ok();
  }
}

absl::StatusOr<size_t> ReplicaFollower::CatchUpOnce() {
  absl::MutexLock pass(&pass_mu_);
  const absl::Time started = options_.clock();
  absl::StatusOr<uint64_t> primary = store_->CatchUpWithPrimary();
  if (!primary.ok()) return primary.status();
  uint64_t pass_start = 0;
  {
    absl::MutexLock lock(&mu_);
    pass_start = applied_;
  }
  // The change log's keys are never rewritten, so it always reads right;
  // a record (or the last-sequence key) may not (Store::ReopenSecondary):
  // a record older than the change naming it means a stale secondary, which
  // is reopened and the pass's changes applied again.
  uint64_t applied = pass_start;
  bool reopened = false;
  size_t count = 0;
  for (;;) {
    auto changes = store_->ReadChangesSince(applied, options_.batch);
    if (!changes.ok()) return changes.status();
    if (changes->empty()) break;
    bool stale = false;
    for (const storage::ChangeEntry& change : *changes) {
      if (absl::Status s = keeper_->ApplyStoredChange(change.kind, change.id); !s.ok()) {
        return absl::Status(s.code(), absl::StrCat("applying change ", change.sequence, " (",
                                                   std::string(storage::RecordKindName(change.kind)),
                                                   " ", change.id, "): ", s.message()));
      }
      auto stored = store_->Get(change.kind, change.id);
      if (stored.ok() && stored->meta.sequence < change.sequence) stale = true;
      // An erasure takes the record's derived data too (its rematch lists,
      // a seeker's feedback): still readable means the same stale read, also
      // when the record itself reads right (it was in a table file, they
      // were only in a replayed write-ahead log). A record written again
      // since may have new derived data: only a record still absent counts.
      if (change.op == storage::ChangeOp::kDelete && !stale && absl::IsNotFound(stored.status())) {
        auto remains = store_->HasDerivedData(change.kind, change.id);
        if (!remains.ok()) return remains.status();
        stale = *remains;
      }
      applied = change.sequence;
      ++count;
    }
    if (stale && !reopened) {
      primary = store_->ReopenSecondary();
      if (!primary.ok()) return primary.status();
      reopens_.fetch_add(1);
      reopened = true;
      applied = pass_start;  // apply this pass's changes again, from fresh reads
      continue;
    }
    absl::MutexLock lock(&mu_);
    applied_ = applied;
  }
  if (applied > *primary && !reopened) {
    // The last-sequence key read stale: the same RocksDB defect.
    primary = store_->ReopenSecondary();
    if (!primary.ok()) return primary.status();
    reopens_.fetch_add(1);
  }
  bool reload_feedback = false;
  {
    absl::MutexLock lock(&mu_);
    primary_ = std::max(*primary, applied);
    caught_up_at_ = started;
    // After a reopen at once: the ledger may hold what the stale instance
    // served (an erased seeker's feedback).
    if (options_.feedback != nullptr &&
        (reopened || options_.clock() - feedback_loaded_at_ >= options_.feedback_reload)) {
      feedback_loaded_at_ = options_.clock();
      reload_feedback = true;
    }
  }
  if (reload_feedback) {
    if (absl::Status s = options_.feedback->Load(*store_); !s.ok()) return s;
  }
  return count;
}

ReplicaLag ReplicaFollower::lag() const {
  absl::MutexLock lock(&mu_);
  ReplicaLag lag;
  lag.applied_sequence = applied_;
  lag.primary_sequence = primary_;
  lag.sequences = primary_ > applied_ ? primary_ - applied_ : 0;
  lag.reopens = reopens_.load();
  lag.seconds = std::max(absl::ZeroDuration(), options_.clock() - caught_up_at_);
  return lag;
}

void ReplicaFollower::AddGauges(Metrics* metrics) const {
  using Values = std::vector<std::pair<std::string, double>>;
  metrics->AddScrapedGauge(
      "jobmatch_replica_lag_sequences",
      "Changes the primary committed that this read replica's index has not applied yet", "",
      [this] { return Values{{"", double(lag().sequences)}}; });
  metrics->AddScrapedGauge(
      "jobmatch_replica_lag_seconds",
      "Seconds since this read replica was last caught up with its primary's data folder", "",
      [this] { return Values{{"", absl::ToDoubleSeconds(lag().seconds)}}; });
  metrics->AddScrapedGauge(
      "jobmatch_replica_reopens",
      "Times this read replica reopened its store after reading a stale value", "",
      [this] { return Values{{"", double(lag().reopens)}}; });
  metrics->AddScrapedGauge("jobmatch_replica_applied_sequence",
                           "Last change-log sequence applied to this read replica's index", "",
                           [this] { return Values{{"", double(lag().applied_sequence)}}; });
}

}  // namespace jobmatch

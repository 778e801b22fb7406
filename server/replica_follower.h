// ReplicaFollower: keeps a read replica's match index in step with its
// primary. The replica's store is a RocksDB secondary instance over the
// primary's data folder on shared storage (storage::StoreOptions::
// secondary_of); the index is rebuilt from it at start-up like a primary's
// (RecordKeeper::RebuildIndex). Then a thread, every poll interval:
//   1. catches the store up with the primary (Store::CatchUpWithPrimary:
//      RocksDB's TryCatchUpWithPrimary over the primary's MANIFEST and
//      write-ahead logs), which moves the store's last sequence;
//   2. reads the change-log entries after the last one it applied and brings
//      the index in line with each changed record as now stored
//      (RecordKeeper::ApplyStoredChange, the steps a write takes on the
//      primary);
//      A record read older than the change naming it, or, for an erasure,
//      data derived from the record still readable (Store::HasDerivedData:
//      its rematch lists, a seeker's feedback), means RocksDB 7.8's
//      secondary served a stale memtable value (Store::ReopenSecondary):
//      the store is reopened and the pass applied again;
//   3. now and then reloads the feedback ledger (feedback has no change log),
//      and at once after a reopen.
// The replica never writes the primary's folder; when the primary stops, the
// replica keeps serving what it had caught up to.
//
// Lag: `sequences` is how far the index trails the store as of the last
// catch-up; `seconds` is how long ago the follower was last caught up with
// everything the primary's files held (it grows while catch-ups fail or
// fall behind). Both are 0 within one poll interval of a quiet primary.
//
// Thread safety: all methods may be called concurrently.
#ifndef JOBMATCH_SERVER_REPLICA_FOLLOWER_H_
#define JOBMATCH_SERVER_REPLICA_FOLLOWER_H_

#include <atomic>
#include <cstdint>
#include <functional>
#include <thread>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/synchronization/notification.h"
#include "absl/time/time.h"
#include "server/feedback_ledger.h"
#include "server/observability.h"
#include "server/record_keeper.h"
#include "storage/store.h"

namespace jobmatch {

struct ReplicaFollowerOptions {
  // Pause between catch-ups.
  absl::Duration poll_interval = absl::Milliseconds(100);
  // Feedback ledger reloaded at most this often (null ledger: never).
  FeedbackLedger* feedback = nullptr;
  absl::Duration feedback_reload = absl::Seconds(30);
  // Change-log entries read per step.
  size_t batch = 1024;
  std::function<absl::Time()> clock = [] { return absl::Now(); };
};

struct ReplicaLag {
  uint64_t applied_sequence = 0;  // last change applied to the index
  uint64_t primary_sequence = 0;  // the primary's, as of the last catch-up
  uint64_t sequences = 0;         // primary_sequence - applied_sequence
  absl::Duration seconds;         // since last caught up with everything
  uint64_t reopens = 0;           // stale secondary reopened (Store::ReopenSecondary)
};

class ReplicaFollower {
 public:
  // Not owned; must outlive the follower. `store` is a secondary.
  ReplicaFollower(storage::Store* store, RecordKeeper* keeper, ReplicaFollowerOptions options);
  ~ReplicaFollower();
  ReplicaFollower(const ReplicaFollower&) = delete;
  ReplicaFollower& operator=(const ReplicaFollower&) = delete;

  // The index holds the store's records as of change `applied` (the store's
  // LastSequence() when the rebuild ran). Starts the thread.
  void Start(uint64_t applied);
  // Stops the thread (idempotent).
  void Stop();

  // One catch-up and apply pass (the thread calls it; tests may too, before
  // Start or after Stop). Returns the number of changes applied.
  absl::StatusOr<size_t> CatchUpOnce();

  ReplicaLag lag() const;
  // jobmatch_replica_lag_sequences, jobmatch_replica_lag_seconds and
  // jobmatch_replica_applied_sequence on /metrics.
  void AddGauges(Metrics* metrics) const;

 private:
  void Run();

  storage::Store* const store_;
  RecordKeeper* const keeper_;
  const ReplicaFollowerOptions options_;
  // Serializes passes.
  absl::Mutex pass_mu_;
  mutable absl::Mutex mu_;
  uint64_t applied_ ABSL_GUARDED_BY(mu_) = 0;
  uint64_t primary_ ABSL_GUARDED_BY(mu_) = 0;
  absl::Time caught_up_at_ ABSL_GUARDED_BY(mu_);
  absl::Time feedback_loaded_at_ ABSL_GUARDED_BY(mu_);
  bool failing_ ABSL_GUARDED_BY(mu_) = false;
  std::atomic<uint64_t> reopens_{0};
  absl::Notification stop_;
  std::thread thread_;
};

}  // namespace jobmatch

#endif  // JOBMATCH_SERVER_REPLICA_FOLLOWER_H_

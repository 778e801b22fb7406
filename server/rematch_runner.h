// RematchRunner: runs the nightly bulk rematch in a background thread, one
// run at a time, and stores the result as a snapshot in storage's snapshot
// store (storage/snapshot_store.h: its layout and its guarantees).
//
// Life of a run, and what a crash at any point leaves:
//  1. Start begins the run (SnapshotStore::BeginRun: its record, RUNNING,
//     and the in-progress mark), before any list exists.
//  2. The worker computes, then writes the lists (SnapshotStore::PutLists).
//  3. SnapshotStore::Commit makes it current with its report. Until then
//     the previous snapshot stays current; a half-written snapshot is never
//     served (GetRematchMatches/Report refuse runs that are not DONE).
//  4. Old snapshots are pruned (RematchRunnerOptions::keep_snapshots).
// A run that fails or is cancelled is abandoned (SnapshotStore::Abandon: its
// partial lists deleted, recorded FAILED/CANCELLED). After a crash or
// SIGKILL, Recover() (at start-up) finds the run in progress, abandons it
// (FAILED, "interrupted") and starts it again with the same parameters
// (trigger "restart"): the run is cleanly restarted, not resumed.
//
// Thread safety: all public methods may be called concurrently.
#ifndef JOBMATCH_SERVER_REMATCH_RUNNER_H_
#define JOBMATCH_SERVER_REMATCH_RUNNER_H_

#include <atomic>
#include <functional>
#include <memory>
#include <string>
#include <thread>

#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "jobmatch/v1/rematch_service.pb.h"
#include "matcher/match_index.h"
#include "server/audit/audit_log.h"
#include "server/feedback_ledger.h"
#include "storage/snapshot_store.h"
#include "storage/store.h"

namespace jobmatch {

struct RematchRunnerOptions {
  // Threads for the bulk pass.
  int threads = 2;
  // Complete (DONE) snapshots kept, the current one included; after each
  // completed run older ones go: their match keys, run records and reports.
  // Failed or cancelled run records older than the oldest kept snapshot go
  // with them. A running run is never pruned. At least 1.
  int keep_snapshots = 3;
  // Called once per finished run (DONE, FAILED, CANCELLED; also for a run
  // found interrupted at start-up), from the worker or the caller of
  // Recover. May be empty.
  std::function<void(const v1::RematchRun&)> on_finish;
  // Municipality name by code, for the report. May be empty.
  std::function<std::string(int)> municipality_name;
  // Recorded feedback: the allocation leaves out pairs it closed and gives
  // each vacancy capacity for its openings left only. May be null; not owned.
  const FeedbackLedger* feedback = nullptr;
  // The time a run starts at (its id, its "now", its tie seed: the day's,
  // matcher::DaySeed). Null = the wall clock; tests move it.
  std::function<absl::Time()> clock;
  // Adds further sections to a finished run's report (skill gaps, priority
  // groups). May be empty.
  std::function<void(const matcher::BulkTopKResult&, v1::RematchReport*)> extend_report;
  // Publish the report's counts of seekers perturbed by cell keys
  // (matcher/cell_key.h), with record keys from HMAC-SHA256 of the seeker's
  // id under a secret kept in the store (drawn once). On with small-count
  // suppression (rematch.report_min_cell_people > 1).
  bool perturb_report_counts = false;
  // The audit log the run's own entries go to (its start, before the pass
  // begins, and its end; AuditEntry.rematch_run). A run whose start entry
  // cannot be written does not run. Null: not audited (tests of the runner
  // alone); jobmatchd always sets it. Not owned.
  audit::AuditLog* audit_log = nullptr;
};

// The audit entry of a rematch run's start or end (`ended`): method
// "jobmatchd/RematchRunStarted" or "jobmatchd/RematchRunEnded", caller
// "jobmatchd", the run's record as it is now, and for the end the outcome as
// a status code name (DONE "OK", CANCELLED "CANCELLED", FAILED "ABORTED").
v1::AuditEntry RematchRunEntry(const v1::RematchRun& run, bool ended);

class RematchRunner {
 public:
  // Not owned; must outlive the runner.
  RematchRunner(const matcher::MatchIndex* index, storage::Store* store,
                RematchRunnerOptions options);
  ~RematchRunner();  // Shutdown()

  // Cancels a run in progress and waits until it has ended (its partial
  // snapshot deleted, on_finish called). Reads keep working. Idempotent.
  void Shutdown();

  // Call once at start-up, after the index is rebuilt: cleans up a run a
  // crash interrupted and starts it again (see the file comment). OK if
  // there was none. Until it has run, Start fails with Unavailable (a run
  // must neither see a half-built index nor race the clean-up).
  absl::Status Recover();

  // FailedPrecondition naming the running run if one is in progress. If the
  // previous run has ended but is still pruning, waits for that first.
  // `trigger`: "rpc", "schedule" or "restart".
  absl::StatusOr<v1::RematchRun> Start(int k, int shortlist_factor = 0, int per_seeker = 0,
                                       const std::string& trigger = "rpc");
  // The named run, or (empty id) the running one, else the current one.
  absl::StatusOr<v1::RematchRun> Get(const std::string& run_id) const;
  // From the named (DONE) run's snapshot or the current one. NotFound for an
  // unknown run, FailedPrecondition for one that is not DONE. A seeker's
  // list in `order`: kNeedsBlind for a viewer who may not see the seeker's
  // needs (storage/snapshot_store.h).
  // `run`, if given, receives the record of the run the list comes from.
  absl::StatusOr<v1::RematchMatches> Matches(
      const std::string& run_id, const std::string& seeker_id, const std::string& vacancy_id,
      storage::ListOrder order = storage::ListOrder::kAsRanked,
      v1::RematchRun* run = nullptr) const;
  // Whether the seeker (known to the index) consented to share needs.
  bool ConsentsToShareNeeds(const std::string& seeker_id) const;
  // The report of the named (DONE) run or the current one; errors as Matches.
  absl::StatusOr<v1::RematchReport> Report(const std::string& run_id) const;

 private:
  void Run(v1::RematchRun run);
  bool IdleOrRunning() const ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // Capacity-aware allocation over the seekers' lists; fills run's figures
  // and returns, by seeker id, the recommended vacancy ids. Pairs closed by
  // feedback are not offered to it; a vacancy's capacity is its openings
  // left x shortlist factor; ties go by the run's tie order.
  absl::flat_hash_map<std::string, std::vector<std::string>> Allocate(
      const matcher::BulkTopKResult& result, v1::RematchRun* run) const;
  v1::RematchReport BuildReport(
      const matcher::BulkTopKResult& result, const v1::RematchRun& run,
      const absl::flat_hash_map<std::string, std::vector<std::string>>& recommended) const;
  absl::Status PersistSnapshot(const v1::RematchRun& run, const matcher::BulkTopKResult& result,
                               const absl::flat_hash_map<std::string, std::vector<std::string>>& recommended);
  // Writes the run's end entry and calls on_finish.
  void Finished(const v1::RematchRun& run) const;
  // Records a run that did not complete and drops its partial snapshot.
  absl::Status Abandon(v1::RematchRun* run, const absl::Status& why);
  absl::Status Prune();
  // The run id `run_id` names, or the current one if empty; NotFound if none.
  absl::StatusOr<std::string> ResolveDone(const std::string& run_id) const;

  // Constant after construction.
  const matcher::MatchIndex* const index_;
  storage::Store* const store_;
  const RematchRunnerOptions options_;

  std::atomic<bool> cancel_{false};
  mutable absl::Mutex mu_;
  bool ready_ ABSL_GUARDED_BY(mu_) = false;  // Recover() has run
  std::unique_ptr<v1::RematchRun> running_ ABSL_GUARDED_BY(mu_);
  std::thread worker_ ABSL_GUARDED_BY(mu_);
};

}  // namespace jobmatch

#endif  // JOBMATCH_SERVER_REMATCH_RUNNER_H_

// RematchRunner: runs the nightly bulk rematch in a background thread, one
// run at a time, and stores the result as a snapshot in storage:
//   kMatches  "seeker/<id>/<run>", "vacancy/<id>/<run>"  ranked ids (RematchMatches)
//   kMeta     "rematch/run/<run>"                          the run's record (RematchRun)
//   kMeta     "rematch/current"                            the current run id
// The current marker is written last, after the snapshot is durable, so a
// half-written snapshot (crash, cancel) is never served; the previous one
// stays current until then. A run interrupted by a crash leaves no run
// record and its partial snapshot never becomes current: start it again.
// Not yet: pruning old snapshots, the report (per municipality, target group,
// fairness audit).
#ifndef JOBMATCH_SERVER_REMATCH_RUNNER_H_
#define JOBMATCH_SERVER_REMATCH_RUNNER_H_

#include <atomic>
#include <memory>
#include <string>
#include <thread>

#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "jobmatch/v1/rematch_service.pb.h"
#include "matcher/match_index.h"
#include "storage/store.h"

namespace jobmatch {

class RematchRunner {
 public:
  // Not owned; must outlive the runner.
  RematchRunner(const matcher::MatchIndex* index, storage::Store* store, int threads);
  ~RematchRunner();  // cancels a run in progress and joins it

  // FailedPrecondition naming the running run if one is in progress.
  absl::StatusOr<v1::RematchRun> Start(int k, int shortlist_factor = 0, int per_seeker = 0);
  // The named run, or (empty id) the running one, else the current one.
  absl::StatusOr<v1::RematchRun> Get(const std::string& run_id) const;
  absl::StatusOr<v1::RematchMatches> Matches(const std::string& run_id,
                                             const std::string& seeker_id,
                                             const std::string& vacancy_id) const;

 private:
  void Run(v1::RematchRun run, int shortlist_factor, int per_seeker);
  // Capacity-aware allocation over the seekers' lists; fills run's figures
  // and returns, by seeker id, the recommended vacancy ids.
  absl::flat_hash_map<std::string, std::vector<std::string>> Allocate(
      const matcher::BulkTopKResult& result, int shortlist_factor, int per_seeker,
      v1::RematchRun* run) const;
  absl::Status Persist(const v1::RematchRun& run, const matcher::BulkTopKResult& result,
                       const absl::flat_hash_map<std::string, std::vector<std::string>>& recommended);

  const matcher::MatchIndex* const index_;
  storage::Store* const store_;
  const int threads_;
  std::atomic<bool> cancel_{false};
  mutable absl::Mutex mu_;
  std::unique_ptr<v1::RematchRun> running_ ABSL_GUARDED_BY(mu_);
  std::thread worker_ ABSL_GUARDED_BY(mu_);
};

}  // namespace jobmatch

#endif  // JOBMATCH_SERVER_REMATCH_RUNNER_H_

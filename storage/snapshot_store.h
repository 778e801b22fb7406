// SnapshotStore: the nightly rematch's runs, over the store's RocksDB
// instance. A run is a versioned snapshot: each seeker's and each vacancy's
// ranked list, the run's record and its report. Life of a run:
//   BeginRun   records the run (RUNNING) and marks it in progress, in one
//              synced batch, before any list is written;
//   PutLists   writes lists of the run in progress, each call one synced
//              batch;
//   Commit     one synced batch: the run's record (DONE), its report, the
//              run made current, the in-progress mark removed;
//   Abandon    deletes the run's lists, records it FAILED or CANCELLED and
//              removes the in-progress mark;
//   Prune      deletes all but the newest complete runs.
// What a reader can see: only a committed (DONE) run's lists and report
// (ReadList, ReadReport refuse every other run), and Current() changes only
// at a Commit. A crash anywhere leaves the previous committed run current;
// the interrupted run is InProgress() at the next open, and can only be
// abandoned (a run's lists are written only by the process that began it).
//
// Erasure: a record's lists live under the record (Store::Delete erases them
// from every run). A list is never written for a record erased since its run
// began (nor while its erasure's clean-up was pending when the run began),
// and a vacancy's list written after a seeker's erasure does not name the
// seeker; the check and the write are one step under the store's write lock.
// A vacancy's list written before a seeker's erasure may still name the
// seeker until the run is pruned (readers leave out seekers they do not
// know).
//
// Two orders of a seeker's list: as ranked (by the seeker-side total, with
// the fit of the seeker's functional needs) and needs-blind (by the total
// without it), for viewers who may not see the seeker's needs
// (docs/security.md §3, "A seeker's own list"). A needs-blind list is stored
// beside the seeker's list only where the two differ; where none is stored,
// the list as ranked is also the needs-blind one. That holds for runs begun
// by this version (BeginRun marks them); a run stored before has no
// needs-blind lists, and ReadList refuses to give one from it.
//
// Values are the API's jobmatch.v1 messages (RematchRun, RematchReport,
// RematchMatches), serialized: protobuf's rule, fields are only added.
//
// Thread safety: all methods may be called concurrently.
#ifndef JOBMATCH_STORAGE_SNAPSHOT_STORE_H_
#define JOBMATCH_STORAGE_SNAPSHOT_STORE_H_

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_set.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "jobmatch/v1/rematch_service.pb.h"
#include "storage/store.h"

namespace jobmatch::storage {

// Which order of a seeker's list (see the file comment). Vacancies' lists
// have one order.
enum class ListOrder {
  kAsRanked,
  kNeedsBlind,
};

class SnapshotStore {
 public:
  // Lists of one kind (and order) for PutLists, each serialized as it is
  // added (a nightly run's lists are built one at a time and need not be
  // kept). kNeedsBlind is for seekers only (PutLists refuses it otherwise).
  class ListBatch {
   public:
    explicit ListBatch(RecordKind kind, ListOrder order = ListOrder::kAsRanked)
        : kind_(kind), order_(order) {}
    void Add(std::string id, const v1::RematchMatches& list) {
      lists_.emplace_back(std::move(id), list.SerializeAsString());
    }
    size_t size() const { return lists_.size(); }
    bool empty() const { return lists_.empty(); }
    void clear() { lists_.clear(); }

   private:
    friend class SnapshotStore;
    RecordKind kind_;
    ListOrder order_;
    std::vector<std::pair<std::string, std::string>> lists_;  // id, serialized list
  };

  // Store makes the one instance; `db` outlives it.
  explicit SnapshotStore(internal::Db* db) : db_(db) {}
  SnapshotStore(const SnapshotStore&) = delete;
  SnapshotStore& operator=(const SnapshotStore&) = delete;

  // Records `run` (state RUNNING) and marks it in progress.
  // InvalidArgument: run_id empty or containing '/', or state not RUNNING.
  // FailedPrecondition: another run is in progress (abandon it first).
  absl::Status BeginRun(const v1::RematchRun& run) ABSL_LOCKS_EXCLUDED(mu_);
  // The run in progress: begun and neither committed nor abandoned (after a
  // crash, the interrupted one). If its record is missing or does not
  // parse, a record holding only its id. nullopt if there is none.
  absl::StatusOr<std::optional<v1::RematchRun>> InProgress() const;

  // Writes lists of run `run_id`, for seekers or vacancies (the batch's
  // kind), by the record's id, in one synced batch. Lists of records erased
  // since the run began are left out (see the file comment).
  // FailedPrecondition unless the run is the one in progress and was begun by
  // this Store; InvalidArgument for kEmployer, and for kNeedsBlind lists of
  // vacancies.
  absl::Status PutLists(const std::string& run_id, const ListBatch& lists)
      ABSL_LOCKS_EXCLUDED(mu_);
  // The same for lists at hand (tests, small runs).
  absl::Status PutLists(const std::string& run_id, RecordKind kind,
                        const std::vector<std::pair<std::string, v1::RematchMatches>>& lists)
      ABSL_LOCKS_EXCLUDED(mu_);

  // Makes run `run` (state DONE) current with its report.
  // InvalidArgument if the state is not DONE; FailedPrecondition unless the
  // run is the one in progress and was begun by this Store.
  absl::Status Commit(const v1::RematchRun& run, const v1::RematchReport& report)
      ABSL_LOCKS_EXCLUDED(mu_);
  // Deletes the run's lists (returns how many) and its report, records it
  // (state FAILED or CANCELLED, else InvalidArgument) and, if it is the one
  // in progress, removes the mark. Never touches the current run.
  absl::StatusOr<size_t> Abandon(const v1::RematchRun& run) ABSL_LOCKS_EXCLUDED(mu_);
  // Keeps the `keep` newest complete (DONE) runs by start time, and the
  // current one always; deletes the older complete runs (lists, record,
  // report), and failed or cancelled runs older than the oldest kept one. A
  // running run is never pruned. Lists go before records: a crash in between
  // leaves a record without lists, which the next Prune removes. Returns how
  // many runs were deleted. InvalidArgument if keep < 1.
  absl::StatusOr<size_t> Prune(int keep);

  // The run's record. NotFound for an unknown (or pruned) run.
  absl::StatusOr<v1::RematchRun> GetRun(std::string_view run_id) const;
  // The current run's id: the last committed. NotFound if none yet.
  absl::StatusOr<std::string> Current() const;
  // The list of seeker or vacancy `id` in run `run_id`, in `order` (a
  // seeker's needs-blind list where one is stored, else its list as ranked).
  // NotFound for an unknown run or a record without a list in it;
  // FailedPrecondition for a run that is not DONE, and for kNeedsBlind from
  // a run stored before needs-blind lists were (it has none to give);
  // InvalidArgument for kNeedsBlind of a vacancy.
  absl::StatusOr<v1::RematchMatches> ReadList(std::string_view run_id, RecordKind kind,
                                              std::string_view id,
                                              ListOrder order = ListOrder::kAsRanked) const;
  // The run's report; errors as ReadList.
  absl::StatusOr<v1::RematchReport> ReadReport(std::string_view run_id) const;
  // Lists stored per run id, over every run in the store (whatever its
  // state): what a data folder holds, for checks and operations. Needs-blind
  // lists are not counted (one list per record).
  absl::StatusOr<std::map<std::string, size_t>> ListCounts() const;
  // The secret key of the report's record keys (matcher/cell_key.h): the
  // one stored, or else `candidate` (non-empty, drawn by the caller), stored
  // now. The same key every night, so the same people always publish the
  // same perturbed count. InvalidArgument for an empty candidate.
  absl::StatusOr<std::string> GetOrPutReportKey(const std::string& candidate)
      ABSL_LOCKS_EXCLUDED(mu_);
  // Needs-blind lists stored per run id, as ListCounts.
  absl::StatusOr<std::map<std::string, size_t>> NeedsBlindListCounts() const;

 private:
  // The run this Store began and has not committed or abandoned, with the
  // records erased since it began.
  struct Begun {
    std::string run_id;
    uint64_t checked_through = 0;  // change-log sequence read up to
    absl::flat_hash_set<std::string> erased;  // kind byte + id
  };
  absl::Status CheckDone(std::string_view run_id) const;
  absl::StatusOr<size_t> DeleteLists(const absl::flat_hash_set<std::string>& run_ids);

  internal::Db* const db_;
  // Taken before the store's write lock, never while holding it.
  mutable absl::Mutex mu_;
  std::optional<Begun> begun_ ABSL_GUARDED_BY(mu_);
};

}  // namespace jobmatch::storage

#endif  // JOBMATCH_STORAGE_SNAPSHOT_STORE_H_

// RecordKeeper: the write and read path for seekers, vacancies and employers,
// one mechanism for all three kinds. Writes are validated, stored (one synced
// RocksDB batch) and then applied to the match index; the index is rebuilt
// from storage at start-up. A vacancy's profile includes what it inherits
// from its employer, so an employer's write or deletion re-derives every
// vacancy naming it at once (the index then equals a rebuild).
#ifndef JOBMATCH_SERVER_RECORD_KEEPER_H_
#define JOBMATCH_SERVER_RECORD_KEEPER_H_

#include <functional>
#include <optional>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "jobmatch/v1/employer.pb.h"
#include "jobmatch/v1/seeker.pb.h"
#include "jobmatch/v1/vacancy.pb.h"
#include "matcher/match_index.h"
#include "matcher/reference_data.h"
#include "server/feedback_ledger.h"
#include "server/vacancies_by_employer.h"
#include "server/reference_upgrade.h"
#include "storage/store.h"

namespace jobmatch {

template <typename Record>
struct StoredMessage {
  Record record;
  storage::RecordMeta meta;
};

template <typename Record>
struct MessagePage {
  std::vector<StoredMessage<Record>> records;
  std::string next_after_id;
};

struct RebuildStats {
  size_t seekers = 0;
  size_t vacancies = 0;
  size_t employers = 0;
  absl::Duration took;
  // Stored concepts the loaded taxonomy lacks (after a reference-data
  // upgrade): mapped or marked unknown, every affected record named.
  ReferenceUpgradeReport reference;
};

// The bytes a write of `record` stores (and its audit entry hashes):
// seekers and vacancies name the taxonomy version they were validated
// against (taxonomy_version).
template <typename Record>
std::string StoredBytes(const Record& record, const matcher::ReferenceData& data) {
  if constexpr (std::is_same_v<Record, v1::Seeker> || std::is_same_v<Record, v1::Vacancy>) {
    if (record.taxonomy_version() != data.taxonomy->version()) {
      Record stamped = record;
      stamped.set_taxonomy_version(data.taxonomy->version());
      return stamped.SerializeAsString();
    }
  }
  return record.SerializeAsString();
}

class RecordKeeper {
 public:
  // Not owned; must outlive the keeper.
  RecordKeeper(storage::Store* store, matcher::MatchIndex* index,
               const matcher::ReferenceData* data)
      : store_(store), index_(index), data_(data) {}

  // Loads every stored seeker and vacancy into the index. A stored concept
  // the loaded taxonomy lacks never fails it (reference_upgrade.h).
  // `seen`, if given, is called with each seeker and vacancy as read (the
  // audit's record stamps are seeded from it: server/audit/record_stamps.h).
  using SeenRecord = std::function<void(storage::RecordKind, const storage::StoredRecord&)>;
  absl::StatusOr<RebuildStats> RebuildIndex(const SeenRecord& seen = nullptr);

  // Record is v1::Seeker, v1::Vacancy or v1::Employer. InvalidArgument names
  // the field and rule; Aborted on a stale expected version.
  //
  // `audit` (may be null), given to every write, builds an audit entry that
  // storage commits in the write's own batch (storage::AuditEntryFn), with
  // one result per record given, in order: also for a write refused before
  // storage (an invalid record), when it is appended on its own. If the
  // entry cannot be committed the write fails.
  template <typename Record>
  absl::StatusOr<storage::WriteResult> Upsert(const Record& record,
                                              std::optional<uint64_t> expected_version,
                                              const storage::AuditEntryFn& audit = nullptr);
  // Validates each record; stores the valid ones in one synced batch (group
  // commit). One result per record, in order.
  template <typename Record>
  std::vector<absl::StatusOr<storage::WriteResult>> Import(
      const std::vector<Record>& records, const storage::AuditEntryFn& audit = nullptr);
  template <typename Record>
  absl::StatusOr<StoredMessage<Record>> Get(const std::string& id) const;
  template <typename Record>
  absl::StatusOr<MessagePage<Record>> List(const std::string& after_id, size_t limit) const;
  // Erasure: storage first (record and derived data), then the index.
  template <typename Record>
  absl::StatusOr<uint64_t> Delete(const std::string& id, std::optional<uint64_t> expected_version,
                                  const storage::AuditEntryFn& audit = nullptr);

  // A change committed by another process (the primary, when this keeper
  // serves a read replica; server/replica_follower.h): brings the index in
  // line with record `id` as stored now, through the same steps as a write
  // here or an erasure when it is absent. Idempotent.
  absl::Status ApplyStoredChange(storage::RecordKind kind, const std::string& id);

  // Feedback about a seeker leaves the ledger with their erasure. Set before
  // serving; may stay unset (null).
  void set_feedback_ledger(FeedbackLedger* ledger) { feedback_ = ledger; }

  const storage::Store& store() const { return *store_; }
  const matcher::ReferenceData& reference_data() const { return *data_; }

 private:
  absl::Status Validate(const v1::Seeker& r) const;
  absl::Status Validate(const v1::Vacancy& r) const;
  absl::Status Validate(const v1::Employer& r) const;
  void ApplyToIndex(const v1::Seeker& r);
  void ApplyToIndex(const v1::Vacancy& r);
  void ApplyToIndex(const v1::Employer& r);
  void RemoveFromIndex(const v1::Seeker*, const std::string& id);
  void RemoveFromIndex(const v1::Vacancy*, const std::string& id);
  void RemoveFromIndex(const v1::Employer*, const std::string& id);
  // Vacancies inherit default accommodations and the public-sector flag
  // from their employer: re-derives the profile of every vacancy naming
  // `employer_id` from its stored record and `employer` (null: none now).
  void ReapplyVacanciesOf(const std::string& employer_id, const v1::Employer* employer);
  template <typename Record>
  absl::Status ApplyStored(const std::string& id);

  storage::Store* const store_;
  matcher::MatchIndex* const index_;
  const matcher::ReferenceData* const data_;
  FeedbackLedger* feedback_ = nullptr;
  VacanciesByEmployer by_employer_;
  // Held across "store, then index" so that the index sees writes in the
  // order storage committed them.
  absl::Mutex write_mu_;
};

}  // namespace jobmatch

#endif  // JOBMATCH_SERVER_RECORD_KEEPER_H_

#include "server/record_keeper.h"

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "server/convert.h"
#include "server/validation.h"
#include "storage/audit_table.h"

namespace jobmatch {
namespace {

template <typename Record>
constexpr storage::RecordKind KindOf();
template <>
constexpr storage::RecordKind KindOf<v1::Seeker>() { return storage::RecordKind::kSeeker; }
template <>
constexpr storage::RecordKind KindOf<v1::Vacancy>() { return storage::RecordKind::kVacancy; }
template <>
constexpr storage::RecordKind KindOf<v1::Employer>() { return storage::RecordKind::kEmployer; }

template <typename Record>
absl::StatusOr<Record> Parse(const storage::StoredRecord& stored) {
  Record record;
  if (!record.ParseFromString(stored.payload)) {
    return absl::DataLossError(absl::StrCat("stored ", std::string(storage::RecordKindName(KindOf<Record>())),
                                            " ", stored.id, " does not parse"));
  }
  return record;
}

}  // namespace

absl::Status RecordKeeper::Validate(const v1::Seeker& r) const { return ValidateSeeker(r, *data_); }
absl::Status RecordKeeper::Validate(const v1::Vacancy& r) const { return ValidateVacancy(r, *data_); }
absl::Status RecordKeeper::Validate(const v1::Employer& r) const {
  return ValidateEmployer(r, *data_);
}

void RecordKeeper::ApplyToIndex(const v1::Seeker& r) { index_->UpsertSeeker(ToProfile(r, *data_)); }

void RecordKeeper::ApplyToIndex(const v1::Vacancy& r) {
  by_employer_.Link(r.id(), r.employer_id());
  auto employer = Get<v1::Employer>(r.employer_id());
  index_->UpsertVacancy(ToProfile(r, employer.ok() ? &employer->record : nullptr, *data_));
}

void RecordKeeper::ApplyToIndex(const v1::Employer& r) {
  // Employers are not matched themselves; what their vacancies inherit from
  // them applies at once.
  ReapplyVacanciesOf(r.id(), &r);
}

void RecordKeeper::ReapplyVacanciesOf(const std::string& employer_id,
                                      const v1::Employer* employer) {
  for (const std::string& id : by_employer_.Of(employer_id)) {
    auto vacancy = Get<v1::Vacancy>(id);
    if (!vacancy.ok()) continue;  // erased: its Delete unlinks it
    index_->UpsertVacancy(ToProfile(vacancy->record, employer, *data_));
  }
}

void RecordKeeper::RemoveFromIndex(const v1::Seeker*, const std::string& id) {
  index_->RemoveSeeker(id);
  if (feedback_ != nullptr) feedback_->ForgetSeeker(id);
}
void RecordKeeper::RemoveFromIndex(const v1::Vacancy*, const std::string& id) {
  index_->RemoveVacancy(id);
  by_employer_.Unlink(id);
}
void RecordKeeper::RemoveFromIndex(const v1::Employer*, const std::string& id) {
  ReapplyVacanciesOf(id, nullptr);
}

absl::StatusOr<RebuildStats> RecordKeeper::RebuildIndex(const SeenRecord& seen) {
  const absl::Time start = absl::Now();
  RebuildStats stats;
  stats.reference.taxonomy_version = data_->taxonomy->version();
  absl::Status failure;
  absl::Status s = store_->ForEach(storage::RecordKind::kSeeker, [&](const auto& stored) {
    auto seeker = Parse<v1::Seeker>(stored);
    if (!seeker.ok()) {
      failure = seeker.status();
      return false;
    }
    stats.reference.Check(*seeker, *data_->taxonomy);
    index_->UpsertSeeker(ToProfile(*seeker, *data_));
    if (seen) seen(storage::RecordKind::kSeeker, stored);
    ++stats.seekers;
    return true;
  });
  if (!s.ok()) return s;
  if (!failure.ok()) return failure;
  s = store_->ForEach(storage::RecordKind::kVacancy, [&](const auto& stored) {
    auto vacancy = Parse<v1::Vacancy>(stored);
    if (!vacancy.ok()) {
      failure = vacancy.status();
      return false;
    }
    stats.reference.Check(*vacancy, *data_->taxonomy);
    ApplyToIndex(*vacancy);
    if (seen) seen(storage::RecordKind::kVacancy, stored);
    ++stats.vacancies;
    return true;
  });
  if (!s.ok()) return s;
  if (!failure.ok()) return failure;
  s = store_->ForEach(storage::RecordKind::kEmployer, [&](const auto&) {
    ++stats.employers;
    return true;
  });
  if (!s.ok()) return s;
  stats.took = absl::Now() - start;
  return stats;
}

template <typename Record>
absl::StatusOr<storage::WriteResult> RecordKeeper::Upsert(const Record& record,
                                                          std::optional<uint64_t> expected,
                                                          const storage::AuditEntryFn& audit) {
  if (absl::Status s = Validate(record); !s.ok()) {
    if (audit) {
      auto appended = store_->audit().Append(audit, {s});
      if (!appended.ok()) return appended.status();
    }
    return s;
  }
  absl::MutexLock lock(&write_mu_);
  auto result = store_->Put(KindOf<Record>(), {record.id(), StoredBytes(record, *data_), expected},
                            absl::Now(), audit);
  if (result.ok()) ApplyToIndex(record);
  return result;
}

template <typename Record>
std::vector<absl::StatusOr<storage::WriteResult>> RecordKeeper::Import(
    const std::vector<Record>& records, const storage::AuditEntryFn& audit) {
  std::vector<absl::StatusOr<storage::WriteResult>> results(records.size(),
                                                           absl::UnknownError("not processed"));
  std::vector<storage::PutRequest> batch;
  std::vector<size_t> positions;
  for (size_t i = 0; i < records.size(); ++i) {
    if (absl::Status s = Validate(records[i]); !s.ok()) {
      results[i] = s;
      continue;
    }
    batch.push_back({records[i].id(), StoredBytes(records[i], *data_), std::nullopt});
    positions.push_back(i);
  }
  // The audit entry sees one result per record given, invalid ones included.
  storage::AuditEntryFn aligned;
  if (audit) {
    aligned = [&audit, &results, &positions](
                  uint64_t audit_sequence,
                  const std::vector<absl::StatusOr<storage::WriteResult>>& stored) {
      std::vector<absl::StatusOr<storage::WriteResult>> all = results;
      for (size_t j = 0; j < stored.size() && j < positions.size(); ++j) all[positions[j]] = stored[j];
      return audit(audit_sequence, all);
    };
  }
  absl::MutexLock lock(&write_mu_);
  auto stored = store_->PutBatch(KindOf<Record>(), std::move(batch), absl::Now(), aligned);
  for (size_t j = 0; j < stored.size(); ++j) {
    results[positions[j]] = stored[j];
    if (stored[j].ok()) ApplyToIndex(records[positions[j]]);
  }
  return results;
}

template <typename Record>
absl::StatusOr<StoredMessage<Record>> RecordKeeper::Get(const std::string& id) const {
  auto stored = store_->Get(KindOf<Record>(), id);
  if (!stored.ok()) return stored.status();
  auto record = Parse<Record>(*stored);
  if (!record.ok()) return record.status();
  return StoredMessage<Record>{std::move(*record), stored->meta};
}

template <typename Record>
absl::StatusOr<MessagePage<Record>> RecordKeeper::List(const std::string& after_id,
                                                       size_t limit) const {
  auto page = store_->List(KindOf<Record>(), after_id, limit);
  if (!page.ok()) return page.status();
  MessagePage<Record> out;
  for (const auto& stored : page->records) {
    auto record = Parse<Record>(stored);
    if (!record.ok()) return record.status();
    out.records.push_back({std::move(*record), stored.meta});
  }
  out.next_after_id = page->next_after_id;
  return out;
}

template <typename Record>
absl::StatusOr<uint64_t> RecordKeeper::Delete(const std::string& id,
                                              std::optional<uint64_t> expected,
                                              const storage::AuditEntryFn& audit) {
  absl::MutexLock lock(&write_mu_);
  auto seq = store_->Delete(KindOf<Record>(), id, expected, audit);
  // A failed Delete may still have committed the erasure (only the physical
  // clean-up is pending): the index follows storage either way.
  if (seq.ok() || absl::IsNotFound(store_->Get(KindOf<Record>(), id).status())) {
    RemoveFromIndex(static_cast<const Record*>(nullptr), id);
  }
  return seq;
}

template <typename Record>
absl::Status RecordKeeper::ApplyStored(const std::string& id) {
  absl::MutexLock lock(&write_mu_);
  auto stored = Get<Record>(id);
  if (absl::IsNotFound(stored.status())) {
    RemoveFromIndex(static_cast<const Record*>(nullptr), id);
    return absl::OkStatus();
  }
  if (!stored.ok()) return stored.status();
  ApplyToIndex(stored->record);
  return absl::OkStatus();
}

absl::Status RecordKeeper::ApplyStoredChange(storage::RecordKind kind, const std::string& id) {
  switch (kind) {
    case storage::RecordKind::kSeeker: return ApplyStored<v1::Seeker>(id);
    case storage::RecordKind::kVacancy: return ApplyStored<v1::Vacancy>(id);
    case storage::RecordKind::kEmployer: return ApplyStored<v1::Employer>(id);
  }
  return absl::InvalidArgumentError("change of an unknown record kind");
}

#define JOBMATCH_INSTANTIATE(Record)                                                        \
  template absl::StatusOr<storage::WriteResult> RecordKeeper::Upsert(                       \
      const Record&, std::optional<uint64_t>, const storage::AuditEntryFn&);               \
  template std::vector<absl::StatusOr<storage::WriteResult>> RecordKeeper::Import(         \
      const std::vector<Record>&, const storage::AuditEntryFn&);                            \
  template absl::StatusOr<StoredMessage<Record>> RecordKeeper::Get(const std::string&) const; \
  template absl::StatusOr<MessagePage<Record>> RecordKeeper::List(const std::string&,       \
                                                                  size_t) const;            \
  template absl::StatusOr<uint64_t> RecordKeeper::Delete<Record>(                          \
      const std::string&, std::optional<uint64_t>, const storage::AuditEntryFn&);
JOBMATCH_INSTANTIATE(v1::Seeker)
JOBMATCH_INSTANTIATE(v1::Vacancy)
JOBMATCH_INSTANTIATE(v1::Employer)
#undef JOBMATCH_INSTANTIATE

}  // namespace jobmatch

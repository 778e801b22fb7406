#include "storage/snapshot_store.h"

#include <algorithm>
#include <memory>

#include "absl/strings/str_cat.h"
#include "rocksdb/db.h"
#include "rocksdb/write_batch.h"
#include "storage/internal/db.h"
#include "storage/internal/derived_keys.h"
#include "storage/record_codec.h"

namespace jobmatch::storage {
namespace {

using internal::EncodeSequenceKey;
using internal::FromRocks;
using internal::kCfChanges;
using internal::kCfMatches;
using internal::kCfMeta;
using internal::Sl;

// Layout (the same bytes since the first rematch; needs-blind lists and
// their run mark added since):
//   matches family  DerivedPrefix(seeker|vacancy, id) + run_id  RematchMatches
//                   DerivedPrefix(seeker, id) + "needs-blind/" + run_id
//                                                the seeker's needs-blind list
//   meta family     "rematch/run/<run>"     the run's record (RematchRun)
//                   "rematch/report/<run>"  its report (RematchReport)
//                   "rematch/current"       the current run's id
//                   "rematch/in_progress"   the id of the run in progress
//                   "rematch/report_key"    the secret of the report's record keys
//                   "rematch/needs_blind/<run>"  present: the run stores
//                                           needs-blind lists where they differ
// A list's key starts with its record's prefix (for erasure) and ends in
// "/<run id>": finding a run's lists takes one pass over the family. Ids in
// DerivedPrefix are escaped (no '/'), so a list as ranked has two '/' and a
// needs-blind list three.
constexpr char kCurrentKey[] = "rematch/current";
constexpr char kInProgressKey[] = "rematch/in_progress";
constexpr char kRunPrefix[] = "rematch/run/";
constexpr char kReportPrefix[] = "rematch/report/";
constexpr char kNeedsBlindRunPrefix[] = "rematch/needs_blind/";
constexpr char kReportKeyKey[] = "rematch/report_key";
constexpr char kNeedsBlindListInfix[] = "needs-blind/";
constexpr size_t kDeleteBatch = 4096;

std::string RunKey(std::string_view run_id) { return absl::StrCat(kRunPrefix, internal::Sv(run_id)); }
std::string ReportKey(std::string_view run_id) {
  return absl::StrCat(kReportPrefix, internal::Sv(run_id));
}
std::string NeedsBlindRunKey(std::string_view run_id) {
  return absl::StrCat(kNeedsBlindRunPrefix, internal::Sv(run_id));
}
std::string ListKey(RecordKind kind, std::string_view id, std::string_view run_id,
                    ListOrder order = ListOrder::kAsRanked) {
  return order == ListOrder::kNeedsBlind
             ? absl::StrCat(internal::DerivedPrefix(kind, id), kNeedsBlindListInfix,
                            internal::Sv(run_id))
             : absl::StrCat(internal::DerivedPrefix(kind, id), internal::Sv(run_id));
}
bool IsNeedsBlindListKey(std::string_view key) {
  return std::count(key.begin(), key.end(), '/') > 2;
}
// The run id a list's key ends in.
std::string_view RunOfListKey(std::string_view key) {
  const size_t slash = key.rfind('/');
  return slash == std::string_view::npos ? std::string_view() : key.substr(slash + 1);
}
std::string ErasedKey(RecordKind kind, std::string_view id) {
  std::string key(1, static_cast<char>(kind));
  key.append(id.data(), id.size());
  return key;
}

absl::StatusOr<std::optional<std::string>> GetMeta(const internal::Db& db, std::string_view key) {
  const internal::Db::Reader r = db.Read();
  std::string value;
  rocksdb::Status s = r.db->Get(rocksdb::ReadOptions(), r.Cf(kCfMeta), Sl(key), &value);
  if (s.IsNotFound()) return std::optional<std::string>();
  if (!s.ok()) return FromRocks(s, absl::StrCat("read ", internal::Sv(key)));
  return std::optional<std::string>(std::move(value));
}

}  // namespace

absl::Status SnapshotStore::BeginRun(const v1::RematchRun& run) {
  if (absl::Status refused = db_->RefuseIfSecondary(); !refused.ok()) return refused;
  if (run.run_id().empty() || run.run_id().find('/') != std::string::npos) {
    return absl::InvalidArgumentError("run.run_id: must be non-empty and must not contain '/'");
  }
  if (run.state() != "RUNNING") {
    return absl::InvalidArgumentError(
        absl::StrCat("run.state: a run begins RUNNING, not \"", run.state(), "\""));
  }
  absl::MutexLock lock(&mu_);
  auto marker = GetMeta(*db_, kInProgressKey);
  if (!marker.ok()) return marker.status();
  if (marker->has_value()) {
    return absl::FailedPreconditionError(absl::StrCat(
        "rematch run ", **marker, " is in progress; it must be committed or abandoned first"));
  }
  Begun begun;
  begun.run_id = run.run_id();
  // Records whose erasure's clean-up is still pending may still be in the
  // caller's index: treat them as erased since the run began.
  {
    const internal::Db::Reader r = db_->Read();
    std::unique_ptr<rocksdb::Iterator> it(r.db->NewIterator(rocksdb::ReadOptions(), r.Cf(kCfMeta)));
    const rocksdb::Slice prefix(internal::kErasurePrefix);
    for (it->Seek(prefix); it->Valid() && it->key().starts_with(prefix); it->Next()) {
      begun.erased.insert(it->key().ToString().substr(prefix.size()));
    }
    if (!it->status().ok()) return FromRocks(it->status(), "scan pending erasures");
  }
  rocksdb::WriteBatch batch;
  batch.Put(db_->Cf(kCfMeta), RunKey(run.run_id()), run.SerializeAsString());
  batch.Put(db_->Cf(kCfMeta), kInProgressKey, run.run_id());
  batch.Put(db_->Cf(kCfMeta), NeedsBlindRunKey(run.run_id()), "");
  absl::MutexLock write_lock(&db_->write_mu);
  // Erasures committed from here on are found in the change log; one the
  // caller's data sequence predates counts too.
  begun.checked_through = db_->last_sequence;
  if (run.data_sequence() > 0) {
    begun.checked_through = std::min<uint64_t>(begun.checked_through, run.data_sequence());
  }
  rocksdb::Status s = db_->Write(db_->write_options, &batch);
  if (!s.ok()) return FromRocks(s, "begin rematch run");
  begun_ = std::move(begun);
  return absl::OkStatus();
}

absl::StatusOr<std::optional<v1::RematchRun>> SnapshotStore::InProgress() const {
  auto marker = GetMeta(*db_, kInProgressKey);
  if (!marker.ok()) return marker.status();
  if (!marker->has_value()) return std::optional<v1::RematchRun>();
  v1::RematchRun run;
  auto stored = GetMeta(*db_, RunKey(**marker));
  if (!stored.ok() || !stored->has_value() || !run.ParseFromString(**stored)) {
    run.Clear();
    run.set_run_id(**marker);
  }
  return std::optional<v1::RematchRun>(std::move(run));
}

absl::Status SnapshotStore::PutLists(
    const std::string& run_id, RecordKind kind,
    const std::vector<std::pair<std::string, v1::RematchMatches>>& lists) {
  ListBatch batch(kind);
  for (const auto& [id, list] : lists) batch.Add(id, list);
  return PutLists(run_id, batch);
}

absl::Status SnapshotStore::PutLists(const std::string& run_id, const ListBatch& lists) {
  if (absl::Status refused = db_->RefuseIfSecondary(); !refused.ok()) return refused;
  const RecordKind kind = lists.kind_;
  const ListOrder order = lists.order_;
  if (kind != RecordKind::kSeeker && kind != RecordKind::kVacancy) {
    return absl::InvalidArgumentError("kind: a run holds seeker and vacancy lists only");
  }
  if (order == ListOrder::kNeedsBlind && kind != RecordKind::kSeeker) {
    return absl::InvalidArgumentError("order: only a seeker's list has a needs-blind order");
  }
  absl::MutexLock lock(&mu_);
  if (!begun_.has_value() || begun_->run_id != run_id) {
    return absl::FailedPreconditionError(absl::StrCat(
        "rematch run ", run_id,
        " is not in progress in this process; only the process that began a run writes its "
        "lists (an interrupted run can only be abandoned)"));
  }
  absl::MutexLock write_lock(&db_->write_mu);
  // Erasures committed since the last call: the change log has them all.
  if (begun_->checked_through < db_->last_sequence) {
    const internal::Db::Reader r = db_->Read();
    std::unique_ptr<rocksdb::Iterator> it(
        r.db->NewIterator(rocksdb::ReadOptions(), r.Cf(kCfChanges)));
    for (it->Seek(EncodeSequenceKey(begun_->checked_through + 1)); it->Valid(); it->Next()) {
      auto change = DecodeChange(it->value().ToStringView());
      if (!change.ok()) return change.status();
      if (change->op == ChangeOp::kDelete) begun_->erased.insert(ErasedKey(change->kind, change->id));
    }
    if (!it->status().ok()) return FromRocks(it->status(), "read erasures since the run began");
    begun_->checked_through = db_->last_sequence;
  }
  const auto& erased = begun_->erased;
  rocksdb::WriteBatch batch;
  for (const auto& [id, value] : lists.lists_) {
    if (erased.empty()) {
      batch.Put(db_->Cf(kCfMatches), ListKey(kind, id, run_id, order), value);
      continue;
    }
    // Rare (an erasure during the run): leave out the erased record's list
    // and erased seekers named in a vacancy's list.
    if (erased.contains(ErasedKey(kind, id))) continue;
    if (kind == RecordKind::kVacancy) {
      v1::RematchMatches list;
      if (!list.ParseFromString(value)) return absl::InvalidArgumentError("lists: a list does not parse");
      auto named = [&](const v1::RankedId& m) {
        return erased.contains(ErasedKey(RecordKind::kSeeker, m.id()));
      };
      if (std::any_of(list.matches().begin(), list.matches().end(), named)) {
        v1::RematchMatches kept = list;
        kept.clear_matches();
        for (const v1::RankedId& m : list.matches()) {
          if (!named(m)) *kept.add_matches() = m;
        }
        batch.Put(db_->Cf(kCfMatches), ListKey(kind, id, run_id), kept.SerializeAsString());
        continue;
      }
    }
    batch.Put(db_->Cf(kCfMatches), ListKey(kind, id, run_id, order), value);
  }
  if (batch.Count() == 0) return absl::OkStatus();
  return FromRocks(db_->Write(db_->write_options, &batch), "write rematch lists");
}

absl::Status SnapshotStore::Commit(const v1::RematchRun& run, const v1::RematchReport& report) {
  if (absl::Status refused = db_->RefuseIfSecondary(); !refused.ok()) return refused;
  if (run.state() != "DONE") {
    return absl::InvalidArgumentError(
        absl::StrCat("run.state: a committed run is DONE, not \"", run.state(), "\""));
  }
  absl::MutexLock lock(&mu_);
  auto marker = GetMeta(*db_, kInProgressKey);
  if (!marker.ok()) return marker.status();
  if (!marker->has_value() || **marker != run.run_id() || !begun_.has_value() ||
      begun_->run_id != run.run_id()) {
    return absl::FailedPreconditionError(absl::StrCat(
        "rematch run ", run.run_id(),
        " is not in progress in this process: it cannot be committed (an interrupted run can "
        "only be abandoned)"));
  }
  // The commit: one synced batch makes the complete snapshot current.
  rocksdb::WriteBatch batch;
  batch.Put(db_->Cf(kCfMeta), RunKey(run.run_id()), run.SerializeAsString());
  batch.Put(db_->Cf(kCfMeta), ReportKey(run.run_id()), report.SerializeAsString());
  batch.Put(db_->Cf(kCfMeta), kCurrentKey, run.run_id());
  batch.Delete(db_->Cf(kCfMeta), kInProgressKey);
  rocksdb::Status s = db_->Write(db_->write_options, &batch);
  if (!s.ok()) return FromRocks(s, "commit rematch run");
  begun_.reset();
  return absl::OkStatus();
}

absl::StatusOr<size_t> SnapshotStore::Abandon(const v1::RematchRun& run) {
  if (absl::Status refused = db_->RefuseIfSecondary(); !refused.ok()) return refused;
  if (run.state() != "FAILED" && run.state() != "CANCELLED") {
    return absl::InvalidArgumentError(absl::StrCat(
        "run.state: an abandoned run is FAILED or CANCELLED, not \"", run.state(), "\""));
  }
  if (run.run_id().empty() || run.run_id().find('/') != std::string::npos) {
    return absl::InvalidArgumentError("run.run_id: must be non-empty and must not contain '/'");
  }
  absl::MutexLock lock(&mu_);
  auto current = GetMeta(*db_, kCurrentKey);
  if (!current.ok()) return current.status();
  if (current->has_value() && **current == run.run_id()) {
    return absl::FailedPreconditionError(
        absl::StrCat("rematch run ", run.run_id(), " is the current run: it cannot be abandoned"));
  }
  // No list can be added from here on: PutLists needs begun_.
  if (begun_.has_value() && begun_->run_id == run.run_id()) begun_.reset();
  auto deleted = DeleteLists({run.run_id()});
  if (!deleted.ok()) return deleted.status();
  auto marker = GetMeta(*db_, kInProgressKey);
  if (!marker.ok()) return marker.status();
  rocksdb::WriteBatch batch;
  batch.Put(db_->Cf(kCfMeta), RunKey(run.run_id()), run.SerializeAsString());
  batch.Delete(db_->Cf(kCfMeta), ReportKey(run.run_id()));
  batch.Delete(db_->Cf(kCfMeta), NeedsBlindRunKey(run.run_id()));
  if (marker->has_value() && **marker == run.run_id()) batch.Delete(db_->Cf(kCfMeta), kInProgressKey);
  rocksdb::Status s = db_->Write(db_->write_options, &batch);
  if (!s.ok()) return FromRocks(s, "abandon rematch run");
  return *deleted;
}

absl::StatusOr<size_t> SnapshotStore::DeleteLists(const absl::flat_hash_set<std::string>& run_ids) {
  if (run_ids.empty()) return 0;
  std::vector<std::string> doomed;
  {
    const internal::Db::Reader r = db_->Read();
    std::unique_ptr<rocksdb::Iterator> it(
        r.db->NewIterator(rocksdb::ReadOptions(), r.Cf(kCfMatches)));
    for (it->SeekToFirst(); it->Valid(); it->Next()) {
      const std::string_view key = it->key().ToStringView();
      if (run_ids.contains(internal::Sv(RunOfListKey(key)))) doomed.emplace_back(key);
    }
    if (!it->status().ok()) return FromRocks(it->status(), "scan rematch lists");
  }
  for (size_t i = 0; i < doomed.size(); i += kDeleteBatch) {
    rocksdb::WriteBatch batch;
    for (size_t j = i; j < std::min(doomed.size(), i + kDeleteBatch); ++j) {
      batch.Delete(db_->Cf(kCfMatches), doomed[j]);
    }
    rocksdb::Status s = db_->Write(db_->write_options, &batch);
    if (!s.ok()) return FromRocks(s, "delete rematch lists");
  }
  return doomed.size();
}

absl::StatusOr<size_t> SnapshotStore::Prune(int keep) {
  if (absl::Status refused = db_->RefuseIfSecondary(); !refused.ok()) return refused;
  if (keep < 1) return absl::InvalidArgumentError("keep: must be at least 1");
  std::vector<v1::RematchRun> runs;
  {
    const internal::Db::Reader r = db_->Read();
    std::unique_ptr<rocksdb::Iterator> it(r.db->NewIterator(rocksdb::ReadOptions(), r.Cf(kCfMeta)));
    const rocksdb::Slice prefix(kRunPrefix);
    for (it->Seek(prefix); it->Valid() && it->key().starts_with(prefix); it->Next()) {
      v1::RematchRun run;
      const rocksdb::Slice value = it->value();
      if (run.ParseFromArray(value.data(), static_cast<int>(value.size()))) runs.push_back(run);
    }
    if (!it->status().ok()) return FromRocks(it->status(), "scan rematch runs");
  }
  auto current = GetMeta(*db_, kCurrentKey);
  if (!current.ok()) return current.status();
  const std::string current_id = current->value_or("");
  std::sort(runs.begin(), runs.end(), [](const v1::RematchRun& a, const v1::RematchRun& b) {
    return a.started_micros() > b.started_micros();
  });
  // The newest `keep` complete runs stay, the current one always.
  absl::flat_hash_set<std::string> kept;
  int64_t oldest_kept = 0;
  for (const auto& run : runs) {
    if (run.state() != "DONE") continue;
    if (static_cast<int>(kept.size()) < keep || run.run_id() == current_id) {
      kept.insert(run.run_id());
      oldest_kept = run.started_micros();
    }
  }
  absl::flat_hash_set<std::string> doomed;
  rocksdb::WriteBatch records;
  for (const auto& run : runs) {
    if (kept.contains(run.run_id()) || run.state() == "RUNNING") continue;
    if (run.state() != "DONE" && run.started_micros() >= oldest_kept) continue;
    doomed.insert(run.run_id());
    records.Delete(db_->Cf(kCfMeta), RunKey(run.run_id()));
    records.Delete(db_->Cf(kCfMeta), ReportKey(run.run_id()));
    records.Delete(db_->Cf(kCfMeta), NeedsBlindRunKey(run.run_id()));
  }
  if (doomed.empty()) return 0;
  // Lists first: a crash in between leaves a run record without lists,
  // which the next prune removes, never lists without a record.
  if (auto deleted = DeleteLists(doomed); !deleted.ok()) return deleted.status();
  rocksdb::Status s = db_->Write(db_->write_options, &records);
  if (!s.ok()) return FromRocks(s, "prune rematch runs");
  return doomed.size();
}

absl::StatusOr<v1::RematchRun> SnapshotStore::GetRun(std::string_view run_id) const {
  auto stored = GetMeta(*db_, RunKey(run_id));
  if (!stored.ok()) return stored.status();
  if (!stored->has_value()) {
    return absl::NotFoundError(absl::StrCat("rematch run ", internal::Sv(run_id), ": not found"));
  }
  v1::RematchRun run;
  if (!run.ParseFromString(**stored)) return absl::DataLossError("stored rematch run does not parse");
  return run;
}

absl::StatusOr<std::string> SnapshotStore::Current() const {
  auto current = GetMeta(*db_, kCurrentKey);
  if (!current.ok()) return current.status();
  if (!current->has_value()) return absl::NotFoundError("no rematch has completed yet");
  return **current;
}

absl::Status SnapshotStore::CheckDone(std::string_view run_id) const {
  auto run = GetRun(run_id);
  if (!run.ok()) return run.status();
  if (run->state() != "DONE") {
    return absl::FailedPreconditionError(
        absl::StrCat("rematch run ", internal::Sv(run_id), " is ", run->state(),
                     ": only a complete (DONE) run's snapshot can be read"));
  }
  return absl::OkStatus();
}

absl::StatusOr<v1::RematchMatches> SnapshotStore::ReadList(std::string_view run_id,
                                                          RecordKind kind,
                                                          std::string_view id,
                                                          ListOrder order) const {
  if (order == ListOrder::kNeedsBlind && kind != RecordKind::kSeeker) {
    return absl::InvalidArgumentError("order: only a seeker's list has a needs-blind order");
  }
  if (absl::Status done = CheckDone(run_id); !done.ok()) return done;
  std::string value;
  rocksdb::Status s;
  if (order == ListOrder::kNeedsBlind) {
    auto marked = GetMeta(*db_, NeedsBlindRunKey(run_id));
    if (!marked.ok()) return marked.status();
    if (!marked->has_value()) {
      return absl::FailedPreconditionError(absl::StrCat(
          "rematch run ", internal::Sv(run_id),
          " was stored before seekers' needs-blind lists were: its seeker lists are ordered with "
          "the fit of functional needs, which this caller may not see; the next run has them"));
    }
    {
      const internal::Db::Reader r = db_->Read();
      s = r.db->Get(rocksdb::ReadOptions(), r.Cf(kCfMatches),
                    ListKey(kind, id, run_id, ListOrder::kNeedsBlind), &value);
    }
    if (!s.ok() && !s.IsNotFound()) return FromRocks(s, "read needs-blind rematch list");
  }
  if (order == ListOrder::kAsRanked || s.IsNotFound()) {
    // No needs-blind list stored: the list as ranked is the same.
    const internal::Db::Reader r = db_->Read();
    s = r.db->Get(rocksdb::ReadOptions(), r.Cf(kCfMatches), ListKey(kind, id, run_id), &value);
  }
  if (s.IsNotFound()) {
    return absl::NotFoundError(absl::StrCat("no matches in rematch run ", internal::Sv(run_id),
                                            " for ", internal::Sv(RecordKindName(kind)), " ",
                                            internal::Sv(id)));
  }
  if (!s.ok()) return FromRocks(s, "read rematch list");
  v1::RematchMatches matches;
  if (!matches.ParseFromString(value)) return absl::DataLossError("stored matches do not parse");
  return matches;
}

absl::StatusOr<v1::RematchReport> SnapshotStore::ReadReport(std::string_view run_id) const {
  if (absl::Status done = CheckDone(run_id); !done.ok()) return done;
  auto stored = GetMeta(*db_, ReportKey(run_id));
  if (!stored.ok()) return stored.status();
  if (!stored->has_value()) {
    return absl::NotFoundError(
        absl::StrCat("rematch run ", internal::Sv(run_id), " has no report"));
  }
  v1::RematchReport report;
  if (!report.ParseFromString(**stored)) return absl::DataLossError("stored report does not parse");
  return report;
}

namespace {

absl::StatusOr<std::map<std::string, size_t>> CountLists(const internal::Db& db,
                                                         bool needs_blind) {
  std::map<std::string, size_t> counts;
  const internal::Db::Reader r = db.Read();
  std::unique_ptr<rocksdb::Iterator> it(r.db->NewIterator(rocksdb::ReadOptions(), r.Cf(kCfMatches)));
  for (it->SeekToFirst(); it->Valid(); it->Next()) {
    const std::string_view key = it->key().ToStringView();
    if (IsNeedsBlindListKey(key) != needs_blind) continue;
    ++counts[std::string(RunOfListKey(key))];
  }
  if (!it->status().ok()) return FromRocks(it->status(), "scan rematch lists");
  return counts;
}

}  // namespace

absl::StatusOr<std::string> SnapshotStore::GetOrPutReportKey(const std::string& candidate) {
  if (candidate.empty()) return absl::InvalidArgumentError("candidate: must not be empty");
  absl::MutexLock lock(&mu_);
  auto stored = GetMeta(*db_, kReportKeyKey);
  if (!stored.ok()) return stored.status();
  if (stored->has_value()) return **stored;
  if (absl::Status refused = db_->RefuseIfSecondary(); !refused.ok()) return refused;
  rocksdb::WriteBatch batch;
  batch.Put(db_->Cf(kCfMeta), kReportKeyKey, candidate);
  rocksdb::Status s = db_->Write(db_->write_options, &batch);
  if (!s.ok()) return FromRocks(s, "store the report key");
  return candidate;
}

absl::StatusOr<std::map<std::string, size_t>> SnapshotStore::ListCounts() const {
  return CountLists(*db_, /*needs_blind=*/false);
}

absl::StatusOr<std::map<std::string, size_t>> SnapshotStore::NeedsBlindListCounts() const {
  return CountLists(*db_, /*needs_blind=*/true);
}

}  // namespace jobmatch::storage

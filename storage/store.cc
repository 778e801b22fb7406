#include "storage/store.h"

#include <algorithm>
#include <filesystem>
#include <utility>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "rocksdb/db.h"
#include "rocksdb/utilities/checkpoint.h"
#include "rocksdb/write_batch.h"
#include "storage/audit_table.h"
#include "storage/feedback_store.h"
#include "storage/internal/db.h"
#include "storage/internal/derived_keys.h"
#include "storage/record_codec.h"
#include "storage/snapshot_store.h"

namespace jobmatch::storage {

using internal::CfOf;
using internal::DecodeSequenceKey;
using internal::DerivedPrefix;
using internal::EncodeSequenceKey;
using internal::ErasureKey;
using internal::FromRocks;
using internal::kCfChanges;
using internal::kCfFeedback;
using internal::kCfMatches;
using internal::kCfMeta;
using internal::kLastSequenceKey;
using internal::MakeOptions;
using internal::PrefixEnd;
using internal::Sv;

std::string_view RecordKindName(RecordKind kind) {
  switch (kind) {
    case RecordKind::kSeeker: return "seeker";
    case RecordKind::kVacancy: return "vacancy";
    case RecordKind::kEmployer: return "employer";
  }
  return "record";
}


Store::Store(std::unique_ptr<Impl> impl)
    : impl_(std::move(impl)),
      audit_(std::make_unique<AuditTable>(impl_.get())),
      snapshots_(std::make_unique<SnapshotStore>(impl_.get())),
      feedback_(std::make_unique<FeedbackStore>(impl_.get())) {}
// The typed stores go first: they refer to impl_.
Store::~Store() {
  feedback_.reset();
  snapshots_.reset();
  audit_.reset();
}

AuditTable& Store::audit() { return *audit_; }
const AuditTable& Store::audit() const { return *audit_; }
SnapshotStore& Store::snapshots() { return *snapshots_; }
const SnapshotStore& Store::snapshots() const { return *snapshots_; }
FeedbackStore& Store::feedback() { return *feedback_; }
const FeedbackStore& Store::feedback() const { return *feedback_; }

absl::StatusOr<std::unique_ptr<Store>> Store::Open(const StoreOptions& store_options) {
  if (store_options.path.empty()) {
    return absl::InvalidArgumentError("storage path: must not be empty");
  }
  const bool secondary = !store_options.secondary_of.empty();
  if (store_options.env == nullptr && !store_options.read_only) {
    std::error_code error;
    std::filesystem::create_directories(store_options.path, error);
    if (error) {
      return absl::FailedPreconditionError(
          absl::StrCat("cannot create data folder ", store_options.path, ": ", error.message()));
    }
  }
  std::vector<rocksdb::ColumnFamilyDescriptor> descriptors;
  rocksdb::Options options = MakeOptions(store_options, &descriptors);
  std::vector<rocksdb::ColumnFamilyHandle*> handles;
  rocksdb::DB* raw = nullptr;
  rocksdb::Status s;
  if (secondary) {
    // A secondary never creates the primary's store, and must keep every
    // table file it uses open: the primary may delete it after a compaction.
    options.create_if_missing = false;
    options.create_missing_column_families = false;
    options.max_open_files = -1;
    s = rocksdb::DB::OpenAsSecondary(options, store_options.secondary_of, store_options.path,
                                     descriptors, &handles, &raw);
    if (!s.ok()) {
      return FromRocks(s, absl::StrCat("open ", store_options.secondary_of,
                                       " as a read replica (secondary folder ",
                                       store_options.path, ")"));
    }
  } else {
    s = store_options.read_only
            ? rocksdb::DB::OpenForReadOnly(options, store_options.path, descriptors, &handles, &raw)
            : rocksdb::DB::Open(options, store_options.path, descriptors, &handles, &raw);
    if (!s.ok()) return FromRocks(s, absl::StrCat("open ", store_options.path));
  }

  auto impl = std::make_unique<Impl>();
  if (secondary) {
    auto instance = std::make_shared<Impl::Instance>();
    instance->db.reset(raw);
    for (auto* h : handles) instance->cf.emplace_back(h);
    absl::MutexLock lock(&impl->instance_mu);
    impl->instance = std::move(instance);
  } else {
    impl->db.reset(raw);
    for (auto* h : handles) impl->cf.emplace_back(h);
  }
  impl->write_options.sync = store_options.sync_writes;
  impl->path = store_options.path;
  impl->env = options.env;
  impl->secondary = secondary;
  impl->options = store_options;

  if (absl::Status read = impl->ReadLastSequences(); !read.ok()) return read;
  // An erasure whose clean-up a crash interrupted is finished before the
  // store serves anything (by the primary: a secondary cannot write).
  if (store_options.read_only || secondary) {
    return std::unique_ptr<Store>(new Store(std::move(impl)));
  }
  auto finished = impl->FinishPendingErasures();
  if (!finished.ok()) return finished.status();
  impl->erasures_finished_at_open = *finished;
  return std::unique_ptr<Store>(new Store(std::move(impl)));
}

size_t Store::ErasuresFinishedAtOpen() const { return impl_->erasures_finished_at_open; }

absl::StatusOr<WriteResult> Store::Put(RecordKind kind, PutRequest request, absl::Time now,
                                       const AuditEntryFn& audit) {
  std::vector<PutRequest> one;
  one.push_back(std::move(request));
  return std::move(PutBatch(kind, std::move(one), now, audit).front());
}

std::vector<absl::StatusOr<WriteResult>> Store::PutBatch(RecordKind kind,
                                                        std::vector<PutRequest> requests,
                                                        absl::Time now,
                                                        const AuditEntryFn& audit) {
  if (absl::Status refused = impl_->RefuseIfSecondary(); !refused.ok()) {
    return std::vector<absl::StatusOr<WriteResult>>(requests.size(), refused);
  }
  std::vector<absl::StatusOr<WriteResult>> results(requests.size(),
                                                  absl::UnknownError("not written"));
  const int cf = CfOf(kind);
  const int64_t now_micros = absl::ToUnixMicros(now);
  absl::MutexLock lock(&impl_->write_mu);
  rocksdb::WriteBatch batch;
  // Versions of ids written earlier in this batch.
  absl::flat_hash_map<std::string, uint64_t> pending;
  uint64_t seq = impl_->last_sequence;
  for (size_t i = 0; i < requests.size(); ++i) {
    PutRequest& req = requests[i];
    uint64_t current = 0;
    if (auto it = pending.find(req.id); it != pending.end()) {
      current = it->second;
    } else {
      auto meta = impl_->ReadMeta(cf, req.id);
      if (!meta.ok()) {
        results[i] = meta.status();
        continue;
      }
      current = meta->has_value() ? (*meta)->version : 0;
    }
    if (req.expected_version.has_value() && *req.expected_version != current) {
      results[i] = absl::AbortedError(absl::StrCat(
          Sv(RecordKindName(kind)), " ", req.id, ": expected version ", *req.expected_version,
          " but the stored version is ", current));
      continue;
    }
    RecordMeta meta{current + 1, now_micros, ++seq};
    batch.Put(impl_->Cf(cf), req.id, EncodeRecordValue(meta, req.payload));
    ChangeEntry change{meta.sequence, kind, ChangeOp::kPut, req.id, meta.version, now_micros};
    batch.Put(impl_->Cf(kCfChanges), EncodeSequenceKey(meta.sequence), EncodeChange(change));
    pending[req.id] = meta.version;
    results[i] = WriteResult{meta.version, meta.sequence};
  }
  if (seq == impl_->last_sequence && !audit) return results;  // nothing accepted
  auto audit_seq = impl_->AddAudit(audit, results, &batch);
  if (!audit_seq.ok()) {
    for (auto& r : results) r = audit_seq.status();
    return results;
  }
  if (seq != impl_->last_sequence) {
    batch.Put(impl_->Cf(kCfMeta), kLastSequenceKey, EncodeSequenceKey(seq));
  }
  rocksdb::Status s = impl_->Write(impl_->write_options, &batch);
  if (!s.ok()) {
    const absl::Status error = FromRocks(s, "write batch");
    for (auto& r : results) {
      if (r.ok()) r = error;
    }
    return results;
  }
  impl_->last_sequence = seq;
  if (*audit_seq != 0) impl_->last_audit_sequence = *audit_seq;
  return results;
}

absl::StatusOr<StoredRecord> Store::Get(RecordKind kind, std::string_view id) const {
  const Impl::Reader db = impl_->Read();
  std::string value;
  rocksdb::Status s = db.db->Get(rocksdb::ReadOptions(), db.Cf(CfOf(kind)),
                                     rocksdb::Slice(id.data(), id.size()), &value);
  if (s.IsNotFound()) {
    return absl::NotFoundError(absl::StrCat(Sv(RecordKindName(kind)), " ", Sv(id), ": not found"));
  }
  if (!s.ok()) return FromRocks(s, "get");
  auto decoded = DecodeRecordValue(value);
  if (!decoded.ok()) return decoded.status();
  return StoredRecord{std::string(id), decoded->meta, std::string(decoded->payload)};
}

absl::StatusOr<uint64_t> Store::Delete(RecordKind kind, std::string_view id,
                                       std::optional<uint64_t> expected_version,
                                       const AuditEntryFn& audit) {
  const int cf = CfOf(kind);
  if (absl::Status refused = impl_->RefuseIfSecondary(); !refused.ok()) return refused;
  const std::string prefix = DerivedPrefix(kind, id);
  uint64_t seq = 0;
  absl::Status refused;
  bool finish_pending = false;
  {
    absl::MutexLock lock(&impl_->write_mu);
    auto meta = impl_->ReadMeta(cf, id);
    if (!meta.ok()) return meta.status();
    if (!meta->has_value()) {
      refused = absl::NotFoundError(absl::StrCat(Sv(RecordKindName(kind)), " ", Sv(id), ": not found"));
    } else if (expected_version.has_value() && *expected_version != (*meta)->version) {
      refused = absl::AbortedError(absl::StrCat(Sv(RecordKindName(kind)), " ", Sv(id),
                                                ": expected version ", *expected_version,
                                                " but the stored version is ", (*meta)->version));
    }
    if (!refused.ok()) {
      if (refused.code() == absl::StatusCode::kNotFound) {
        // A retried Delete of an erased id: its answer stays NOT_FOUND, but a
        // clean-up left pending (a failure or crash after the commit) is
        // completed first.
        auto pending = impl_->ErasurePending(kind, id);
        if (!pending.ok()) return pending.status();
        finish_pending = *pending;
      }
      if (audit) {
        rocksdb::WriteBatch batch;
        auto audit_seq = impl_->AddAudit(audit, {refused}, &batch);
        if (!audit_seq.ok()) return audit_seq.status();
        rocksdb::Status s = impl_->Write(impl_->write_options, &batch);
        if (!s.ok()) return FromRocks(s, "audit refused delete");
        impl_->last_audit_sequence = *audit_seq;
      }
    } else {
      seq = impl_->last_sequence + 1;
      rocksdb::WriteBatch batch;
      auto audit_seq = impl_->AddAudit(audit, {WriteResult{(*meta)->version, seq}}, &batch);
      if (!audit_seq.ok()) return audit_seq.status();
      batch.Delete(impl_->Cf(cf), rocksdb::Slice(id.data(), id.size()));
      batch.DeleteRange(impl_->Cf(kCfMatches), prefix, PrefixEnd(prefix));
      batch.DeleteRange(impl_->Cf(kCfFeedback), prefix, PrefixEnd(prefix));
      ChangeEntry change{seq, kind, ChangeOp::kDelete, std::string(id), (*meta)->version,
                         absl::ToUnixMicros(absl::Now())};
      batch.Put(impl_->Cf(kCfChanges), EncodeSequenceKey(seq), EncodeChange(change));
      batch.Put(impl_->Cf(kCfMeta), kLastSequenceKey, EncodeSequenceKey(seq));
      // The intent, durable with the erasure itself: if the process dies
      // before the clean-up below ends, Open finishes it.
      batch.Put(impl_->Cf(kCfMeta), ErasureKey(kind, id), "");
      rocksdb::Status s = impl_->Write(impl_->write_options, &batch);
      if (!s.ok()) return FromRocks(s, "delete");
      impl_->last_sequence = seq;
      if (*audit_seq != 0) impl_->last_audit_sequence = *audit_seq;
      finish_pending = true;
    }
  }
  if (finish_pending) {
    if (absl::Status s = impl_->FinishErasure(kind, id); !s.ok()) {
      // The erasure is committed (the record is gone from every read) and
      // stays pending: the next start-up or a retried Delete completes it.
      return absl::Status(s.code(), absl::StrCat(Sv(RecordKindName(kind)), " ", Sv(id),
                                                 ": erased, but removing its bytes from the data "
                                                 "files failed (retry the Delete, or it "
                                                 "completes at the next start-up): ",
                                                 s.message()));
    }
  }
  if (!refused.ok()) return refused;
  return seq;
}

absl::StatusOr<bool> Store::HasDerivedData(RecordKind kind, std::string_view id) const {
  const std::string prefix = DerivedPrefix(kind, id);
  const Impl::Reader db = impl_->Read();
  for (int cf : {kCfMatches, kCfFeedback}) {
    std::unique_ptr<rocksdb::Iterator> it(db.db->NewIterator(rocksdb::ReadOptions(), db.Cf(cf)));
    it->Seek(prefix);
    if (it->Valid() && it->key().starts_with(prefix)) return true;
    if (!it->status().ok()) return FromRocks(it->status(), "read derived data");
  }
  return false;
}

absl::StatusOr<RecordPage> Store::List(RecordKind kind, std::string_view after_id,
                                       size_t limit) const {
  const Impl::Reader db = impl_->Read();
  RecordPage page;
  std::unique_ptr<rocksdb::Iterator> it(
      db.db->NewIterator(rocksdb::ReadOptions(), db.Cf(CfOf(kind))));
  if (after_id.empty()) {
    it->SeekToFirst();
  } else {
    it->Seek(rocksdb::Slice(after_id.data(), after_id.size()));
    if (it->Valid() && it->key().ToStringView() == after_id) it->Next();
  }
  for (; it->Valid() && page.records.size() < limit; it->Next()) {
    auto decoded = DecodeRecordValue(it->value().ToStringView());
    if (!decoded.ok()) return decoded.status();
    page.records.push_back(
        StoredRecord{it->key().ToString(), decoded->meta, std::string(decoded->payload)});
  }
  if (!it->status().ok()) return FromRocks(it->status(), "list");
  if (it->Valid() && !page.records.empty()) page.next_after_id = page.records.back().id;
  return page;
}

absl::Status Store::ForEach(RecordKind kind,
                            const std::function<bool(const StoredRecord&)>& fn) const {
  const Impl::Reader db = impl_->Read();
  rocksdb::ReadOptions read;
  read.fill_cache = false;  // a full scan would evict the lookup working set
  // The iterator pins its own implicit snapshot for its lifetime only.
  std::unique_ptr<rocksdb::Iterator> it(db.db->NewIterator(read, db.Cf(CfOf(kind))));
  StoredRecord record;
  for (it->SeekToFirst(); it->Valid(); it->Next()) {
    auto decoded = DecodeRecordValue(it->value().ToStringView());
    if (!decoded.ok()) return decoded.status();
    record.id = it->key().ToString();
    record.meta = decoded->meta;
    record.payload.assign(decoded->payload.data(), decoded->payload.size());
    if (!fn(record)) break;
  }
  return FromRocks(it->status(), "scan");
}

absl::StatusOr<std::vector<ChangeEntry>> Store::ReadChangesSince(uint64_t after_sequence,
                                                                 size_t limit) const {
  const Impl::Reader db = impl_->Read();
  std::vector<ChangeEntry> changes;
  std::unique_ptr<rocksdb::Iterator> it(
      db.db->NewIterator(rocksdb::ReadOptions(), db.Cf(kCfChanges)));
  for (it->Seek(EncodeSequenceKey(after_sequence + 1)); it->Valid() && changes.size() < limit;
       it->Next()) {
    auto change = DecodeChange(it->value().ToStringView());
    if (!change.ok()) return change.status();
    change->sequence = DecodeSequenceKey(it->key().ToStringView());
    changes.push_back(std::move(*change));
  }
  if (!it->status().ok()) return FromRocks(it->status(), "read changes");
  return changes;
}

uint64_t Store::LastSequence() const {
  absl::MutexLock lock(&impl_->write_mu);
  return impl_->last_sequence;
}

absl::StatusOr<uint64_t> Store::CatchUpWithPrimary() {
  if (!impl_->secondary) {
    return absl::FailedPreconditionError("catch up: this store is not a read replica");
  }
  {
    const Impl::Reader db = impl_->Read();
    if (absl::Status s = FromRocks(db.db->TryCatchUpWithPrimary(), "catch up with primary");
        !s.ok()) {
      return s;
    }
  }
  if (absl::Status s = impl_->ReadLastSequences(); !s.ok()) return s;
  return LastSequence();
}

absl::StatusOr<uint64_t> Store::ReopenSecondary() {
  if (!impl_->secondary) {
    return absl::FailedPreconditionError("reopen: this store is not a read replica");
  }
  std::vector<rocksdb::ColumnFamilyDescriptor> descriptors;
  rocksdb::Options options = MakeOptions(impl_->options, &descriptors);
  options.create_if_missing = false;
  options.create_missing_column_families = false;
  options.max_open_files = -1;
  {
    std::vector<rocksdb::ColumnFamilyHandle*> handles;
    rocksdb::DB* raw = nullptr;
    rocksdb::Status s = rocksdb::DB::OpenAsSecondary(options, impl_->options.secondary_of,
                                                     impl_->options.path, descriptors, &handles,
                                                     &raw);
    // On failure the old instance stays: it serves what it had.
    if (!s.ok()) return FromRocks(s, absl::StrCat("reopen ", impl_->options.secondary_of));
    auto fresh = std::make_shared<Impl::Instance>();
    fresh->db.reset(raw);
    for (auto* h : handles) fresh->cf.emplace_back(h);
    absl::MutexLock lock(&impl_->instance_mu);
    impl_->instance.swap(fresh);
  }  // the old instance closes here, or when its last read ends
  if (absl::Status s = impl_->ReadLastSequences(); !s.ok()) return s;
  return LastSequence();
}

bool Store::is_secondary() const { return impl_->secondary; }

absl::Status Store::Checkpoint(const std::string& dir) const {
  const Impl::Reader db = impl_->Read();
  rocksdb::Checkpoint* raw = nullptr;
  rocksdb::Status s = rocksdb::Checkpoint::Create(db.db, &raw);
  if (!s.ok()) return FromRocks(s, "checkpoint");
  std::unique_ptr<rocksdb::Checkpoint> checkpoint(raw);
  return FromRocks(checkpoint->CreateCheckpoint(dir), absl::StrCat("checkpoint to ", dir));
}

}  // namespace jobmatch::storage

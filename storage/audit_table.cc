#include "storage/audit_table.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "rocksdb/db.h"
#include "rocksdb/write_batch.h"
#include "storage/internal/db.h"

namespace jobmatch::storage {

// Layout: the audit family holds entry `sequence` under
// EncodeSequenceKey(sequence) (8 bytes, big-endian, so keys sort in sequence
// order); the meta family holds the last sequence appended
// (kLastAuditSequenceKey) and the prune anchor (kAuditAnchorKey).
using internal::DecodeSequenceKey;
using internal::EncodeSequenceKey;
using internal::FromRocks;
using internal::kAuditAnchorKey;
using internal::kCfAudit;
using internal::kCfMeta;
using internal::kLastAuditSequenceKey;

absl::StatusOr<uint64_t> AuditTable::Append(
    const AuditEntryFn& audit, const std::vector<absl::StatusOr<WriteResult>>& results,
    AuditDurability durability) {
  if (absl::Status refused = db_->RefuseIfSecondary(); !refused.ok()) return refused;
  if (!audit) return absl::InvalidArgumentError("audit: an entry function is required");
  // Group commit (as LevelDB's writer queue): the appender at the front of
  // the queue writes every entry queued behind it in one synced batch, so
  // concurrent appends share one fsync and still take sequences in order.
  internal::Db::AuditAppender self(&audit, &results, durability == AuditDurability::kSynced);
  absl::MutexLock queue_lock(&db_->audit_queue_mu);
  db_->audit_queue.push_back(&self);
  while (!self.done && db_->audit_queue.front() != &self) {
    self.cv.Wait(&db_->audit_queue_mu);
  }
  if (self.done) return self.result;
  constexpr size_t kMaxGroup = 256;
  std::vector<internal::Db::AuditAppender*> group(
      db_->audit_queue.begin(),
      db_->audit_queue.begin() + std::min(kMaxGroup, db_->audit_queue.size()));
  db_->audit_queue_mu.Unlock();
  {
    absl::MutexLock lock(&db_->write_mu);
    rocksdb::WriteBatch batch;
    uint64_t next = db_->last_audit_sequence + 1;
    std::vector<internal::Db::AuditAppender*> written;
    rocksdb::WriteOptions options = db_->write_options;
    bool any_synced = false;
    for (internal::Db::AuditAppender* a : group) {
      auto value = (*a->fn)(next, *a->results);
      if (!value.ok()) {
        a->result = value.status();
        continue;
      }
      batch.Put(db_->Cf(kCfAudit), EncodeSequenceKey(next), *value);
      any_synced |= a->sync;
      a->result = next++;
      written.push_back(a);
    }
    if (!written.empty()) {
      batch.Put(db_->Cf(kCfMeta), kLastAuditSequenceKey, EncodeSequenceKey(next - 1));
      options.sync = options.sync && any_synced;
      rocksdb::Status s = db_->Write(options, &batch);
      if (s.ok()) {
        db_->last_audit_sequence = next - 1;
      } else {
        for (internal::Db::AuditAppender* a : written) a->result = FromRocks(s, "audit append");
      }
    }
  }
  db_->audit_queue_mu.Lock();
  for (internal::Db::AuditAppender* a : group) {
    db_->audit_queue.pop_front();
    a->done = true;
    if (a != &self) a->cv.Signal();
  }
  if (!db_->audit_queue.empty()) db_->audit_queue.front()->cv.Signal();
  return self.result;
}

absl::Status AuditTable::Scan(
    uint64_t after_sequence,
    const std::function<bool(uint64_t, std::string_view)>& fn) const {
  const internal::Db::Reader db = db_->Read();
  std::unique_ptr<rocksdb::Iterator> it(
      db.db->NewIterator(rocksdb::ReadOptions(), db.Cf(kCfAudit)));
  for (it->Seek(EncodeSequenceKey(after_sequence + 1)); it->Valid(); it->Next()) {
    if (!fn(DecodeSequenceKey(it->key().ToStringView()), it->value().ToStringView())) break;
  }
  return FromRocks(it->status(), "audit scan");
}

uint64_t AuditTable::LastSequence() const {
  absl::MutexLock lock(&db_->write_mu);
  return db_->last_audit_sequence;
}

absl::Status AuditTable::Prune(uint64_t through_sequence, std::string_view anchor) {
  if (absl::Status refused = db_->RefuseIfSecondary(); !refused.ok()) return refused;
  const std::string begin = EncodeSequenceKey(0);
  const std::string end = EncodeSequenceKey(through_sequence + 1);
  {
    absl::MutexLock lock(&db_->write_mu);
    rocksdb::WriteBatch batch;
    batch.DeleteRange(db_->Cf(kCfAudit), begin, end);
    batch.Put(db_->Cf(kCfMeta), kAuditAnchorKey, rocksdb::Slice(anchor.data(), anchor.size()));
    rocksdb::Status s = db_->Write(db_->write_options, &batch);
    if (!s.ok()) return FromRocks(s, "audit prune");
  }
  // Flush every column family: the write-ahead logs holding the pruned
  // entries become obsolete only when no memtable needs them.
  std::vector<rocksdb::ColumnFamilyHandle*> all;
  for (auto& h : db_->cf) all.push_back(h.get());
  rocksdb::Status s = db_->ResumeIfStopped();
  if (s.ok()) s = db_->db->Flush(rocksdb::FlushOptions(), all);
  if (!s.ok()) {
    db_->stopped = true;
    return FromRocks(s, "flush after audit prune");
  }
  rocksdb::CompactRangeOptions compact;
  compact.bottommost_level_compaction = rocksdb::BottommostLevelCompaction::kForce;
  rocksdb::Slice b(begin), e(end);
  return FromRocks(db_->db->CompactRange(compact, db_->Cf(kCfAudit), &b, &e),
                   "compact after audit prune");
}

absl::StatusOr<std::string> AuditTable::Anchor() const {
  const internal::Db::Reader db = db_->Read();
  std::string value;
  rocksdb::Status s =
      db.db->Get(rocksdb::ReadOptions(), db.Cf(kCfMeta), kAuditAnchorKey, &value);
  if (s.IsNotFound()) return absl::NotFoundError("audit log: never pruned");
  if (!s.ok()) return FromRocks(s, "audit anchor");
  return value;
}

absl::Status AuditTable::TamperForTest(uint64_t sequence, std::optional<std::string> value) {
  if (absl::Status refused = db_->RefuseIfSecondary(); !refused.ok()) return refused;
  const std::string key = EncodeSequenceKey(sequence);
  rocksdb::WriteBatch batch;
  if (value) {
    batch.Put(db_->Cf(kCfAudit), key, *value);
  } else {
    batch.Delete(db_->Cf(kCfAudit), key);
  }
  rocksdb::Status s = db_->Write(db_->write_options, &batch);
  return FromRocks(s, "tamper with audit");
}

}  // namespace jobmatch::storage

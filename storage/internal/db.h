// storage/internal/db.h: the one RocksDB instance that every store of
// storage/ works on (Store's records and change log, AuditTable,
// SnapshotStore, FeedbackStore), its column families, the meta keys they
// share, and the write path with its lock. Private to storage/: included by
// storage/*.cc only, never by a public header, so nothing outside storage/
// sees RocksDB or a key layout.
#ifndef JOBMATCH_STORAGE_INTERNAL_DB_H_
#define JOBMATCH_STORAGE_INTERNAL_DB_H_

#include <atomic>
#include <cstdint>
#include <deque>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "rocksdb/db.h"
#include "rocksdb/options.h"
#include "rocksdb/write_batch.h"
#include "storage/internal/derived_keys.h"
#include "storage/record_codec.h"
#include "storage/store.h"

namespace jobmatch::storage::internal {

// Column families. Index positions are fixed; the names are the on-disk format.
enum Cf : int {
  kCfDefault = 0,
  kCfSeekers,
  kCfVacancies,
  kCfEmployers,
  kCfChanges,
  kCfMatches,
  kCfAudit,
  kCfFeedback,
  kCfMeta,
  kCfCount
};
inline constexpr const char* kCfNames[kCfCount] = {
    "default", "seekers", "vacancies", "employers", "changes",
    "matches", "audit",   "feedback",  "meta"};
// Meta-family keys of the record store and the audit table.
inline constexpr char kLastSequenceKey[] = "last_sequence";
inline constexpr char kLastAuditSequenceKey[] = "last_audit_sequence";
inline constexpr char kAuditAnchorKey[] = "audit_anchor";
// Pending erasures: "erasure/" + kind byte + id in the meta family, written in
// the erasure's own batch and removed once the erased bytes have left every
// file (see Store::Delete). Holds no personal data: the id is the opaque
// pseudonym the change log keeps too.
inline constexpr char kErasurePrefix[] = "erasure/";

int CfOf(RecordKind kind);

// Abseil here predates std::string_view interop (see STYLE.md).
inline absl::string_view Sv(std::string_view s) { return absl::string_view(s.data(), s.size()); }
inline rocksdb::Slice Sl(std::string_view s) { return rocksdb::Slice(s.data(), s.size()); }

// RocksDB's status as ours: `what` names the operation.
absl::Status FromRocks(const rocksdb::Status& s, std::string_view what);

// The store's RocksDB options and one descriptor per column family.
rocksdb::Options MakeOptions(const StoreOptions& store_options,
                             std::vector<rocksdb::ColumnFamilyDescriptor>* cfs);

// Big-endian 8 bytes: keys that sort in sequence order.
std::string EncodeSequenceKey(uint64_t seq);
uint64_t DecodeSequenceKey(std::string_view key);

// Smallest key greater than every key with this prefix ("" if none exists).
std::string PrefixEnd(std::string prefix);

std::string ErasureKey(RecordKind kind, std::string_view id);

struct Db {
  std::unique_ptr<rocksdb::DB> db;
  std::vector<std::unique_ptr<rocksdb::ColumnFamilyHandle>> cf;
  rocksdb::WriteOptions write_options;
  size_t erasures_finished_at_open = 0;
  // Serializes writers: version checks, sequence allocation and the batch
  // write happen under it, so sequences are gap-free and in commit order.
  mutable absl::Mutex write_mu;
  uint64_t last_sequence ABSL_GUARDED_BY(write_mu) = 0;
  uint64_t last_audit_sequence ABSL_GUARDED_BY(write_mu) = 0;

  // A standalone audit append waiting in the group-commit queue.
  struct AuditAppender {
    AuditAppender(const AuditEntryFn* f, const std::vector<absl::StatusOr<WriteResult>>* r,
                  bool s)
        : fn(f), results(r), sync(s) {}
    const AuditEntryFn* fn;
    const std::vector<absl::StatusOr<WriteResult>>* results;
    const bool sync;
    absl::StatusOr<uint64_t> result = absl::UnknownError("not appended");
    bool done = false;
    absl::CondVar cv;
  };
  // Taken before write_mu, never while holding it.
  absl::Mutex audit_queue_mu;
  std::deque<AuditAppender*> audit_queue ABSL_GUARDED_BY(audit_queue_mu);

  // Adds the audit entry `audit` builds to `batch` (with the new last audit
  // sequence). Returns the entry's sequence; 0 when there is no `audit`.
  absl::StatusOr<uint64_t> AddAudit(const AuditEntryFn& audit,
                                    const std::vector<absl::StatusOr<WriteResult>>& results,
                                    rocksdb::WriteBatch* batch)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(write_mu) {
    if (!audit) return uint64_t{0};
    const uint64_t seq = last_audit_sequence + 1;
    auto value = audit(seq, results);
    if (!value.ok()) return value.status();
    batch->Put(Cf(kCfAudit), EncodeSequenceKey(seq), *value);
    batch->Put(Cf(kCfMeta), kLastAuditSequenceKey, EncodeSequenceKey(seq));
    return seq;
  }

  rocksdb::ColumnFamilyHandle* Cf(int index) const { return cf[index].get(); }

  // Every write goes through here. A failed write (a full disk, an I/O
  // error) can stop RocksDB's writes until DB::Resume: the next write tries
  // to resume first, so writes work again as soon as the cause is gone,
  // without a restart. Reads are never stopped.
  rocksdb::Status Write(const rocksdb::WriteOptions& options, rocksdb::WriteBatch* batch) {
    if (secondary) {
      return rocksdb::Status::NotSupported("a read replica's store is never written");
    }
    if (rocksdb::Status s = ResumeIfStopped(); !s.ok()) return s;
    rocksdb::Status s = db->Write(options, batch);
    if (!s.ok()) stopped = true;
    return s;
  }
  // Busy means RocksDB's own recovery is running (its SstFileManager polls
  // the free space after a NoSpace error and resumes by itself): wait for it
  // briefly, then let the write report whatever state the store is in.
  //
  // Resuming flushes the memtables; on a disk that is still full that flush
  // would fail in a way RocksDB cannot resume from without a restart, so the
  // store resumes only once the file system reports free space again.
  rocksdb::Status ResumeIfStopped() {
    if (!stopped.load()) return rocksdb::Status::OK();
    uint64_t free_bytes = 0;
    if (env->GetFreeSpace(path, &free_bytes).ok() && free_bytes < kMinFreeBytesToResume) {
      return rocksdb::Status::NoSpace(
          absl::StrCat(free_bytes, " bytes free; writes resume at ", kMinFreeBytesToResume));
    }
    rocksdb::Status s = db->Resume();
    for (int i = 0; i < 25 && s.IsBusy(); ++i) {
      absl::SleepFor(absl::Milliseconds(50));
      s = db->Resume();
    }
    if (s.ok()) stopped = false;
    return s.IsBusy() ? rocksdb::Status::OK() : s;
  }
  std::atomic<bool> stopped{false};
  static constexpr uint64_t kMinFreeBytesToResume = 64 << 20;
  std::string path;
  rocksdb::Env* env = nullptr;

  absl::StatusOr<std::optional<RecordMeta>> ReadMeta(int cf_index, std::string_view id) const {
    const Reader r = Read();
    std::string value;
    rocksdb::Status s = r.db->Get(rocksdb::ReadOptions(), r.Cf(cf_index),
                                rocksdb::Slice(id.data(), id.size()), &value);
    if (s.IsNotFound()) return std::optional<RecordMeta>();
    if (!s.ok()) return FromRocks(s, "read record");
    auto decoded = DecodeRecordValue(value);
    if (!decoded.ok()) return decoded.status();
    return std::optional<RecordMeta>(decoded->meta);
  }

  // Makes a committed erasure physical, then removes its pending marker:
  // flushes every memtable (so the write-ahead logs holding the old bytes
  // become obsolete and are deleted), then rewrites the SST files overlapping
  // the erased keys down to the bottommost level, where tombstones drop the
  // old values. Idempotent: a crash anywhere in here leaves the marker, and
  // Open (or a repeated Delete) runs it again. Outside the write lock:
  // readers and writers continue meanwhile.
  absl::Status FinishErasure(RecordKind kind, std::string_view id) {
    std::vector<rocksdb::ColumnFamilyHandle*> all;
    for (auto& h : cf) all.push_back(h.get());
    rocksdb::Status s = ResumeIfStopped();
    if (s.ok()) s = db->Flush(rocksdb::FlushOptions(), all);
    if (!s.ok()) {
      stopped = true;
      return FromRocks(s, "flush after delete");
    }
    rocksdb::CompactRangeOptions compact;
    compact.bottommost_level_compaction = rocksdb::BottommostLevelCompaction::kForce;
    const std::string id_end = absl::StrCat(Sv(id), std::string(1, '\0'));
    rocksdb::Slice begin(id.data(), id.size()), end(id_end);
    s = db->CompactRange(compact, Cf(CfOf(kind)), &begin, &end);
    if (!s.ok()) {
      stopped = true;
      return FromRocks(s, "compact after delete");
    }
    const std::string prefix = DerivedPrefix(kind, id);
    const std::string prefix_end = PrefixEnd(prefix);
    rocksdb::Slice mbegin(prefix), mend(prefix_end);
    for (int cf_index : {kCfMatches, kCfFeedback}) {
      s = db->CompactRange(compact, Cf(cf_index), &mbegin, &mend);
      if (!s.ok()) {
        stopped = true;
        return FromRocks(s, "compact derived data after delete");
      }
    }
    // The marker names only the id; it may stay in the new log until the
    // next flush.
    rocksdb::WriteBatch clear;
    clear.Delete(Cf(kCfMeta), ErasureKey(kind, id));
    return FromRocks(Write(write_options, &clear), "clear pending erasure");
  }

  // Whether an erasure of `id` was committed but not yet made physical.
  absl::StatusOr<bool> ErasurePending(RecordKind kind, std::string_view id) const {
    std::string value;
    rocksdb::Status s = db->Get(rocksdb::ReadOptions(), Cf(kCfMeta), ErasureKey(kind, id), &value);
    if (s.IsNotFound()) return false;
    if (!s.ok()) return FromRocks(s, "read pending erasure");
    return true;
  }

  // Finishes every pending erasure (at start-up). Returns how many.
  absl::StatusOr<size_t> FinishPendingErasures() {
    std::vector<std::pair<RecordKind, std::string>> pending;
    {
      std::unique_ptr<rocksdb::Iterator> it(db->NewIterator(rocksdb::ReadOptions(), Cf(kCfMeta)));
      const rocksdb::Slice prefix(kErasurePrefix);
      for (it->Seek(prefix); it->Valid() && it->key().starts_with(prefix); it->Next()) {
        std::string_view rest = it->key().ToStringView().substr(prefix.size());
        if (rest.empty()) continue;
        pending.emplace_back(static_cast<RecordKind>(rest[0]), std::string(rest.substr(1)));
      }
      if (!it->status().ok()) return FromRocks(it->status(), "scan pending erasures");
    }
    for (const auto& [kind, id] : pending) {
      if (absl::Status s = FinishErasure(kind, id); !s.ok()) {
        return absl::Status(s.code(), absl::StrCat("finishing the pending erasure of ",
                                                   Sv(RecordKindName(kind)), " ", id, ": ",
                                                   s.message()));
      }
    }
    return pending.size();
  }

  bool secondary = false;
  StoreOptions options;
  // A secondary's RocksDB instance. Its reads take a reference (Read()) and
  // ReopenSecondary replaces it; the old instance closes when its last
  // reader is done. A primary's instance is `db` and `cf` above.
  struct Instance {
    std::unique_ptr<rocksdb::DB> db;
    std::vector<std::unique_ptr<rocksdb::ColumnFamilyHandle>> cf;
    ~Instance() {
      cf.clear();
      if (db) db->Close().PermitUncheckedError();
    }
  };
  mutable absl::Mutex instance_mu;
  std::shared_ptr<Instance> instance ABSL_GUARDED_BY(instance_mu);
  // The instance a read uses, kept alive for as long as the read holds it.
  struct Reader {
    std::shared_ptr<Instance> keep;
    rocksdb::DB* db;
    const std::vector<std::unique_ptr<rocksdb::ColumnFamilyHandle>>* cf;
    rocksdb::ColumnFamilyHandle* Cf(int index) const { return (*cf)[index].get(); }
  };
  // Writes on a secondary fail before touching anything.
  absl::Status RefuseIfSecondary() const {
    if (!secondary) return absl::OkStatus();
    return absl::FailedPreconditionError(
        "this store is a read replica (a RocksDB secondary); it is never written");
  }
  Reader Read() const {
    if (!secondary) return Reader{nullptr, db.get(), &cf};
    absl::MutexLock lock(&instance_mu);
    return Reader{instance, instance->db.get(), &instance->cf};
  }
  // Loads the last record and audit sequences from the meta table.
  absl::Status ReadLastSequences() {
    std::string last, last_audit;
    rocksdb::Status s, audit_s;
    {
      const Reader r = Read();
      s = r.db->Get(rocksdb::ReadOptions(), r.Cf(kCfMeta), kLastSequenceKey, &last);
      audit_s = r.db->Get(rocksdb::ReadOptions(), r.Cf(kCfMeta), kLastAuditSequenceKey, &last_audit);
    }
    if (!s.ok() && !s.IsNotFound()) return FromRocks(s, "read last sequence");
    if (!audit_s.ok() && !audit_s.IsNotFound()) return FromRocks(audit_s, "read last audit sequence");
    absl::MutexLock lock(&write_mu);
    if (s.ok()) last_sequence = DecodeSequenceKey(last);
    if (audit_s.ok()) last_audit_sequence = DecodeSequenceKey(last_audit);
    return absl::OkStatus();
  }

  ~Db() {
    cf.clear();  // handles must go before the DB
    if (db) db->Close().PermitUncheckedError();
  }
};

}  // namespace jobmatch::storage::internal

#endif  // JOBMATCH_STORAGE_INTERNAL_DB_H_

#include "storage/store.h"

#include <algorithm>
#include <atomic>
#include <cstring>
#include <deque>
#include <filesystem>
#include <utility>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "rocksdb/cache.h"
#include "rocksdb/db.h"
#include "rocksdb/filter_policy.h"
#include "rocksdb/options.h"
#include "rocksdb/table.h"
#include "rocksdb/utilities/checkpoint.h"
#include "rocksdb/write_batch.h"
#include "storage/record_codec.h"

namespace jobmatch::storage {
namespace {

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
constexpr const char* kCfNames[kCfCount] = {
    "default", "seekers", "vacancies", "employers", "changes",
    "matches", "audit",   "feedback",  "meta"};
constexpr char kLastSequenceKey[] = "last_sequence";
constexpr char kLastAuditSequenceKey[] = "last_audit_sequence";
constexpr char kAuditAnchorKey[] = "audit_anchor";
// Pending erasures: "erasure/" + kind byte + id in the meta family, written in
// the erasure's own batch and removed once the erased bytes have left every
// file (see Store::Delete). Holds no personal data: the id is the opaque
// pseudonym the change log keeps too.
constexpr char kErasurePrefix[] = "erasure/";

int CfOf(RecordKind kind) {
  switch (kind) {
    case RecordKind::kSeeker: return kCfSeekers;
    case RecordKind::kVacancy: return kCfVacancies;
    case RecordKind::kEmployer: return kCfEmployers;
  }
  return kCfSeekers;
}

int CfOf(AuxTable table) {
  switch (table) {
    case AuxTable::kMatches: return kCfMatches;
    case AuxTable::kAudit: return kCfAudit;
    case AuxTable::kFeedback: return kCfFeedback;
    case AuxTable::kMeta: return kCfMeta;
  }
  return kCfMeta;
}

// Abseil here predates std::string_view interop (see STYLE.md).
absl::string_view Sv(std::string_view s) { return absl::string_view(s.data(), s.size()); }

absl::Status FromRocks(const rocksdb::Status& s, std::string_view what) {
  if (s.ok()) return absl::OkStatus();
  const std::string msg = absl::StrCat(Sv(what), ": ", s.ToString());
  if (s.IsNotFound()) return absl::NotFoundError(msg);
  if (s.severity() >= rocksdb::Status::Severity::kFatalError) {
    return absl::UnavailableError(absl::StrCat(
        Sv(what), ": storage stopped writing after a failed write (", s.ToString(),
        "); nothing acknowledged is lost and stored data stays readable; free space if the "
        "disk is full, then restart jobmatchd to write again"));
  }
  if (s.IsNoSpace()) {
    return absl::ResourceExhaustedError(absl::StrCat(
        Sv(what), ": the data folder's disk is full (", s.ToString(),
        "); nothing was stored. Stored data stays readable; writes work again once space is "
        "freed"));
  }
  if (s.IsCorruption()) return absl::DataLossError(msg);
  if (s.IsNotSupported()) return absl::FailedPreconditionError(msg);
  if (s.IsIOError() && s.ToString().find("lock") != std::string::npos) {
    return absl::FailedPreconditionError(
        absl::StrCat(Sv(what), ": the data folder is in use by another process (", s.ToString(), ")"));
  }
  return absl::InternalError(msg);
}

// Options for this workload: point lookups by id (API reads, version checks)
// and full scans at start-up (index rebuild), with modest write rates.
//  - Bloom filters (10 bits/key, ~1% false positives) make point lookups of
//    absent ids cheap; index and filter blocks live in the block cache.
//  - LZ4 for upper levels (fast), ZSTD at the bottom (records compress well,
//    most data sits there).
//  - WAL recycling stays off (the default): a recycled log could keep erased
//    bytes; obsolete logs are deleted.
//  - Two background jobs: this is a 2-core machine shared with scoring.
rocksdb::Options MakeOptions(const StoreOptions& store_options,
                             std::vector<rocksdb::ColumnFamilyDescriptor>* cfs) {
  rocksdb::Options options;
  options.create_if_missing = true;
  options.create_missing_column_families = true;
  options.paranoid_checks = true;
  options.max_background_jobs = 2;
  options.keep_log_file_num = 5;
  options.recycle_log_file_num = 0;
  options.WAL_ttl_seconds = 0;
  options.WAL_size_limit_MB = 0;
  if (store_options.env != nullptr) options.env = store_options.env;
  // No automatic resume after a failed write: on a disk that is still full
  // it would turn a resumable stop into one that needs a restart. The store
  // resumes on the next write once there is space (Impl::ResumeIfStopped).
  options.max_bgerror_resume_count = 0;

  rocksdb::BlockBasedTableOptions table;
  table.block_cache = rocksdb::NewLRUCache(store_options.block_cache_bytes);
  table.filter_policy.reset(rocksdb::NewBloomFilterPolicy(10));
  table.cache_index_and_filter_blocks = true;
  table.pin_l0_filter_and_index_blocks_in_cache = true;
  rocksdb::ColumnFamilyOptions cf_options(options);
  cf_options.table_factory.reset(rocksdb::NewBlockBasedTableFactory(table));
  cf_options.compression = rocksdb::kLZ4Compression;
  cf_options.bottommost_compression = rocksdb::kZSTD;
  for (const char* name : kCfNames) cfs->emplace_back(name, cf_options);
  return options;
}

std::string EncodeSequenceKey(uint64_t seq) {
  std::string key(8, '\0');
  for (int i = 7; i >= 0; --i) {
    key[i] = static_cast<char>(seq & 0xff);
    seq >>= 8;
  }
  return key;
}

uint64_t DecodeSequenceKey(std::string_view key) {
  uint64_t seq = 0;
  for (size_t i = 0; i < 8 && i < key.size(); ++i) {
    seq = (seq << 8) | static_cast<uint8_t>(key[i]);
  }
  return seq;
}

// Smallest key greater than every key with this prefix ("" if none exists).
std::string PrefixEnd(std::string prefix) {
  while (!prefix.empty()) {
    const unsigned char last = static_cast<unsigned char>(prefix.back());
    if (last != 0xff) {
      prefix.back() = static_cast<char>(last + 1);
      return prefix;
    }
    prefix.pop_back();
  }
  return prefix;
}

std::string ErasureKey(RecordKind kind, std::string_view id) {
  std::string key = kErasurePrefix;
  key.push_back(static_cast<char>(kind));
  key.append(id.data(), id.size());
  return key;
}

}  // namespace

std::string_view RecordKindName(RecordKind kind) {
  switch (kind) {
    case RecordKind::kSeeker: return "seeker";
    case RecordKind::kVacancy: return "vacancy";
    case RecordKind::kEmployer: return "employer";
  }
  return "record";
}

struct Store::Impl {
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
    const std::string prefix = Store::MatchKeyPrefix(kind, id);
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

  ~Impl() {
    cf.clear();  // handles must go before the DB
    if (db) db->Close().PermitUncheckedError();
  }
};

Store::Store(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Store::~Store() = default;

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
  const std::string prefix = MatchKeyPrefix(kind, id);
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

absl::Status Store::AuxPut(AuxTable table, std::string_view key, std::string_view value) {
  if (absl::Status refused = impl_->RefuseIfSecondary(); !refused.ok()) return refused;
  rocksdb::WriteBatch batch;
  batch.Put(impl_->Cf(CfOf(table)), rocksdb::Slice(key.data(), key.size()),
            rocksdb::Slice(value.data(), value.size()));
  return FromRocks(impl_->Write(impl_->write_options, &batch), "aux put");
}

absl::Status Store::AuxPutBatch(
    AuxTable table, const std::vector<std::pair<std::string, std::string>>& entries) {
  if (absl::Status refused = impl_->RefuseIfSecondary(); !refused.ok()) return refused;
  rocksdb::WriteBatch batch;
  for (const auto& [key, value] : entries) batch.Put(impl_->Cf(CfOf(table)), key, value);
  return FromRocks(impl_->Write(impl_->write_options, &batch), "aux put batch");
}

absl::Status Store::AuxWrite(AuxTable table,
                             const std::vector<std::pair<std::string, std::string>>& puts,
                             const std::vector<std::string>& deletes) {
  if (absl::Status refused = impl_->RefuseIfSecondary(); !refused.ok()) return refused;
  rocksdb::WriteBatch batch;
  for (const auto& [key, value] : puts) batch.Put(impl_->Cf(CfOf(table)), key, value);
  for (const auto& key : deletes) batch.Delete(impl_->Cf(CfOf(table)), key);
  return FromRocks(impl_->Write(impl_->write_options, &batch), "aux write");
}

absl::StatusOr<std::string> Store::AuxGet(AuxTable table, std::string_view key) const {
  const Impl::Reader db = impl_->Read();
  std::string value;
  rocksdb::Status s = db.db->Get(rocksdb::ReadOptions(), db.Cf(CfOf(table)),
                                     rocksdb::Slice(key.data(), key.size()), &value);
  if (!s.ok()) return FromRocks(s, absl::StrCat("aux get ", Sv(key)));
  return value;
}

absl::Status Store::AuxScanPrefix(
    AuxTable table, std::string_view prefix,
    const std::function<bool(std::string_view, std::string_view)>& fn) const {
  const Impl::Reader db = impl_->Read();
  std::unique_ptr<rocksdb::Iterator> it(
      db.db->NewIterator(rocksdb::ReadOptions(), db.Cf(CfOf(table))));
  for (it->Seek(rocksdb::Slice(prefix.data(), prefix.size()));
       it->Valid() && it->key().starts_with(rocksdb::Slice(prefix.data(), prefix.size()));
       it->Next()) {
    if (!fn(it->key().ToStringView(), it->value().ToStringView())) break;
  }
  return FromRocks(it->status(), "aux scan");
}

absl::StatusOr<uint64_t> Store::AppendAudit(
    const AuditEntryFn& audit, const std::vector<absl::StatusOr<WriteResult>>& results,
    AuditDurability durability) {
  if (absl::Status refused = impl_->RefuseIfSecondary(); !refused.ok()) return refused;
  if (!audit) return absl::InvalidArgumentError("audit: an entry function is required");
  // Group commit (as LevelDB's writer queue): the appender at the front of
  // the queue writes every entry queued behind it in one synced batch, so
  // concurrent appends share one fsync and still take sequences in order.
  Impl::AuditAppender self(&audit, &results, durability == AuditDurability::kSynced);
  absl::MutexLock queue_lock(&impl_->audit_queue_mu);
  impl_->audit_queue.push_back(&self);
  while (!self.done && impl_->audit_queue.front() != &self) {
    self.cv.Wait(&impl_->audit_queue_mu);
  }
  if (self.done) return self.result;
  constexpr size_t kMaxGroup = 256;
  std::vector<Impl::AuditAppender*> group(
      impl_->audit_queue.begin(),
      impl_->audit_queue.begin() + std::min(kMaxGroup, impl_->audit_queue.size()));
  impl_->audit_queue_mu.Unlock();
  {
    absl::MutexLock lock(&impl_->write_mu);
    rocksdb::WriteBatch batch;
    uint64_t next = impl_->last_audit_sequence + 1;
    std::vector<Impl::AuditAppender*> written;
    rocksdb::WriteOptions options = impl_->write_options;
    bool any_synced = false;
    for (Impl::AuditAppender* a : group) {
      auto value = (*a->fn)(next, *a->results);
      if (!value.ok()) {
        a->result = value.status();
        continue;
      }
      batch.Put(impl_->Cf(kCfAudit), EncodeSequenceKey(next), *value);
      any_synced |= a->sync;
      a->result = next++;
      written.push_back(a);
    }
    if (!written.empty()) {
      batch.Put(impl_->Cf(kCfMeta), kLastAuditSequenceKey, EncodeSequenceKey(next - 1));
      options.sync = options.sync && any_synced;
      rocksdb::Status s = impl_->Write(options, &batch);
      if (s.ok()) {
        impl_->last_audit_sequence = next - 1;
      } else {
        for (Impl::AuditAppender* a : written) a->result = FromRocks(s, "audit append");
      }
    }
  }
  impl_->audit_queue_mu.Lock();
  for (Impl::AuditAppender* a : group) {
    impl_->audit_queue.pop_front();
    a->done = true;
    if (a != &self) a->cv.Signal();
  }
  if (!impl_->audit_queue.empty()) impl_->audit_queue.front()->cv.Signal();
  return self.result;
}

absl::Status Store::ScanAudit(
    uint64_t after_sequence,
    const std::function<bool(uint64_t, std::string_view)>& fn) const {
  const Impl::Reader db = impl_->Read();
  std::unique_ptr<rocksdb::Iterator> it(
      db.db->NewIterator(rocksdb::ReadOptions(), db.Cf(kCfAudit)));
  for (it->Seek(EncodeSequenceKey(after_sequence + 1)); it->Valid(); it->Next()) {
    if (!fn(DecodeSequenceKey(it->key().ToStringView()), it->value().ToStringView())) break;
  }
  return FromRocks(it->status(), "audit scan");
}

uint64_t Store::LastAuditSequence() const {
  absl::MutexLock lock(&impl_->write_mu);
  return impl_->last_audit_sequence;
}

absl::Status Store::PruneAudit(uint64_t through_sequence, std::string_view anchor) {
  if (absl::Status refused = impl_->RefuseIfSecondary(); !refused.ok()) return refused;
  const std::string begin = EncodeSequenceKey(0);
  const std::string end = EncodeSequenceKey(through_sequence + 1);
  {
    absl::MutexLock lock(&impl_->write_mu);
    rocksdb::WriteBatch batch;
    batch.DeleteRange(impl_->Cf(kCfAudit), begin, end);
    batch.Put(impl_->Cf(kCfMeta), kAuditAnchorKey, rocksdb::Slice(anchor.data(), anchor.size()));
    rocksdb::Status s = impl_->Write(impl_->write_options, &batch);
    if (!s.ok()) return FromRocks(s, "audit prune");
  }
  // Flush every column family: the write-ahead logs holding the pruned
  // entries become obsolete only when no memtable needs them.
  std::vector<rocksdb::ColumnFamilyHandle*> all;
  for (auto& h : impl_->cf) all.push_back(h.get());
  rocksdb::Status s = impl_->ResumeIfStopped();
  if (s.ok()) s = impl_->db->Flush(rocksdb::FlushOptions(), all);
  if (!s.ok()) {
    impl_->stopped = true;
    return FromRocks(s, "flush after audit prune");
  }
  rocksdb::CompactRangeOptions compact;
  compact.bottommost_level_compaction = rocksdb::BottommostLevelCompaction::kForce;
  rocksdb::Slice b(begin), e(end);
  return FromRocks(impl_->db->CompactRange(compact, impl_->Cf(kCfAudit), &b, &e),
                   "compact after audit prune");
}

absl::StatusOr<std::string> Store::AuditAnchor() const {
  const Impl::Reader db = impl_->Read();
  std::string value;
  rocksdb::Status s =
      db.db->Get(rocksdb::ReadOptions(), db.Cf(kCfMeta), kAuditAnchorKey, &value);
  if (s.IsNotFound()) return absl::NotFoundError("audit log: never pruned");
  if (!s.ok()) return FromRocks(s, "audit anchor");
  return value;
}

absl::Status Store::TamperWithAuditForTest(uint64_t sequence, std::optional<std::string> value) {
  if (absl::Status refused = impl_->RefuseIfSecondary(); !refused.ok()) return refused;
  const std::string key = EncodeSequenceKey(sequence);
  rocksdb::WriteBatch batch;
  if (value) {
    batch.Put(impl_->Cf(kCfAudit), key, *value);
  } else {
    batch.Delete(impl_->Cf(kCfAudit), key);
  }
  rocksdb::Status s = impl_->Write(impl_->write_options, &batch);
  return FromRocks(s, "tamper with audit");
}

std::string Store::MatchKeyPrefix(RecordKind kind, std::string_view id) {
  return absl::StrCat(Sv(RecordKindName(kind)), "/", Sv(id), "/");
}

absl::Status Store::Checkpoint(const std::string& dir) const {
  const Impl::Reader db = impl_->Read();
  rocksdb::Checkpoint* raw = nullptr;
  rocksdb::Status s = rocksdb::Checkpoint::Create(db.db, &raw);
  if (!s.ok()) return FromRocks(s, "checkpoint");
  std::unique_ptr<rocksdb::Checkpoint> checkpoint(raw);
  return FromRocks(checkpoint->CreateCheckpoint(dir), absl::StrCat("checkpoint to ", dir));
}

}  // namespace jobmatch::storage

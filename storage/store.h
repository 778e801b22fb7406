// Store: jobmatch's durable source of truth, on RocksDB. Opens the data
// folder (one RocksDB instance) and is the record store: the records
// (seekers, vacancies, employers) with versions and a change log with a
// strictly increasing sequence. Beside them, over the same instance, live
// the typed stores for everything else, each with its own file:
//   audit()      AuditTable     the audit log's entries (audit_table.h)
//   snapshots()  SnapshotStore  the nightly rematch's runs (snapshot_store.h)
//   feedback()   FeedbackStore  recorded feedback (feedback_store.h)
// Nothing outside storage/ sees RocksDB or a key layout.
//
// Records are opaque payloads here (the server stores serialized jobmatch.v1
// messages; their compatibility rule is protobuf's: fields are only added).
//
// Thread safety: all methods may be called concurrently. Writes are serialized
// internally; each logical write is one synced RocksDB WriteBatch (record +
// version + change-log entry + last sequence), so a crash never leaves half a
// write and every acknowledged write survives power loss.
#ifndef JOBMATCH_STORAGE_STORE_H_
#define JOBMATCH_STORAGE_STORE_H_

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"

namespace rocksdb {
class Env;  // Test seam only: see StoreOptions::env.
}

namespace jobmatch::storage {

enum class RecordKind : uint8_t { kSeeker = 1, kVacancy = 2, kEmployer = 3 };
std::string_view RecordKindName(RecordKind kind);  // "seeker", ...

class AuditTable;
class SnapshotStore;
class FeedbackStore;
namespace internal {
struct Db;  // storage/internal/db.h, private to storage/
}

struct StoreOptions {
  // Data folder; created if missing.
  std::string path;
  // Sync the write-ahead log on every write (the durability guarantee). Only
  // tests turn this off, to prove the crash harness can see losses.
  bool sync_writes = true;
  // Block cache for point lookups.
  size_t block_cache_bytes = 64 << 20;
  // Open without writing anything (no lock taken: works while a jobmatchd
  // serves the folder; sees its state as of the open). Every write fails.
  bool read_only = false;
  // Read replica: if set, follow the store whose data folder this is (on
  // storage shared with its primary jobmatchd) as a RocksDB secondary
  // instance. `path` is then the replica's own folder for the secondary's
  // files (its info log); the primary's folder is never written. Every
  // write fails; CatchUpWithPrimary() brings in what the primary committed.
  std::string secondary_of = std::string();
  // Test seam: an Env wrapping a fault-injecting file system. Not owned.
  rocksdb::Env* env = nullptr;
};

struct RecordMeta {
  uint64_t version = 0;           // 1 on creation, +1 per update
  int64_t update_time_micros = 0;  // wall-clock time of the last write
  uint64_t sequence = 0;          // change-log sequence of the last write
};

struct StoredRecord {
  std::string id;
  RecordMeta meta;
  std::string payload;
};

struct WriteResult {
  uint64_t version = 0;
  uint64_t sequence = 0;
};

struct PutRequest {
  std::string id;
  std::string payload;
  // If set, the write succeeds only if the stored version equals it; 0 means
  // "must not exist".
  std::optional<uint64_t> expected_version;
};

enum class ChangeOp : uint8_t { kPut = 1, kDelete = 2 };

struct ChangeEntry {
  uint64_t sequence = 0;
  RecordKind kind = RecordKind::kSeeker;
  ChangeOp op = ChangeOp::kPut;
  std::string id;
  uint64_t version = 0;  // new version; for deletes the version erased
  int64_t time_micros = 0;
};

// Builds the value of audit entry `audit_sequence` for a write whose
// per-request outcomes are `results` (one result for Delete; the given
// results for AppendAudit). Called under the store's write lock, so entries
// are built in sequence order. An error fails the write. If the batch does
// not commit, nothing is appended and the next entry gets the same sequence
// (the function may then be called again).
using AuditEntryFn = std::function<absl::StatusOr<std::string>(
    uint64_t audit_sequence, const std::vector<absl::StatusOr<WriteResult>>& results)>;

// How an audit entry appended on its own is written (AuditTable::Append).
// kSynced: one synced batch, like a record write. kWritten: written to the
// write-ahead log without waiting for the disk: it survives a crash of the
// process (kill -9), and the next synced write of any kind makes it durable
// with it; only an operating-system crash or power loss in between can lose
// it (and then it loses the log's tail, never a link in the middle).
enum class AuditDurability { kSynced, kWritten };

struct RecordPage {
  std::vector<StoredRecord> records;
  // Id to pass as `after_id` for the next page; empty at the end.
  std::string next_after_id;
};

class Store {
 public:
  // Opens or creates the store at options.path. Errors:
  //  FailedPrecondition if another process holds the folder's lock;
  //  DataLoss if the folder is corrupt; Internal for other I/O errors.
  static absl::StatusOr<std::unique_ptr<Store>> Open(const StoreOptions& options);

  ~Store();
  // Erasures a crash had left pending that Open finished.
  size_t ErasuresFinishedAtOpen() const;
  Store(const Store&) = delete;
  Store& operator=(const Store&) = delete;

  // Creates or replaces record `id`. Aborted if expected_version mismatches.
  absl::StatusOr<WriteResult> Put(RecordKind kind, PutRequest request, absl::Time now,
                                  const AuditEntryFn& audit = nullptr);

  // Group commit: all accepted requests are written in one synced batch.
  // Returns one result per request, in order; a version conflict rejects only
  // that request. Requests for the same id apply in order.
  // With `audit`, the audit entry it builds is committed in the same batch,
  // also when every request was rejected (then it is the batch's only write);
  // if it cannot be built, nothing is written and every result is its error.
  std::vector<absl::StatusOr<WriteResult>> PutBatch(RecordKind kind,
                                                   std::vector<PutRequest> requests,
                                                   absl::Time now,
                                                   const AuditEntryFn& audit = nullptr);

  // NotFound if absent.
  absl::StatusOr<StoredRecord> Get(RecordKind kind, std::string_view id) const;

  // Erasure (GDPR art. 17): removes the record and the data derived from it
  // (its match lists in every rematch run, a seeker's feedback), then flushes
  // and compacts the affected ranges so the bytes leave every file in the
  // data folder. Returns
  // the change-log sequence. NotFound if absent; Aborted on version mismatch.
  // With `audit`, its entry is committed with the erasure, or on its own when
  // the erasure is refused (NotFound, Aborted). The audit table is not
  // touched otherwise: entries name records, they never copy their fields.
  //
  // Crash safety: the batch that erases also records the erasure as pending;
  // the marker is removed only after the flush and compactions. Open finishes
  // every pending erasure before returning, and a repeated Delete of an id
  // whose clean-up is still pending completes it (and still answers
  // NotFound). If the clean-up fails, the erasure is committed and the error
  // says it is pending.
  absl::StatusOr<uint64_t> Delete(RecordKind kind, std::string_view id,
                                  std::optional<uint64_t> expected_version,
                                  const AuditEntryFn& audit = nullptr);

  // Whether anything derived from record `id` (a rematch list in any run, a
  // seeker's feedback) can be read. After the record's erasure it must be
  // false; on a secondary, true then means a stale read (see
  // ReopenSecondary), which ReplicaFollower checks for every erasure.
  absl::StatusOr<bool> HasDerivedData(RecordKind kind, std::string_view id) const;

  // Records in id order, starting after `after_id` ("" = from the start).
  absl::StatusOr<RecordPage> List(RecordKind kind, std::string_view after_id,
                                  size_t limit) const;

  // Calls `fn` for every record of `kind` from one consistent snapshot (used
  // to rebuild the index at start-up). Stops early if fn returns false.
  absl::Status ForEach(RecordKind kind,
                       const std::function<bool(const StoredRecord&)>& fn) const;

  // Change-log entries with sequence > after_sequence, at most `limit`.
  absl::StatusOr<std::vector<ChangeEntry>> ReadChangesSince(uint64_t after_sequence,
                                                            size_t limit) const;

  // Sequence of the last acknowledged write (0 for an empty store). On a
  // secondary (StoreOptions::secondary_of): the primary's, as of the last
  // catch-up.
  uint64_t LastSequence() const;

  // Secondary only: reads what the primary has committed since the open or
  // the last catch-up (RocksDB's TryCatchUpWithPrimary, over the primary's
  // MANIFEST and write-ahead logs). Returns the new LastSequence().
  // FailedPrecondition on a store that is not a secondary. Reads may run
  // concurrently; call from one thread at a time.
  absl::StatusOr<uint64_t> CatchUpWithPrimary();
  // Secondary only: opens the primary's folder afresh and replaces the
  // instance (reads wait meanwhile). Needed because RocksDB 7.8's secondary
  // can keep serving a value replayed from a write-ahead log that the
  // primary has since flushed and superseded or erased (facebook/rocksdb
  // #15051, fixed upstream after 7.8): ReplicaFollower detects that and
  // reopens. Returns the new LastSequence().
  absl::StatusOr<uint64_t> ReopenSecondary();
  bool is_secondary() const;

  // The typed stores over the same RocksDB instance (see the file comment).
  // They live as long as the Store. On a secondary or read-only store every
  // write they take fails like a record write.
  AuditTable& audit();
  const AuditTable& audit() const;
  SnapshotStore& snapshots();
  const SnapshotStore& snapshots() const;
  FeedbackStore& feedback();
  const FeedbackStore& feedback() const;
  // Kept for the audit log's callers: storage::AuditDurability.
  using AuditDurability = ::jobmatch::storage::AuditDurability;

  // Writes a consistent, openable copy of the store to `dir` (must not exist),
  // using hard links where possible (RocksDB checkpoint).
  absl::Status Checkpoint(const std::string& dir) const;

 private:
  using Impl = internal::Db;
  explicit Store(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
  std::unique_ptr<AuditTable> audit_;
  std::unique_ptr<SnapshotStore> snapshots_;
  std::unique_ptr<FeedbackStore> feedback_;
};

}  // namespace jobmatch::storage

#endif  // JOBMATCH_STORAGE_STORE_H_

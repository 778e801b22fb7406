// Auditor: how audit entries are written, in one place. Each call's entry is
// started by its CallContext (server/call_context.h: method, caller, request
// id); the Auditor names the records a call used by kind, id, version and
// content hash (never their fields), commits a write's entry in the write's
// own storage batch, and enforces that a call whose entry cannot be written
// fails rather than going unlogged.
#ifndef JOBMATCH_SERVER_AUDIT_AUDITOR_H_
#define JOBMATCH_SERVER_AUDIT_AUDITOR_H_

#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "jobmatch/v1/audit_service.pb.h"
#include "server/audit/audit_log.h"
#include "server/audit/record_stamps.h"
#include "storage/store.h"

namespace jobmatch::audit {

// The caller of a call without authentication (local demo).
inline constexpr char kLocalDemoCaller[] = "local-demo";

class Auditor {
 public:
  // Not owned; must outlive the auditor.
  Auditor(AuditLog* log, const storage::Store* store)
      : log_(log), stamps_(std::make_unique<RecordStamps>(store)) {}

  // Names a record the call used, with the hash of its stored bytes.
  static void AddRecord(storage::RecordKind kind, std::string_view id, uint64_t version,
                        std::string_view stored_bytes, std::string_view use,
                        v1::AuditEntry* entry);
  // A record to be named as stored (version 0 and no hash if absent) when
  // the entry is completed: `position` is entry->records_size() when it was
  // named, so it keeps its place among the records named directly.
  struct StoredName {
    storage::RecordKind kind;
    std::string id;
    const char* use;  // "SUBJECT", "RETURNED"
    int position;
  };
  // Inserts `names` (in the order named) into `entry`, each with its
  // record's version and content hash as stored now, and clears `names`.
  // All are looked up at once (RecordStamps::GetAll): the store's sequence
  // is read once per call, not once per record, and since this runs when
  // the entry is completed — after the call read what it answers from —
  // no record is named at a version older than the one it had when the
  // call read it.
  void NameStored(std::vector<StoredName>* names, v1::AuditEntry* entry) const;

  // For a write of records `written` (id and stored bytes, in request order)
  // or, with `erase`, the erasure of one: the storage callback that commits
  // `entry`, completed with the outcome, in the write's own batch.
  storage::AuditEntryFn ForWrite(v1::AuditEntry entry, storage::RecordKind kind,
                                 std::vector<std::pair<std::string, std::string>> written,
                                 bool erase = false) const;

  // Appends `entry` with `status`'s code (a call that wrote nothing, or a
  // read). Returns `status`, or Unavailable when the entry could not be
  // written: the call must then fail and return nothing.
  //
  // Durability rule: the entry is in the write-ahead log before Finish
  // returns, so before the caller can see the answer (safe against a
  // process crash), but it is not waited for on disk
  // (Store::AuditDurability::kWritten): a synced append per query would make
  // every query wait for an fsync (measured: 3-5x slower), for a risk only
  // from power loss in the moment after a read. Concurrent appends are
  // group-committed (AuditTable::Append): the first caller in the queue
  // writes every entry queued behind it in one batch, and each caller
  // returns once the batch holding its entry is written, so the cost is
  // shared and the rule above still holds for every caller.
  absl::Status Finish(v1::AuditEntry entry, const absl::Status& status) const;
  // The same for an entry the caller keeps (a call's entry on its arena):
  // completed and sealed in place, not copied.
  absl::Status Finish(v1::AuditEntry* entry, const absl::Status& status) const;

  AuditLog& log() const { return *log_; }
  // Thread-safe; seeded at start-up (JobmatchService).
  RecordStamps& stamps() const { return *stamps_; }

 private:
  AuditLog* const log_;
  const std::unique_ptr<RecordStamps> stamps_;
};

}  // namespace jobmatch::audit

#endif  // JOBMATCH_SERVER_AUDIT_AUDITOR_H_

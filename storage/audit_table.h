// AuditTable: the audit log's storage, over the store's RocksDB instance.
// Values keyed by a gap-free audit sequence (1, 2, ...), written only by
// Append and by the record writes that take an AuditEntryFn (Store::Put,
// PutBatch, Delete: the entry commits in the write's own batch), removed only
// by Prune. Storage does not interpret the values (server/audit/ seals them
// into a hash chain).
//
// Thread safety: all methods may be called concurrently. Entries are built
// under the store's write lock, so they are built in sequence order.
#ifndef JOBMATCH_STORAGE_AUDIT_TABLE_H_
#define JOBMATCH_STORAGE_AUDIT_TABLE_H_

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "storage/store.h"

namespace jobmatch::storage {

class AuditTable {
 public:
  // Store makes the one instance; `db` outlives it.
  explicit AuditTable(internal::Db* db) : db_(db) {}
  AuditTable(const AuditTable&) = delete;
  AuditTable& operator=(const AuditTable&) = delete;

  // Appends one entry on its own; returns its sequence. Durability: see
  // AuditDurability. Concurrent appends share one write (group commit),
  // synced if any of them asks for it.
  absl::StatusOr<uint64_t> Append(const AuditEntryFn& audit,
                                  const std::vector<absl::StatusOr<WriteResult>>& results = {},
                                  AuditDurability durability = AuditDurability::kSynced);
  // Retained entries with sequence > after_sequence, in order, until `fn`
  // returns false.
  absl::Status Scan(uint64_t after_sequence,
                    const std::function<bool(uint64_t sequence, std::string_view value)>& fn) const;
  // Sequence of the last entry appended (0 if none).
  uint64_t LastSequence() const;
  // Removes entries 1..through_sequence and stores `anchor` (the caller's
  // record of where the retained log starts) in one synced batch, then
  // compacts the range so the removed bytes leave the data folder.
  absl::Status Prune(uint64_t through_sequence, std::string_view anchor);
  // The last anchor stored by Prune; NotFound if never pruned.
  absl::StatusOr<std::string> Anchor() const;
  // Tests only: replaces the stored value of entry `sequence`, or deletes it
  // when `value` is nullopt, bypassing every rule above (to prove that
  // tampering is detected).
  absl::Status TamperForTest(uint64_t sequence, std::optional<std::string> value);

 private:
  internal::Db* const db_;
};

}  // namespace jobmatch::storage

#endif  // JOBMATCH_STORAGE_AUDIT_TABLE_H_

// AuditLog: jobmatchd's append-only, hash-chained audit log, kept in the
// store's audit table. Each entry is stored with its link in the chain,
// hash = SHA-256(previous hash || the entry's exact bytes), so an entry that
// is removed or altered afterwards breaks the chain at a point Verify names.
// Retention prunes the oldest entries and keeps an anchor (the last pruned
// entry's sequence and hash) so the retained chain still verifies.
//
// Thread safety: all methods may be called concurrently. Entries are sealed
// under the store's write lock, so the chain follows the audit sequence.
#ifndef JOBMATCH_SERVER_AUDIT_AUDIT_LOG_H_
#define JOBMATCH_SERVER_AUDIT_AUDIT_LOG_H_

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "jobmatch/v1/audit_service.pb.h"
#include "storage/store.h"

namespace jobmatch::audit {

// "jobmatch <version> (<git describe at configure time>)".
const std::string& BuildId();

// Lower-case hex SHA-256 of `bytes`: how entries name a record's content.
std::string ContentSha256(std::string_view bytes);

struct AuditLogOptions {
  // Entries older than this are pruned by Prune(). At least six months by
  // default (AI Act deployers' log keeping).
  absl::Duration retention = absl::Hours(24 * 183);
  // Entry times; tests move it.
  std::function<absl::Time()> clock = [] { return absl::Now(); };
  std::string build_id = BuildId();
};

class AuditLog {
 public:
  // `store` is not owned and must outlive the log.
  AuditLog(storage::Store* store, AuditLogOptions options);

  // Fills in the outcome of a write from its per-request results.
  using Completion = std::function<void(
      const std::vector<absl::StatusOr<storage::WriteResult>>& results, v1::AuditEntry* entry)>;

  // The storage callback that completes `entry` (with `complete`, if given),
  // sets its sequence, time and build id and seals it into the chain, for a
  // write that commits the entry in its own batch (Store::PutBatch, Delete,
  // AuditTable::Append).
  storage::AuditEntryFn Sealer(v1::AuditEntry entry, Completion complete = nullptr);

  // Appends `entry` on its own. Returns its sequence. Durability as
  // storage::AuditTable::Append: kSynced waits for the disk, kWritten only
  // for the write-ahead log (safe against a process crash).
  absl::StatusOr<uint64_t> Append(
      v1::AuditEntry entry,
      storage::Store::AuditDurability durability = storage::Store::AuditDurability::kSynced);
  // The same for an entry the caller keeps (e.g. on its call's arena): it is
  // sealed in place (sequence, time and build id set), not copied.
  absl::StatusOr<uint64_t> AppendInPlace(v1::AuditEntry* entry,
                                         storage::Store::AuditDurability durability);

  // Retained entries with sequence > after_sequence, in order, until `fn`
  // returns false. DataLoss for an entry that does not parse.
  absl::Status Scan(uint64_t after_sequence,
                    const std::function<bool(const v1::AuditEntry&)>& fn) const;
  // NotFound if pruned or never written.
  absl::StatusOr<v1::AuditEntry> Get(uint64_t sequence) const;

  // Walks the retained chain from the anchor to the last entry.
  absl::StatusOr<v1::VerifyAuditChainResponse> Verify() const;

  // Removes the entries older than the retention period, keeping the chain
  // verifiable. Returns how many were removed.
  absl::StatusOr<size_t> Prune();

  const std::string& build_id() const { return options_.build_id; }

 private:
  // Seals `entry` as entry `sequence`: the stored AuditLink bytes. Called by
  // the store under its write lock.
  absl::StatusOr<std::string> Seal(uint64_t sequence, v1::AuditEntry* entry)
      ABSL_LOCKS_EXCLUDED(mu_);
  // Hash of entry `sequence` (or of the anchor when that is it).
  absl::StatusOr<std::string> HashOf(uint64_t sequence) const;

  storage::Store* const store_;
  const AuditLogOptions options_;

  absl::Mutex mu_;
  // The last entry sealed (it may not have committed: a mismatch with the
  // sequence being sealed means "read it back from storage").
  uint64_t head_sequence_ ABSL_GUARDED_BY(mu_) = 0;
  std::string head_hash_ ABSL_GUARDED_BY(mu_);
};

}  // namespace jobmatch::audit

#endif  // JOBMATCH_SERVER_AUDIT_AUDIT_LOG_H_

// RecordStamps: what an audit entry says about a stored record — its version
// and the SHA-256 of its stored bytes — remembered between calls, so that a
// query naming the twenty records it returns does not read and hash each of
// them from storage again (measured: 17 % of a loaded server's CPU, see
// docs/benchmarks.md "Where a call's time goes").
//
// Staying exact: every write of a record commits a change-log entry in the
// same batch (storage/store.h). Before each lookup the stamps catch up with
// the change log and forget every record written or erased since, so a stamp
// is never older than the record as stored when the lookup began. A stamp is
// remembered only if no catch-up ran while it was being read, so a read that
// raced a write cannot leave a stale stamp behind.
//
// One lookup per call: GetAll() looks up all the records a call names at
// once — the store's sequence is read once (Store::LastSequence, which waits
// for a write in flight) and the stamps catch up once, under one lock — so
// every stamp is at least as new as its record was when GetAll began. The
// Auditor calls it when the call's entry is completed (auditor.h), after
// the call has read everything it answers from.
//
// Seeded at start-up: the index rebuild reads every seeker and vacancy
// anyway, so it hands each to Seed() (BeginSeeding first) and a query's own
// seeker or vacancy — which a load of queries about ever different records
// would otherwise read and hash from storage on every call — is a hit from
// the first call. Seeding is exact by the same rule: the pass over the store
// begins after `as_of` (the store's sequence) was read, so every seeded stamp
// is at least as new as its record was at `as_of`, and the first lookup
// catches up from `as_of`, forgetting whatever was written since.
//
// Written through (session 7): a record written through the API is named by
// the write's own audit entry with the hash of the bytes it stores, so the
// Auditor hands that stamp over as the write is sealed (Written()). It is
// kept aside until the catch-up reads the write's change-log entry — proof
// that it committed — and only then remembered, if the entry's version is
// the one handed over; any other change to the record (a later write, an
// erasure) forgets it as before. So a record written after start-up (the
// vacancies of an import, a seeker's update) is a hit at its next lookup
// instead of a store read and hash (at national scale 10 % of a loaded
// server's CPU, docs/benchmarks.md "session 7"), and a stamp is still never
// older than the record as stored when the lookup began.
//
// Thread safety: all methods may be called concurrently.
#ifndef JOBMATCH_SERVER_AUDIT_RECORD_STAMPS_H_
#define JOBMATCH_SERVER_AUDIT_RECORD_STAMPS_H_

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/synchronization/mutex.h"
#include "storage/store.h"

namespace jobmatch::audit {

struct RecordStamp {
  uint64_t version = 0;        // 0: not stored
  std::string content_sha256;  // lower-case hex of the stored bytes; empty if not stored
};

class RecordStamps {
 public:
  // Most stamps kept; when full, all are forgotten (they are rebuilt by use).
  static constexpr size_t kDefaultCapacity = 1 << 18;

  // `store` is not owned and must outlive this.
  explicit RecordStamps(const storage::Store* store, size_t capacity = kDefaultCapacity)
      : store_(store), capacity_(capacity) {}

  // The record as stored now (version 0 and no hash if absent or unreadable).
  RecordStamp Get(storage::RecordKind kind, std::string_view id);

  struct Lookup {
    storage::RecordKind kind;
    std::string_view id;
  };
  // Each record as stored now, in the order asked: Get() for many records
  // with one read of the store's sequence and one catch-up.
  std::vector<RecordStamp> GetAll(const std::vector<Lookup>& records);

  // Seeding (see above). BeginSeeding(as_of), with `as_of` the store's
  // sequence read before the pass over the store began, returns the token
  // to seed with, or nullopt when stamps have already caught up past
  // `as_of` (a seeded stamp could then be older than a write already
  // forgotten, so nothing is seeded). Seed() remembers the record `id` as
  // read in that pass (version and stored bytes, hashed here); it is a
  // no-op once a catch-up has run since BeginSeeding (the record may have
  // been written meanwhile). The capacity grows to what is seeded plus a
  // quarter of the default.
  std::optional<uint64_t> BeginSeeding(uint64_t as_of);
  void Seed(uint64_t token, storage::RecordKind kind, std::string_view id, uint64_t version,
            std::string_view stored_bytes);

  // The stamp of record `id` as a write being committed stores it: version
  // `version`, `content_sha256` (lower-case hex) of its stored bytes.
  // Remembered when the catch-up reads that write's change-log entry with
  // this version (so only once it committed); a write that fails is never
  // remembered. Call it before the write can commit (the Auditor calls it
  // while the write's audit entry is sealed, under the store's write lock).
  // `sequence` is the write's change-log sequence (WriteResult::sequence):
  // the change-log entry must carry both it and `version`.
  void Written(storage::RecordKind kind, std::string_view id, uint64_t version, uint64_t sequence,
               std::string_view content_sha256);

  // For tests and the benchmark's breakdown.
  uint64_t hits() const;
  uint64_t misses() const;
  size_t size() const;

 private:
  // Kept compactly (a national data set seeds ~310,000): the digest in
  // binary, written out in hex when looked up.
  struct Kept {
    uint64_t version = 0;
    bool stored = false;
    unsigned char sha256[32] = {};
  };
  static Kept Keep(const RecordStamp& stamp);
  static RecordStamp Stamp(const Kept& kept);
  static std::string Key(storage::RecordKind kind, std::string_view id);
  // Inserts, forgetting all first when full.
  void InsertLocked(std::string key, const Kept& kept) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // Forgets what was written or erased through sequence `last`.
  void CatchUpLocked(uint64_t last) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

  const storage::Store* const store_;
  size_t capacity_ ABSL_GUARDED_BY(mu_);

  mutable absl::Mutex mu_;
  // The change-log sequence through which writes have been forgotten.
  uint64_t synced_ ABSL_GUARDED_BY(mu_) = 0;
  bool primed_ ABSL_GUARDED_BY(mu_) = false;
  // +1 at every catch-up that forgets writes: a stamp read meanwhile is not kept.
  uint64_t generation_ ABSL_GUARDED_BY(mu_) = 0;
  absl::flat_hash_map<std::string, Kept> stamps_ ABSL_GUARDED_BY(mu_);
  // Handed over by Written(), not yet seen committed in the change log.
  struct Handed {
    Kept kept;
    uint64_t sequence = 0;
  };
  absl::flat_hash_map<std::string, Handed> written_ ABSL_GUARDED_BY(mu_);
  uint64_t hits_ ABSL_GUARDED_BY(mu_) = 0;
  uint64_t misses_ ABSL_GUARDED_BY(mu_) = 0;
};

}  // namespace jobmatch::audit

#endif  // JOBMATCH_SERVER_AUDIT_RECORD_STAMPS_H_

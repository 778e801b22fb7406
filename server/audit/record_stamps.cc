#include "server/audit/record_stamps.h"

#include <algorithm>
#include <utility>

#include "absl/strings/escaping.h"
#include "server/audit/audit_log.h"

namespace jobmatch::audit {
namespace {

// The change log is read in pages of this many entries. More changes than
// kMaxChangesRead since the last catch-up: forget every stamp rather than
// read them all. A bulk import of tens of thousands of records between two
// lookups is read through (once), so it does not throw away the stamps
// seeded at start-up.
constexpr size_t kChangesPage = 4096;
constexpr size_t kMaxChangesRead = 1 << 16;

}  // namespace

RecordStamps::Kept RecordStamps::Keep(const RecordStamp& stamp) {
  Kept kept;
  kept.version = stamp.version;
  const std::string digest = absl::HexStringToBytes(stamp.content_sha256);
  if (!stamp.content_sha256.empty() && digest.size() == sizeof(kept.sha256)) {
    kept.stored = true;
    std::copy(digest.begin(), digest.end(), kept.sha256);
  }
  return kept;
}

RecordStamp RecordStamps::Stamp(const Kept& kept) {
  RecordStamp stamp;
  stamp.version = kept.version;
  if (kept.stored) {
    static constexpr char kHex[] = "0123456789abcdef";
    stamp.content_sha256.resize(2 * sizeof(kept.sha256));
    for (size_t i = 0; i < sizeof(kept.sha256); ++i) {
      stamp.content_sha256[2 * i] = kHex[kept.sha256[i] >> 4];
      stamp.content_sha256[2 * i + 1] = kHex[kept.sha256[i] & 15];
    }
  }
  return stamp;
}

std::string RecordStamps::Key(storage::RecordKind kind, std::string_view id) {
  std::string key;
  key.reserve(id.size() + 1);
  key.push_back(static_cast<char>(kind));
  key.append(id.data(), id.size());
  return key;
}

void RecordStamps::CatchUpLocked(uint64_t last) {
  if (!primed_) {
    primed_ = true;  // nothing remembered yet, so nothing to forget
    synced_ = last;
    return;
  }
  if (last <= synced_) return;
  size_t read = 0;
  while (true) {
    auto changes = store_->ReadChangesSince(synced_, kChangesPage);
    if (!changes.ok() || read + changes->size() > kMaxChangesRead) {
      stamps_.clear();
      written_.clear();
      break;
    }
    read += changes->size();
    for (const storage::ChangeEntry& c : *changes) {
      std::string key = Key(c.kind, c.id);
      stamps_.erase(key);
      if (auto w = written_.find(key); w != written_.end()) {
        // The write handed over is committed at this entry: remembered. A
        // stamp handed over for another version (a write that failed, or
        // one this entry supersedes) is dropped.
        if (c.op == storage::ChangeOp::kPut && w->second.kept.version == c.version &&
            w->second.sequence == c.sequence) {
          const Kept kept = w->second.kept;
          written_.erase(w);
          InsertLocked(std::move(key), kept);
        } else if (c.op == storage::ChangeOp::kDelete || w->second.sequence <= c.sequence) {
          written_.erase(w);
        }
      }
      synced_ = std::max(synced_, c.sequence);
    }
    if (changes->size() < kChangesPage || synced_ >= last) break;
  }
  synced_ = std::max(synced_, last);
  ++generation_;
}

RecordStamp RecordStamps::Get(storage::RecordKind kind, std::string_view id) {
  return std::move(GetAll({Lookup{kind, id}})[0]);
}

std::vector<RecordStamp> RecordStamps::GetAll(const std::vector<Lookup>& records) {
  std::vector<RecordStamp> out(records.size());
  if (records.empty()) return out;
  // Outside mu_: it waits for the store's write lock (a write in flight), so
  // every write acknowledged before this call is at or below `last`.
  const uint64_t last = store_->LastSequence();
  std::vector<std::string> keys;
  keys.reserve(records.size());
  for (const Lookup& r : records) keys.push_back(Key(r.kind, r.id));
  std::vector<size_t> missed;
  uint64_t generation = 0;
  {
    absl::MutexLock lock(&mu_);
    CatchUpLocked(last);
    // The table is far larger than the caches (a national data set seeds
    // ~310,000 stamps), so each lookup misses; fetched for all records first,
    // the misses overlap instead of following one another
    // (bench/server/audit_bench.cc).
    for (const std::string& key : keys) stamps_.prefetch(key);
    for (size_t i = 0; i < keys.size(); ++i) {
      if (auto it = stamps_.find(keys[i]); it != stamps_.end()) {
        out[i] = Stamp(it->second);
      } else {
        missed.push_back(i);
      }
    }
    hits_ += keys.size() - missed.size();
    misses_ += missed.size();
    generation = generation_;
  }
  if (missed.empty()) return out;
  std::vector<size_t> readable;
  readable.reserve(missed.size());
  for (size_t i : missed) {
    auto stored = store_->Get(records[i].kind, records[i].id);
    if (stored.ok()) {
      out[i].version = stored->meta.version;
      out[i].content_sha256 = ContentSha256(stored->payload);
    } else if (!absl::IsNotFound(stored.status())) {
      continue;  // unreadable: named without version, and not remembered
    }
    readable.push_back(i);
  }
  absl::MutexLock lock(&mu_);
  // A catch-up meanwhile may have forgotten a write these reads missed.
  if (generation_ != generation) return out;
  for (size_t i : readable) InsertLocked(std::move(keys[i]), Keep(out[i]));
  return out;
}

void RecordStamps::InsertLocked(std::string key, const Kept& kept) {
  if (stamps_.size() >= capacity_) {
    // Forgetting is always safe; what is inserted after it was read after
    // the last catch-up, so it is as exact as before.
    stamps_.clear();
  }
  stamps_.insert_or_assign(std::move(key), kept);
}

std::optional<uint64_t> RecordStamps::BeginSeeding(uint64_t as_of) {
  absl::MutexLock lock(&mu_);
  CatchUpLocked(as_of);
  // Caught up past `as_of` already: a write in between may have been
  // forgotten before the pass read its record, so seeding would not be exact.
  if (synced_ != as_of) return std::nullopt;
  return generation_;
}

void RecordStamps::Seed(uint64_t token, storage::RecordKind kind, std::string_view id,
                        uint64_t version, std::string_view stored_bytes) {
  // Hashed outside the lock.
  const Kept kept = Keep({version, ContentSha256(stored_bytes)});
  std::string key = Key(kind, id);
  absl::MutexLock lock(&mu_);
  if (generation_ != token) return;  // a catch-up ran: the record may be newer now
  // Seeded stamps are not to be forgotten for lack of room: the capacity
  // grows with them, keeping room for records looked up later.
  capacity_ = std::max(capacity_, stamps_.size() + 1 + kDefaultCapacity / 4);
  InsertLocked(std::move(key), kept);
}

void RecordStamps::Written(storage::RecordKind kind, std::string_view id, uint64_t version,
                           uint64_t sequence, std::string_view content_sha256) {
  const Kept kept = Keep({version, std::string(content_sha256)});
  if (!kept.stored || version == 0) return;
  std::string key = Key(kind, id);
  absl::MutexLock lock(&mu_);
  // Bounded: writes that never commit (failed batches) would otherwise stay.
  // Forgetting what was handed over is always safe.
  if (written_.size() >= capacity_) written_.clear();
  written_.insert_or_assign(std::move(key), Handed{kept, sequence});
}

uint64_t RecordStamps::hits() const {
  absl::MutexLock lock(&mu_);
  return hits_;
}

uint64_t RecordStamps::misses() const {
  absl::MutexLock lock(&mu_);
  return misses_;
}

size_t RecordStamps::size() const {
  absl::MutexLock lock(&mu_);
  return stamps_.size();
}

}  // namespace jobmatch::audit

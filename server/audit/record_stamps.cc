#include "server/audit/record_stamps.h"

#include <algorithm>
#include <utility>

#include "server/audit/audit_log.h"

namespace jobmatch::audit {
namespace {

// More changes than this since the last catch-up: forget every stamp rather
// than read them all.
constexpr size_t kMaxChangesRead = 1024;

}  // namespace

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
  auto changes = store_->ReadChangesSince(synced_, kMaxChangesRead);
  if (!changes.ok() || changes->size() == kMaxChangesRead) {
    stamps_.clear();
  } else {
    for (const storage::ChangeEntry& c : *changes) {
      stamps_.erase(Key(c.kind, c.id));
      synced_ = std::max(synced_, c.sequence);
    }
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
    for (size_t i = 0; i < keys.size(); ++i) {
      if (auto it = stamps_.find(keys[i]); it != stamps_.end()) {
        out[i] = it->second;
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
  for (size_t i : readable) {
    if (stamps_.size() >= capacity_) {
      // Forgetting is always safe; what is inserted after it was read
      // after the catch-up above, so it is as exact as before.
      stamps_.clear();
    }
    stamps_.emplace(std::move(keys[i]), out[i]);
  }
  return out;
}

uint64_t RecordStamps::hits() const {
  absl::MutexLock lock(&mu_);
  return hits_;
}

uint64_t RecordStamps::misses() const {
  absl::MutexLock lock(&mu_);
  return misses_;
}

}  // namespace jobmatch::audit

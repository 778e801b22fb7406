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

RecordStamp RecordStamps::Get(storage::RecordKind kind, std::string_view id) {
  // Outside mu_: it waits for the store's write lock.
  const uint64_t last = store_->LastSequence();
  std::string key = Key(kind, id);
  uint64_t generation = 0;
  {
    absl::MutexLock lock(&mu_);
    if (!primed_) {
      primed_ = true;  // nothing remembered yet, so nothing to forget
      synced_ = last;
    } else if (last > synced_) {
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
    if (auto it = stamps_.find(key); it != stamps_.end()) {
      ++hits_;
      return it->second;
    }
    ++misses_;
    generation = generation_;
  }
  RecordStamp stamp;
  auto stored = store_->Get(kind, id);
  if (stored.ok()) {
    stamp.version = stored->meta.version;
    stamp.content_sha256 = ContentSha256(stored->payload);
  } else if (!absl::IsNotFound(stored.status())) {
    return stamp;  // unreadable: named without version, and not remembered
  }
  absl::MutexLock lock(&mu_);
  // A catch-up meanwhile may have forgotten a write this read missed.
  if (generation_ != generation) return stamp;
  if (stamps_.size() >= capacity_) {
    stamps_.clear();
    ++generation_;
  }
  stamps_.emplace(std::move(key), stamp);
  return stamp;
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

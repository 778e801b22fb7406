#include "server/audit/audit_log.h"

#include <openssl/evp.h>
#include <openssl/sha.h>

#include <memory>
#include <utility>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "storage/audit_table.h"

namespace jobmatch::audit {
namespace {

constexpr size_t kHashBytes = SHA256_DIGEST_LENGTH;

// SHA-256 fetched once: OpenSSL 3's one-shot SHA256() looks the algorithm
// up on every call (EVP_MD_fetch, 1.5 % of a loaded server's CPU, see
// docs/benchmarks.md "Where a call's time goes").
const EVP_MD* Sha256Md() {
  static const EVP_MD* const md = [] {
    const EVP_MD* fetched = EVP_MD_fetch(nullptr, "SHA256", nullptr);
    return fetched != nullptr ? fetched : EVP_sha256();
  }();
  return md;
}

struct MdCtxFree {
  void operator()(EVP_MD_CTX* ctx) const { EVP_MD_CTX_free(ctx); }
};

// SHA-256(a || b), without joining them.
std::string Sha256(std::string_view a, std::string_view b) {
  thread_local std::unique_ptr<EVP_MD_CTX, MdCtxFree> ctx(EVP_MD_CTX_new());
  unsigned char digest[kHashBytes];
  unsigned int size = 0;
  if (ctx == nullptr || EVP_DigestInit_ex2(ctx.get(), Sha256Md(), nullptr) != 1 ||
      EVP_DigestUpdate(ctx.get(), a.data(), a.size()) != 1 ||
      EVP_DigestUpdate(ctx.get(), b.data(), b.size()) != 1 ||
      EVP_DigestFinal_ex(ctx.get(), digest, &size) != 1 || size != kHashBytes) {
    // Not expected; the plain one-shot form as a fallback.
    std::string joined;
    joined.reserve(a.size() + b.size());
    joined.append(a.data(), a.size()).append(b.data(), b.size());
    SHA256(reinterpret_cast<const unsigned char*>(joined.data()), joined.size(), digest);
  }
  return std::string(reinterpret_cast<const char*>(digest), kHashBytes);
}

std::string Hex(std::string_view bytes) {
  return absl::BytesToHexString(absl::string_view(bytes.data(), bytes.size()));
}

absl::StatusOr<v1::AuditLink> ParseLink(uint64_t sequence, std::string_view value) {
  v1::AuditLink link;
  if (!link.ParseFromArray(value.data(), static_cast<int>(value.size()))) {
    return absl::DataLossError(absl::StrCat("audit entry ", sequence, " does not parse"));
  }
  return link;
}

absl::StatusOr<std::optional<v1::AuditAnchor>> ReadAnchor(const storage::Store& store) {
  auto value = store.audit().Anchor();
  if (absl::IsNotFound(value.status())) return std::optional<v1::AuditAnchor>();
  if (!value.ok()) return value.status();
  v1::AuditAnchor anchor;
  if (!anchor.ParseFromString(*value)) return absl::DataLossError("audit anchor does not parse");
  return std::optional<v1::AuditAnchor>(std::move(anchor));
}

}  // namespace

#ifndef JOBMATCH_BUILD_ID
#define JOBMATCH_BUILD_ID "unknown"
#endif

const std::string& BuildId() {
  static const std::string* id = new std::string(JOBMATCH_BUILD_ID);
  return *id;
}

std::string ContentSha256(std::string_view bytes) { return Hex(Sha256(bytes, "")); }

AuditLog::AuditLog(storage::Store* store, AuditLogOptions options)
    : store_(store), options_(std::move(options)) {}

storage::AuditEntryFn AuditLog::Sealer(v1::AuditEntry entry, Completion complete) {
  return [this, entry = std::move(entry), complete = std::move(complete)](
             uint64_t sequence,
             const std::vector<absl::StatusOr<storage::WriteResult>>& results) mutable
         -> absl::StatusOr<std::string> {
    // Sealing sets only sequence, time and build id, so an entry without a
    // completion is sealed in place (no copy); a completion adds records, so
    // it works on a copy: the store may call again after a failed batch.
    if (!complete) return Seal(sequence, &entry);
    v1::AuditEntry sealed = entry;
    complete(results, &sealed);
    return Seal(sequence, &sealed);
  };
}

absl::StatusOr<uint64_t> AuditLog::Append(v1::AuditEntry entry,
                                          storage::Store::AuditDurability durability) {
  return store_->audit().Append(Sealer(std::move(entry)), {}, durability);
}

absl::StatusOr<uint64_t> AuditLog::AppendInPlace(v1::AuditEntry* entry,
                                                 storage::Store::AuditDurability durability) {
  // Called again after a failed batch, it seals again: only sequence, time
  // and build id change.
  return store_->audit().Append(
      [this, entry](uint64_t sequence, const std::vector<absl::StatusOr<storage::WriteResult>>&)
          -> absl::StatusOr<std::string> { return Seal(sequence, entry); },
      {}, durability);
}

absl::StatusOr<std::string> AuditLog::HashOf(uint64_t sequence) const {
  if (sequence == 0) return std::string(kHashBytes, '\0');
  std::string hash;
  bool found = false;
  absl::Status s = store_->audit().Scan(sequence - 1, [&](uint64_t seq, std::string_view value) {
    if (seq != sequence) return false;
    auto link = ParseLink(seq, value);
    if (link.ok()) {
      hash = link->hash();
      found = true;
    }
    return false;
  });
  if (!s.ok()) return s;
  if (found) return hash;
  auto anchor = ReadAnchor(*store_);
  if (!anchor.ok()) return anchor.status();
  if (anchor->has_value() && (*anchor)->sequence() == sequence) return (*anchor)->hash();
  return absl::DataLossError(
      absl::StrCat("audit entry ", sequence, " is missing: cannot chain the next entry"));
}

absl::StatusOr<std::string> AuditLog::Seal(uint64_t sequence, v1::AuditEntry* entry) {
  entry->set_sequence(sequence);
  entry->set_time_micros(absl::ToUnixMicros(options_.clock()));
  entry->set_build_id(options_.build_id);
  absl::MutexLock lock(&mu_);
  std::string previous;
  if (head_sequence_ + 1 == sequence && !head_hash_.empty()) {
    previous = head_hash_;
  } else {
    auto hash = HashOf(sequence - 1);
    if (!hash.ok()) return hash.status();
    previous = std::move(*hash);
  }
  v1::AuditLink link;
  entry->SerializeToString(link.mutable_entry());
  link.set_previous_hash(previous);
  link.set_hash(Sha256(previous, link.entry()));
  head_sequence_ = sequence;
  head_hash_ = link.hash();
  return link.SerializeAsString();
}

absl::Status AuditLog::Scan(uint64_t after_sequence,
                            const std::function<bool(const v1::AuditEntry&)>& fn) const {
  absl::Status failure;
  absl::Status s = store_->audit().Scan(after_sequence, [&](uint64_t seq, std::string_view value) {
    auto link = ParseLink(seq, value);
    v1::AuditEntry entry;
    if (!link.ok() || !entry.ParseFromString(link->entry())) {
      failure = absl::DataLossError(absl::StrCat("audit entry ", seq, " does not parse"));
      return false;
    }
    return fn(entry);
  });
  return s.ok() ? failure : s;
}

absl::StatusOr<v1::AuditEntry> AuditLog::Get(uint64_t sequence) const {
  std::optional<v1::AuditEntry> found;
  absl::Status s = Scan(sequence == 0 ? 0 : sequence - 1, [&](const v1::AuditEntry& entry) {
    if (entry.sequence() == sequence) found = entry;
    return false;
  });
  if (!s.ok()) return s;
  if (!found) return absl::NotFoundError(absl::StrCat("audit entry ", sequence, ": not retained"));
  return *found;
}

absl::StatusOr<v1::VerifyAuditChainResponse> AuditLog::Verify() const {
  v1::VerifyAuditChainResponse report;
  auto anchor = ReadAnchor(*store_);
  if (!anchor.ok()) return anchor.status();
  uint64_t expected = 1;
  std::string previous(kHashBytes, '\0');
  if (anchor->has_value()) {
    report.set_anchor_sequence((*anchor)->sequence());
    expected = (*anchor)->sequence() + 1;
    previous = (*anchor)->hash();
  }
  auto broken = [&report](uint64_t sequence, std::string problem) {
    report.set_intact(false);
    report.set_first_broken_sequence(sequence);
    report.set_problem(std::move(problem));
    return false;
  };
  report.set_intact(true);
  // Read before the scan: entries appended meanwhile only add to the end.
  const uint64_t last_appended = store_->audit().LastSequence();
  absl::Status s = store_->audit().Scan(0, [&](uint64_t seq, std::string_view value) {
    if (seq < expected) {
      return broken(seq, absl::StrCat("entry ", seq, " is older than the anchor (",
                                      expected - 1, ") yet still present"));
    }
    if (seq > expected) {
      return broken(expected, absl::StrCat("entry ", expected, " is missing (the next retained is ",
                                           seq, ")"));
    }
    auto link = ParseLink(seq, value);
    if (!link.ok()) return broken(seq, absl::StrCat("entry ", seq, " does not parse"));
    if (link->previous_hash() != previous) {
      return broken(seq, absl::StrCat("entry ", seq, " does not follow entry ", seq - 1,
                                      ": its previous hash differs from that entry's hash"));
    }
    if (Sha256(previous, link->entry()) != link->hash()) {
      return broken(seq, absl::StrCat("entry ", seq, " was altered: its content does not match its hash"));
    }
    v1::AuditEntry entry;
    if (!entry.ParseFromString(link->entry()) || entry.sequence() != seq) {
      return broken(seq, absl::StrCat("entry ", seq, " is not the entry sealed under that sequence"));
    }
    previous = link->hash();
    report.set_entries_checked(report.entries_checked() + 1);
    report.set_last_sequence(seq);
    ++expected;
    return true;
  });
  if (!s.ok()) return s;
  if (report.intact() && expected - 1 < last_appended) {
    broken(expected, absl::StrCat("entries ", expected, " to ", last_appended,
                                  " are missing from the end of the log"));
  }
  if (report.last_sequence() == 0) report.set_last_sequence(report.anchor_sequence());
  report.set_head_sha256(Hex(previous));
  return report;
}

absl::StatusOr<size_t> AuditLog::Prune() {
  const int64_t cutoff = absl::ToUnixMicros(options_.clock() - options_.retention);
  v1::AuditAnchor anchor;
  size_t removed = 0;
  absl::Status failure;
  absl::Status s = store_->audit().Scan(0, [&](uint64_t seq, std::string_view value) {
    auto link = ParseLink(seq, value);
    v1::AuditEntry entry;
    if (!link.ok() || !entry.ParseFromString(link->entry())) {
      failure = absl::DataLossError(absl::StrCat("audit entry ", seq, " does not parse"));
      return false;
    }
    if (entry.time_micros() >= cutoff) return false;
    anchor.set_sequence(seq);
    anchor.set_hash(link->hash());
    anchor.set_time_micros(entry.time_micros());
    ++removed;
    return true;
  });
  if (!s.ok()) return s;
  if (!failure.ok()) return failure;
  if (removed == 0) return size_t{0};
  if (absl::Status pruned = store_->audit().Prune(anchor.sequence(), anchor.SerializeAsString());
      !pruned.ok()) {
    return pruned;
  }
  return removed;
}

}  // namespace jobmatch::audit

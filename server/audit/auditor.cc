#include "server/audit/auditor.h"

#include <algorithm>

#include "absl/strings/str_cat.h"

namespace jobmatch::audit {
namespace {

std::string CodeName(absl::StatusCode code) { return absl::StatusCodeToString(code); }

}  // namespace

void Auditor::AddRecord(storage::RecordKind kind, std::string_view id, uint64_t version,
                        std::string_view stored_bytes, std::string_view use,
                        v1::AuditEntry* entry) {
  v1::AuditRecordRef* ref = entry->add_records();
  ref->set_kind(std::string(storage::RecordKindName(kind)));
  ref->set_id(std::string(id));
  ref->set_version(version);
  if (version != 0) ref->set_content_sha256(ContentSha256(stored_bytes));
  ref->set_use(std::string(use));
}

void Auditor::NameStored(std::vector<StoredName>* names, v1::AuditEntry* entry) const {
  if (names->empty()) return;
  std::vector<RecordStamps::Lookup> lookups;
  lookups.reserve(names->size());
  for (const StoredName& n : *names) lookups.push_back({n.kind, n.id});
  std::vector<RecordStamp> stamps = stamps_->GetAll(lookups);
  auto* records = entry->mutable_records();
  for (size_t k = 0; k < names->size(); ++k) {
    StoredName& n = (*names)[k];
    v1::AuditRecordRef* ref = records->Add();
    ref->set_kind(std::string(storage::RecordKindName(n.kind)));
    ref->set_id(std::move(n.id));
    ref->set_version(stamps[k].version);
    if (stamps[k].version != 0) ref->set_content_sha256(std::move(stamps[k].content_sha256));
    ref->set_use(n.use);
    // Into its place: after the records named before it (the k names
    // inserted before this one included). A query's names are all stored
    // names, so nothing moves.
    const int at = std::min(n.position + static_cast<int>(k), records->size() - 1);
    for (int i = records->size() - 1; i > at; --i) records->SwapElements(i, i - 1);
  }
  names->clear();
}

storage::AuditEntryFn Auditor::ForWrite(v1::AuditEntry entry, storage::RecordKind kind,
                                        std::vector<std::pair<std::string, std::string>> written,
                                        bool erase) const {
  // Hash now, outside the store's write lock.
  for (auto& [id, bytes] : written) bytes = erase ? std::string() : ContentSha256(bytes);
  storage::AuditEntryFn seal = log_->Sealer(
      std::move(entry),
      [kind, erase, written = std::move(written), stamps = stamps_.get()](
          const std::vector<absl::StatusOr<storage::WriteResult>>& results, v1::AuditEntry* e) {
        const bool single = results.size() == 1;
        e->set_status_code(single ? CodeName(results[0].status().code()) : "OK");
        for (size_t i = 0; i < results.size() && i < written.size(); ++i) {
          if (!results[i].ok()) continue;
          v1::AuditRecordRef* ref = e->add_records();
          ref->set_kind(std::string(storage::RecordKindName(kind)));
          ref->set_id(written[i].first);
          ref->set_version(results[i]->version);
          ref->set_content_sha256(written[i].second);
          ref->set_use(erase ? "ERASED" : "WRITTEN");
          // The stamp this write stores, remembered once it is seen
          // committed (RecordStamps::Written).
          if (!erase) {
            stamps->Written(kind, written[i].first, results[i]->version, results[i]->sequence,
                            written[i].second);
          }
        }
      });
  // An entry that cannot be built fails the write as a read would fail.
  return [seal = std::move(seal)](uint64_t sequence,
                                  const std::vector<absl::StatusOr<storage::WriteResult>>& results)
             -> absl::StatusOr<std::string> {
    auto value = seal(sequence, results);
    if (!value.ok()) {
      return absl::UnavailableError(absl::StrCat(
          "the audit log could not record this call, so it was not served: ",
          value.status().message()));
    }
    return value;
  };
}

absl::Status Auditor::Finish(v1::AuditEntry entry, const absl::Status& status) const {
  return Finish(&entry, status);
}

absl::Status Auditor::Finish(v1::AuditEntry* entry, const absl::Status& status) const {
  entry->set_status_code(CodeName(status.code()));
  auto appended = log_->AppendInPlace(entry, storage::Store::AuditDurability::kWritten);
  if (!appended.ok()) {
    return absl::UnavailableError(
        absl::StrCat("the audit log could not record this call, so it was not served: ",
                     appended.status().message()));
  }
  return status;
}

}  // namespace jobmatch::audit

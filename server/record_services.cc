#include "server/record_services.h"

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "jobmatch/v1/records_service.grpc.pb.h"
#include "server/access_scope.h"
#include "server/audit/auditor.h"
#include "server/grpc_status.h"

namespace jobmatch {
namespace {

// Per-kind names of the generated types and the record field of a request.
struct SeekerApi {
  static constexpr const char* kService = "/jobmatch.v1.SeekerService/";
  static constexpr storage::RecordKind kKind = storage::RecordKind::kSeeker;
  // Reads of seekers are audited (personal data); writes of every kind are.
  static constexpr bool kAuditReads = true;
  using Record = v1::Seeker;
  using Service = v1::SeekerService::CallbackService;
  using UpsertRequest = v1::UpsertSeekerRequest;
  using GetRequest = v1::GetSeekerRequest;
  using GetResponse = v1::GetSeekerResponse;
  using DeleteRequest = v1::DeleteSeekerRequest;
  using ListRequest = v1::ListSeekersRequest;
  using ListResponse = v1::ListSeekersResponse;
  using ImportRequest = v1::ImportSeekerRequest;
  static const Record& Of(const UpsertRequest& r) { return r.seeker(); }
  static const Record& Of(const ImportRequest& r) { return r.seeker(); }
  static Record* Mutable(GetResponse* r) { return r->mutable_seeker(); }
  static GetResponse* Add(ListResponse* r) { return r->add_seekers(); }
  // Seekers belong to a municipality; a caller sees only those in its scope.
  static constexpr bool kScoped = true;
  static int MunicipalityOf(const Record& r) { return r.home().municipality(); }
};

struct VacancyApi {
  static constexpr const char* kService = "/jobmatch.v1.VacancyService/";
  static constexpr storage::RecordKind kKind = storage::RecordKind::kVacancy;
  // Reads of seekers are audited (personal data); writes of every kind are.
  static constexpr bool kAuditReads = false;
  using Record = v1::Vacancy;
  using Service = v1::VacancyService::CallbackService;
  using UpsertRequest = v1::UpsertVacancyRequest;
  using GetRequest = v1::GetVacancyRequest;
  using GetResponse = v1::GetVacancyResponse;
  using DeleteRequest = v1::DeleteVacancyRequest;
  using ListRequest = v1::ListVacanciesRequest;
  using ListResponse = v1::ListVacanciesResponse;
  using ImportRequest = v1::ImportVacancyRequest;
  static const Record& Of(const UpsertRequest& r) { return r.vacancy(); }
  static const Record& Of(const ImportRequest& r) { return r.vacancy(); }
  static Record* Mutable(GetResponse* r) { return r->mutable_vacancy(); }
  static GetResponse* Add(ListResponse* r) { return r->add_vacancies(); }
  static constexpr bool kScoped = false;
  static int MunicipalityOf(const Record&) { return 0; }
};

struct EmployerApi {
  static constexpr const char* kService = "/jobmatch.v1.EmployerService/";
  static constexpr storage::RecordKind kKind = storage::RecordKind::kEmployer;
  // Reads of seekers are audited (personal data); writes of every kind are.
  static constexpr bool kAuditReads = false;
  using Record = v1::Employer;
  using Service = v1::EmployerService::CallbackService;
  using UpsertRequest = v1::UpsertEmployerRequest;
  using GetRequest = v1::GetEmployerRequest;
  using GetResponse = v1::GetEmployerResponse;
  using DeleteRequest = v1::DeleteEmployerRequest;
  using ListRequest = v1::ListEmployersRequest;
  using ListResponse = v1::ListEmployersResponse;
  using ImportRequest = v1::ImportEmployerRequest;
  static const Record& Of(const UpsertRequest& r) { return r.employer(); }
  static const Record& Of(const ImportRequest& r) { return r.employer(); }
  static Record* Mutable(GetResponse* r) { return r->mutable_employer(); }
  static GetResponse* Add(ListResponse* r) { return r->add_employers(); }
  static constexpr bool kScoped = false;
  static int MunicipalityOf(const Record&) { return 0; }
};

void SetMeta(const storage::RecordMeta& meta, v1::RecordMeta* out) {
  out->set_version(meta.version);
  out->set_update_time_micros(meta.update_time_micros);
  out->set_sequence(meta.sequence);
}

grpc::ServerUnaryReactor* Finish(grpc::CallbackServerContext* context, const absl::Status& status) {
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  reactor->Finish(ToGrpcStatus(status));
  return reactor;
}

// A record outside the caller's scope reads exactly like a missing one.
template <typename Record>
absl::Status OutOfScopeAsNotFound(const Record& record) {
  return absl::NotFoundError(absl::StrCat("seeker ", record.id(), ": not found"));
}

// Writing `record` needs its municipality, and that of the stored version if
// any, in scope.
template <typename Api>
absl::Status CheckWrite(const AccessScope& scope, const RecordKeeper& keeper,
                        const typename Api::Record& record) {
  if (scope.all_municipalities) return absl::OkStatus();
  if (!scope.MayAccess(Api::MunicipalityOf(record))) {
    return absl::PermissionDeniedError(absl::StrCat(
        "seeker.home.municipality: ", Api::MunicipalityOf(record),
        " is outside the municipalities caller ", scope.caller_id, " may write"));
  }
  auto stored = keeper.Get<typename Api::Record>(record.id());
  if (stored.ok() && !scope.MayAccess(Api::MunicipalityOf(stored->record))) {
    return absl::PermissionDeniedError(absl::StrCat(
        "seeker ", record.id(), ": belongs to a municipality outside the scope of caller ",
        scope.caller_id));
  }
  return absl::OkStatus();
}

// The audit entries of one record service's calls (none without an auditor).
template <typename Api>
class RecordAudit {
 public:
  RecordAudit(const audit::Auditor* auditor, const matcher::ReferenceData* data)
      : auditor_(auditor), data_(data) {}

  v1::AuditEntry Begin(const grpc::CallbackServerContext* context, const char* rpc) const {
    if (auditor_ == nullptr) return v1::AuditEntry();
    return auditor_->Begin(*context, absl::StrCat(Api::kService, rpc));
  }
  // The callback that commits `entry` with a write of `records`.
  storage::AuditEntryFn ForWrite(const v1::AuditEntry& entry,
                                 const std::vector<typename Api::Record>& records) const {
    if (auditor_ == nullptr) return nullptr;
    std::vector<std::pair<std::string, std::string>> written;
    for (const auto& r : records) written.emplace_back(r.id(), StoredBytes(r, *data_));
    return auditor_->ForWrite(entry, Api::kKind, std::move(written));
  }
  storage::AuditEntryFn ForErase(const v1::AuditEntry& entry, const std::string& id) const {
    if (auditor_ == nullptr) return nullptr;
    return auditor_->ForWrite(entry, Api::kKind, {{id, ""}}, /*erase=*/true);
  }
  // A record the call returned, or (`stored` null) the id it was asked about.
  void Add(const std::string& id, const StoredMessage<typename Api::Record>* stored,
           v1::AuditEntry* entry) const {
    if (auditor_ == nullptr) return;
    if (stored == nullptr) {
      audit::Auditor::AddRecord(Api::kKind, id, 0, "", "SUBJECT", entry);
    } else {
      audit::Auditor::AddRecord(Api::kKind, id, stored->meta.version,
                                stored->record.SerializeAsString(), "READ", entry);
    }
  }
  // Appends `entry` for a call that wrote nothing: `status`, or Unavailable
  // when the entry could not be written.
  absl::Status Finish(v1::AuditEntry entry, const absl::Status& status) const {
    if (auditor_ == nullptr) return status;
    return auditor_->Finish(std::move(entry), status);
  }
  // Reads are audited for this kind.
  bool reads() const { return auditor_ != nullptr && Api::kAuditReads; }

 private:
  const audit::Auditor* const auditor_;
  const matcher::ReferenceData* const data_;  // for the bytes a write stores
};

template <typename Api>
class RecordService final : public Api::Service {
 public:
  RecordService(RecordKeeper* keeper, RecordServiceLimits limits, ScopeOfCall scope_of,
                const audit::Auditor* auditor)
      : keeper_(keeper), limits_(limits), scope_of_(std::move(scope_of)),
        audit_(auditor, &keeper->reference_data()) {}

  grpc::ServerUnaryReactor* Upsert(grpc::CallbackServerContext* context,
                                   const typename Api::UpsertRequest* request,
                                   v1::WriteResult* response) override {
    v1::AuditEntry entry = audit_.Begin(context, "Upsert");
    if (auto scope = ScopeOf(context)) {
      absl::Status allowed = CheckWrite<Api>(*scope, *keeper_, Api::Of(*request));
      if (!allowed.ok()) {
        audit_.Add(Api::Of(*request).id(), nullptr, &entry);
        return Finish(context, audit_.Finish(std::move(entry), allowed));
      }
    }
    std::optional<uint64_t> expected;
    if (request->has_expected_version()) expected = request->expected_version();
    auto result =
        keeper_->Upsert(Api::Of(*request), expected, audit_.ForWrite(entry, {Api::Of(*request)}));
    if (result.ok()) {
      response->set_version(result->version);
      response->set_sequence(result->sequence);
    }
    return Finish(context, result.status());
  }

  grpc::ServerUnaryReactor* Get(grpc::CallbackServerContext* context,
                                const typename Api::GetRequest* request,
                                typename Api::GetResponse* response) override {
    auto stored = keeper_->Get<typename Api::Record>(request->id());
    absl::Status status = stored.status();
    if (auto scope = ScopeOf(context);
        scope && stored.ok() && !scope->MayAccess(Api::MunicipalityOf(stored->record))) {
      status = OutOfScopeAsNotFound(stored->record);
    }
    if (audit_.reads()) {
      v1::AuditEntry entry = audit_.Begin(context, "Get");
      audit_.Add(request->id(), status.ok() ? &*stored : nullptr, &entry);
      status = audit_.Finish(std::move(entry), status);
    }
    if (status.ok()) {
      *Api::Mutable(response) = std::move(stored->record);
      SetMeta(stored->meta, response->mutable_meta());
    }
    return Finish(context, status);
  }

  grpc::ServerUnaryReactor* Delete(grpc::CallbackServerContext* context,
                                   const typename Api::DeleteRequest* request,
                                   v1::DeleteResponse* response) override {
    v1::AuditEntry entry = audit_.Begin(context, "Delete");
    if (auto scope = ScopeOf(context)) {
      auto stored = keeper_->Get<typename Api::Record>(request->id());
      if (stored.ok() && !scope->MayAccess(Api::MunicipalityOf(stored->record))) {
        audit_.Add(request->id(), nullptr, &entry);
        return Finish(context,
                      audit_.Finish(std::move(entry), OutOfScopeAsNotFound(stored->record)));
      }
    }
    std::optional<uint64_t> expected;
    if (request->has_expected_version()) expected = request->expected_version();
    auto seq = keeper_->Delete<typename Api::Record>(request->id(), expected,
                                                     audit_.ForErase(entry, request->id()));
    if (seq.ok()) response->set_sequence(*seq);
    return Finish(context, seq.status());
  }

  grpc::ServerUnaryReactor* List(grpc::CallbackServerContext* context,
                                 const typename Api::ListRequest* request,
                                 typename Api::ListResponse* response) override {
    if (request->page_size() < 0 || request->page_size() > limits_.max_page_size) {
      return Finish(context, absl::InvalidArgumentError(absl::StrCat(
                                 "page_size: must be within [0, ", limits_.max_page_size, "]")));
    }
    const size_t size = request->page_size() == 0 ? limits_.default_page_size : request->page_size();
    const auto scope = ScopeOf(context);
    // Out-of-scope records are skipped and the scan goes on until the page
    // is full, so the token is always the id of a record the caller was
    // shown: a token naming the last record read would name a seeker of
    // another municipality. Every record shown is named in one audit entry.
    std::optional<v1::AuditEntry> entry;
    if (audit_.reads()) entry = audit_.Begin(context, "List");
    std::string after = request->page_token();
    int shown = 0;
    bool full = false;
    while (!full) {
      auto page = keeper_->List<typename Api::Record>(after, size);
      if (!page.ok()) return Finish(context, page.status());
      for (auto& stored : page->records) {
        if (scope && !scope->MayAccess(Api::MunicipalityOf(stored.record))) continue;
        if (entry) audit_.Add(stored.record.id(), &stored, &*entry);
        auto* out = Api::Add(response);
        *Api::Mutable(out) = std::move(stored.record);
        SetMeta(stored.meta, out->mutable_meta());
        if (++shown == static_cast<int>(size)) {
          if (!page->next_after_id.empty() || &stored != &page->records.back()) {
            response->set_next_page_token(Api::Mutable(out)->id());
          }
          full = true;
          break;
        }
      }
      if (full) break;
      if (!scope || page->next_after_id.empty()) {
        response->set_next_page_token(page->next_after_id);
        break;
      }
      after = page->next_after_id;
    }
    if (entry) {
      absl::Status audited = audit_.Finish(*std::move(entry), absl::OkStatus());
      if (!audited.ok()) {
        response->Clear();
        return Finish(context, audited);
      }
    }
    return Finish(context, absl::OkStatus());
  }

  grpc::ServerReadReactor<typename Api::ImportRequest>* Import(
      grpc::CallbackServerContext* context, v1::ImportResponse* response) override {
    return new ImportReactor(keeper_, limits_, ScopeOf(context), response, &audit_,
                             audit_.Begin(context, "Import"));
  }

 private:
  // Reads the stream, commits in groups of limits.import_batch, and reports
  // one outcome per record.
  class ImportReactor : public grpc::ServerReadReactor<typename Api::ImportRequest> {
   public:
    ImportReactor(RecordKeeper* keeper, RecordServiceLimits limits,
                  std::optional<AccessScope> scope, v1::ImportResponse* response,
                  const RecordAudit<Api>* audit, v1::AuditEntry entry)
        : keeper_(keeper), limits_(limits), scope_(std::move(scope)), response_(response),
          audit_(audit), entry_(std::move(entry)) {
      this->StartRead(&request_);
    }
    void OnReadDone(bool ok) override {
      if (!ok) {
        Commit();
        response_->set_processed(static_cast<uint32_t>(committed_));
        this->Finish(grpc::Status::OK);
        return;
      }
      if (seen_ >= limits_.max_import_records) {
        this->Finish(grpc::Status(grpc::StatusCode::RESOURCE_EXHAUSTED,
                                  absl::StrCat("an import stream may carry at most ",
                                               limits_.max_import_records,
                                               " records; records up to that were processed")));
        return;
      }
      ++seen_;
      pending_.push_back(Api::Of(request_));
      if (pending_.size() >= limits_.import_batch) Commit();
      if (!response_->stopped().empty()) {
        // The response is full of rejected records: report what was done
        // rather than read on (the client's further writes fail).
        response_->set_processed(static_cast<uint32_t>(committed_));
        this->Finish(grpc::Status::OK);
        return;
      }
      this->StartRead(&request_);
    }
    void OnDone() override { delete this; }

   private:
    void Commit() {
      if (pending_.empty()) return;
      std::vector<absl::StatusOr<storage::WriteResult>> results;
      if (!scope_) {
        results = keeper_->Import(pending_, audit_->ForWrite(entry_, pending_));
      } else {
        // Records the caller may not write get their outcome here; the
        // rest go to storage together.
        results.resize(pending_.size());
        v1::AuditEntry entry = entry_;  // names the refused ones too, as asked about
        std::vector<typename Api::Record> allowed;
        std::vector<size_t> allowed_at;
        for (size_t i = 0; i < pending_.size(); ++i) {
          absl::Status may = CheckWrite<Api>(*scope_, *keeper_, pending_[i]);
          if (may.ok()) {
            allowed.push_back(pending_[i]);
            allowed_at.push_back(i);
          } else {
            results[i] = may;
            audit_->Add(pending_[i].id(), nullptr, &entry);
          }
        }
        auto stored = keeper_->Import(allowed, audit_->ForWrite(entry, allowed));
        for (size_t j = 0; j < allowed_at.size(); ++j) results[allowed_at[j]] = std::move(stored[j]);
      }
      for (size_t i = 0; i < results.size(); ++i) {
        if (results[i].ok()) {
          response_->set_accepted(response_->accepted() + 1);
          if (response_->accepted_outcomes_omitted()) continue;
          v1::ImportOutcome* outcome = response_->add_outcomes();
          outcome->set_index(static_cast<uint32_t>(committed_ + i));
          outcome->set_id(pending_[i].id());
          outcome->mutable_result()->set_version(results[i]->version);
          outcome->mutable_result()->set_sequence(results[i]->sequence);
          outcome_bytes_ += outcome->ByteSizeLong() + 4;
        } else {
          response_->set_rejected(response_->rejected() + 1);
          v1::ImportOutcome* outcome = response_->add_outcomes();
          outcome->set_index(static_cast<uint32_t>(committed_ + i));
          outcome->set_id(pending_[i].id());
          outcome->set_error_code(absl::StatusCodeToString(results[i].status().code()));
          outcome->set_error_message(ToGrpcStatus(results[i].status()).error_message());
          outcome_bytes_ += outcome->ByteSizeLong() + 4;
        }
      }
      committed_ += pending_.size();
      pending_.clear();
      if (outcome_bytes_ > limits_.import_response_bytes && !response_->accepted_outcomes_omitted()) {
        DropAcceptedOutcomes();
      }
      if (outcome_bytes_ > limits_.import_response_bytes) {
        response_->set_stopped(absl::StrCat(
            "stopped after ", committed_, " records: the outcomes of the ", response_->rejected(),
            " rejected records fill the response (", limits_.import_response_bytes,
            " bytes); records from index ", committed_, " on were not processed"));
      }
    }

    // Past the response budget only rejected records are listed: a record
    // below `processed` that is not listed was stored.
    void DropAcceptedOutcomes() {
      google::protobuf::RepeatedPtrField<v1::ImportOutcome> rejected;
      outcome_bytes_ = 0;
      for (v1::ImportOutcome& outcome : *response_->mutable_outcomes()) {
        if (outcome.error_code().empty()) continue;
        outcome_bytes_ += outcome.ByteSizeLong() + 4;
        rejected.Add(std::move(outcome));
      }
      response_->mutable_outcomes()->Swap(&rejected);
      response_->set_accepted_outcomes_omitted(true);
    }

    RecordKeeper* const keeper_;
    const RecordServiceLimits limits_;
    const std::optional<AccessScope> scope_;
    v1::ImportResponse* const response_;
    const RecordAudit<Api>* const audit_;
    const v1::AuditEntry entry_;  // each group commit is audited with a copy
    typename Api::ImportRequest request_;
    std::vector<typename Api::Record> pending_;
    size_t seen_ = 0;
    size_t committed_ = 0;
    size_t outcome_bytes_ = 0;  // of response_->outcomes(), serialized
  };

  // The caller's scope, for seekers only; nullopt = unrestricted.
  std::optional<AccessScope> ScopeOf(const grpc::CallbackServerContext* context) const {
    if constexpr (!Api::kScoped) return std::nullopt;
    if (!scope_of_) return std::nullopt;
    return scope_of_(*context);
  }

  RecordKeeper* const keeper_;
  const RecordServiceLimits limits_;
  const ScopeOfCall scope_of_;
  const RecordAudit<Api> audit_;
};

}  // namespace

std::unique_ptr<grpc::Service> MakeSeekerService(RecordKeeper* keeper, RecordServiceLimits limits,
                                                 ScopeOfCall scope_of,
                                                 const audit::Auditor* auditor) {
  return std::make_unique<RecordService<SeekerApi>>(keeper, limits, std::move(scope_of), auditor);
}
std::unique_ptr<grpc::Service> MakeVacancyService(RecordKeeper* keeper, RecordServiceLimits limits,
                                                  const audit::Auditor* auditor) {
  return std::make_unique<RecordService<VacancyApi>>(keeper, limits, nullptr, auditor);
}
std::unique_ptr<grpc::Service> MakeEmployerService(RecordKeeper* keeper, RecordServiceLimits limits,
                                                   const audit::Auditor* auditor) {
  return std::make_unique<RecordService<EmployerApi>>(keeper, limits, nullptr, auditor);
}

}  // namespace jobmatch

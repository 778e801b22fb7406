#include "server/record_services.h"

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "jobmatch/v1/records_service.grpc.pb.h"
#include "server/call_context.h"
#include "server/grpc_status.h"
#include "server/seeker_ids.h"

namespace jobmatch {
namespace {

// Per-kind names of the generated types and the record field of a request.
struct SeekerApi {
  static constexpr storage::RecordKind kKind = storage::RecordKind::kSeeker;
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
  static constexpr storage::RecordKind kKind = storage::RecordKind::kVacancy;
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
  static constexpr storage::RecordKind kKind = storage::RecordKind::kEmployer;
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

// The existence rule (docs/security.md, "Seeker ids and existence"): a
// caller scoped to some municipalities never learns whether a seeker id
// exists outside them.
//  - A seeker without an id is new: the server issues its id (NewSeekerId).
//  - A seeker with an id updates that seeker, which the scoped caller must
//    see; an id it cannot see, stored in another municipality or never, is
//    NOT_FOUND in the same words, refused before storage is written, so the
//    two take the same path (the entry is appended by Finish in both).
//  - Either way the record's own municipality must be in scope.
// Callers that see all municipalities may also create with a chosen id.
// Prepares `record` for writing (issues its id when it has none).
template <typename Api>
absl::Status PrepareWrite(const CallContext& call, const RecordKeeper& keeper,
                          typename Api::Record* record) {
  if constexpr (Api::kScoped) {
    const bool scoped = !call.SeesAllMunicipalities();
    if (record->id().empty()) {
      std::string id = NewSeekerId();
      while (keeper.Get<typename Api::Record>(id).ok()) id = NewSeekerId();
      record->set_id(std::move(id));
    } else if (scoped) {
      auto stored = keeper.Get<typename Api::Record>(record->id());
      if (!stored.ok() && !absl::IsNotFound(stored.status())) return stored.status();
      if (!stored.ok() || !call.MayAccess(Api::MunicipalityOf(stored->record))) {
        return absl::NotFoundError(absl::StrCat(
            "seeker.id: seeker ", record->id(), " not found in the municipalities of caller ",
            call.scope()->caller_id,
            "; to create a seeker, send it without an id and keep the id the server issues"));
      }
    }
    if (scoped && !call.MayAccess(Api::MunicipalityOf(*record))) {
      return absl::PermissionDeniedError(absl::StrCat(
          "seeker.home.municipality: ", Api::MunicipalityOf(*record),
          " is outside the municipalities caller ", call.scope()->caller_id, " may write"));
    }
  }
  return absl::OkStatus();
}

// A stored record the caller may not see reads exactly like a missing one.
template <typename Api>
bool Visible(const CallContext& call, const typename Api::Record& record) {
  return !Api::kScoped || call.MayAccess(Api::MunicipalityOf(record));
}

template <typename Api>
std::vector<std::pair<std::string, std::string>> Written(
    const std::vector<typename Api::Record>& records, const matcher::ReferenceData& data) {
  // The bytes storage keeps (stamped with the taxonomy version), so that the
  // audit's hash matches the stored record.
  std::vector<std::pair<std::string, std::string>> written;
  for (const auto& r : records) written.emplace_back(r.id(), StoredBytes(r, data));
  return written;
}

template <typename Api>
class RecordService final : public Api::Service {
 public:
  RecordService(RecordKeeper* keeper, RecordServiceLimits limits, const CallContexts* calls)
      : keeper_(keeper), limits_(limits), calls_(calls) {}

  grpc::ServerUnaryReactor* Upsert(grpc::CallbackServerContext* context,
                                   const typename Api::UpsertRequest* request,
                                   v1::WriteResult* response) override {
    return calls_->Unary(context, request, response, [&](CallContext& call) {
      typename Api::Record record = Api::Of(*request);
      const bool issued = Api::kScoped && record.id().empty();  // seekers only
      if (issued && request->has_expected_version() && request->expected_version() != 0) {
        return absl::InvalidArgumentError(
            "expected_version: a record sent without an id is new: omit it or send 0");
      }
      if (absl::Status allowed = PrepareWrite<Api>(call, *keeper_, &record); !allowed.ok()) {
        if (!issued) call.AddId(Api::kKind, record.id(), "SUBJECT");
        return allowed;
      }
      std::optional<uint64_t> expected;
      if (request->has_expected_version()) expected = request->expected_version();
      auto result = keeper_->Upsert(
          record, expected,
          call.ForWrite(Api::kKind, Written<Api>({record}, keeper_->reference_data())));
      if (result.ok()) {
        response->set_version(result->version);
        response->set_sequence(result->sequence);
        response->set_id(record.id());
      }
      return result.status();
    });
  }

  grpc::ServerUnaryReactor* Get(grpc::CallbackServerContext* context,
                                const typename Api::GetRequest* request,
                                typename Api::GetResponse* response) override {
    return calls_->Unary(context, request, response, [&](CallContext& call) {
      auto stored = keeper_->Get<typename Api::Record>(request->id());
      if (stored.ok() && !Visible<Api>(call, stored->record)) {
        stored = absl::NotFoundError(absl::StrCat("seeker ", request->id(), ": not found"));
      }
      if (!stored.ok()) {
        call.AddId(Api::kKind, request->id(), "SUBJECT");
        return stored.status();
      }
      call.AddRead(Api::kKind, request->id(), stored->meta.version,
                   stored->record.SerializeAsString());
      *Api::Mutable(response) = std::move(stored->record);
      SetMeta(stored->meta, response->mutable_meta());
      return absl::OkStatus();
    });
  }

  grpc::ServerUnaryReactor* Delete(grpc::CallbackServerContext* context,
                                   const typename Api::DeleteRequest* request,
                                   v1::DeleteResponse* response) override {
    return calls_->Unary(context, request, response, [&](CallContext& call) -> absl::Status {
      auto stored = keeper_->Get<typename Api::Record>(request->id());
      // For a scoped caller a missing seeker takes the path of one in
      // another municipality: refused here, with the same words, and
      // audited the same way (storage would commit a refused erasure's
      // entry with a synced write, which takes measurably longer).
      const bool scoped = Api::kScoped && !call.SeesAllMunicipalities();
      if ((stored.ok() && !Visible<Api>(call, stored->record)) ||
          (scoped && absl::IsNotFound(stored.status()))) {
        call.AddId(Api::kKind, request->id(), "SUBJECT");
        return absl::NotFoundError(absl::StrCat("seeker ", request->id(), ": not found"));
      }
      std::optional<uint64_t> expected;
      if (request->has_expected_version()) expected = request->expected_version();
      auto seq = keeper_->Delete<typename Api::Record>(
          request->id(), expected, call.ForWrite(Api::kKind, {{request->id(), ""}}, /*erase=*/true));
      if (seq.ok()) response->set_sequence(*seq);
      return seq.status();
    });
  }

  grpc::ServerUnaryReactor* List(grpc::CallbackServerContext* context,
                                 const typename Api::ListRequest* request,
                                 typename Api::ListResponse* response) override {
    return calls_->Unary(context, request, response, [&](CallContext& call) -> absl::Status {
      if (request->page_size() < 0 || request->page_size() > limits_.max_page_size) {
        return absl::InvalidArgumentError(
            absl::StrCat("page_size: must be within [0, ", limits_.max_page_size, "]"));
      }
      const size_t size =
          request->page_size() == 0 ? limits_.default_page_size : request->page_size();
      // Out-of-scope records are skipped and the scan goes on until the page
      // is full, so the token is always the id of a record the caller was
      // shown: a token naming the last record read would name a seeker of
      // another municipality. Every record shown is named in the entry.
      const bool scoped = Api::kScoped && !call.SeesAllMunicipalities();
      std::string after = request->page_token();
      int shown = 0;
      while (true) {
        auto page = keeper_->List<typename Api::Record>(after, size);
        if (!page.ok()) return page.status();
        for (auto& stored : page->records) {
          if (!Visible<Api>(call, stored.record)) continue;
          call.AddRead(Api::kKind, stored.record.id(), stored.meta.version,
                       stored.record.SerializeAsString());
          auto* out = Api::Add(response);
          *Api::Mutable(out) = std::move(stored.record);
          SetMeta(stored.meta, out->mutable_meta());
          if (++shown == static_cast<int>(size)) {
            if (!page->next_after_id.empty() || &stored != &page->records.back()) {
              response->set_next_page_token(Api::Mutable(out)->id());
            }
            return absl::OkStatus();
          }
        }
        if (!scoped || page->next_after_id.empty()) {
          response->set_next_page_token(page->next_after_id);
          return absl::OkStatus();
        }
        after = page->next_after_id;
      }
    });
  }

  grpc::ServerReadReactor<typename Api::ImportRequest>* Import(
      grpc::CallbackServerContext* context, v1::ImportResponse* response) override {
    return new ImportReactor(keeper_, limits_,
                             calls_->Begin(context, typename Api::ImportRequest()), response);
  }

 private:
  // Reads the stream, commits in groups of limits.import_batch, and reports
  // one outcome per record. The call's entry is committed with each group
  // (a copy naming that group's records), or appended alone at the end if
  // nothing was written.
  class ImportReactor : public grpc::ServerReadReactor<typename Api::ImportRequest> {
   public:
    ImportReactor(RecordKeeper* keeper, RecordServiceLimits limits, CallContext call,
                  v1::ImportResponse* response)
        : keeper_(keeper), limits_(limits), call_(std::move(call)), response_(response),
          entry_(*call_.entry()) {
      if (!call_.refusal().ok()) {
        End(call_.refusal());
        return;
      }
      this->StartRead(&request_);
    }
    void OnReadDone(bool ok) override {
      if (!ok) {
        Commit();
        response_->set_processed(static_cast<uint32_t>(committed_));
        End(absl::OkStatus());
        return;
      }
      if (seen_ >= limits_.max_import_records) {
        End(absl::ResourceExhaustedError(absl::StrCat(
            "an import stream may carry at most ", limits_.max_import_records,
            " records; records up to that were processed")));
        return;
      }
      ++seen_;
      if (absl::Status bounded = CheckRequestBounds(request_); !bounded.ok()) {
        End(absl::InvalidArgumentError(
            absl::StrCat("record ", seen_ - 1, ": ", bounded.message())));
        return;
      }
      pending_.push_back(Api::Of(request_));
      if (pending_.size() >= limits_.import_batch) Commit();
      if (!response_->stopped().empty()) {
        // The response is full of rejected records: report what was done
        // rather than read on (the client's further writes fail).
        response_->set_processed(static_cast<uint32_t>(committed_));
        End(absl::OkStatus());
        return;
      }
      this->StartRead(&request_);
    }
    void OnDone() override { delete this; }

   private:
    void End(const absl::Status& status) {
      this->Finish(ToGrpcStatus(call_.Finish(status)));
    }

    void Commit() {
      if (pending_.empty()) return;
      std::vector<absl::StatusOr<storage::WriteResult>> results(pending_.size());
      // Records the caller may not write get their outcome here (and are
      // named in the entry, as asked about); the rest go to storage together.
      *call_.entry() = entry_;
      std::vector<typename Api::Record> allowed;
      std::vector<size_t> allowed_at;
      for (size_t i = 0; i < pending_.size(); ++i) {
        const bool issued = Api::kScoped && pending_[i].id().empty();
        absl::Status may = PrepareWrite<Api>(call_, *keeper_, &pending_[i]);
        if (may.ok()) {
          allowed.push_back(pending_[i]);
          allowed_at.push_back(i);
        } else {
          results[i] = may;
          if (!issued) call_.AddId(Api::kKind, pending_[i].id(), "SUBJECT");
        }
      }
      auto stored = keeper_->Import(
          allowed, call_.ForWrite(Api::kKind, Written<Api>(allowed, keeper_->reference_data())));
      for (size_t j = 0; j < allowed_at.size(); ++j) results[allowed_at[j]] = std::move(stored[j]);
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
    CallContext call_;
    v1::ImportResponse* const response_;
    const v1::AuditEntry entry_;  // each group commit is audited with a copy
    typename Api::ImportRequest request_;
    std::vector<typename Api::Record> pending_;
    size_t seen_ = 0;
    size_t committed_ = 0;
    size_t outcome_bytes_ = 0;  // of response_->outcomes(), serialized
  };

  RecordKeeper* const keeper_;
  const RecordServiceLimits limits_;
  const CallContexts* const calls_;
};

}  // namespace

std::unique_ptr<grpc::Service> MakeSeekerService(RecordKeeper* keeper, RecordServiceLimits limits,
                                                 const CallContexts* calls) {
  return std::make_unique<RecordService<SeekerApi>>(keeper, limits, calls);
}
std::unique_ptr<grpc::Service> MakeVacancyService(RecordKeeper* keeper, RecordServiceLimits limits,
                                                  const CallContexts* calls) {
  return std::make_unique<RecordService<VacancyApi>>(keeper, limits, calls);
}
std::unique_ptr<grpc::Service> MakeEmployerService(RecordKeeper* keeper, RecordServiceLimits limits,
                                                   const CallContexts* calls) {
  return std::make_unique<RecordService<EmployerApi>>(keeper, limits, calls);
}

}  // namespace jobmatch

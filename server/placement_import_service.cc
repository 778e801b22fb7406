#include "server/placement_import_service.h"

#include <string>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "jobmatch/v1/placement_history_service.grpc.pb.h"
#include "server/call_context.h"
#include "server/feedback_validation.h"
#include "server/grpc_status.h"
#include "server/placement_lifecycle.h"
#include "storage/feedback_store.h"

namespace jobmatch {
namespace {

// The earliest time an event may carry: 2000-01-01 UTC.
constexpr int64_t kEarliestMicros = 946684800LL * 1000000;

// What the import knows of one pair: its stored history and the request's
// accepted events on it so far.
struct PairSoFar {
  PlacementLifecycle lifecycle;
  int64_t latest_micros = 0;
};

class PlacementImportServiceImpl final : public v1::PlacementHistoryService::CallbackService {
 public:
  PlacementImportServiceImpl(const matcher::MatchIndex* index, storage::Store* store,
                             FeedbackLedger* ledger, const CallContexts* calls)
      : index_(index), store_(store), ledger_(ledger), calls_(calls) {}

  grpc::ServerUnaryReactor* Import(grpc::CallbackServerContext* context,
                                   const v1::ImportPlacementHistoryRequest* request,
                                   v1::ImportPlacementHistoryResponse* response) override {
    return calls_->Unary(context, request, response, [&](CallContext& call) {
      return Run(call, *request, response);
    });
  }

 private:
  absl::Status Run(CallContext& call, const v1::ImportPlacementHistoryRequest& request,
                   v1::ImportPlacementHistoryResponse* response) const {
    if (request.events_size() > kMaxPlacementImportEvents) {
      return absl::InvalidArgumentError(absl::StrCat("events: at most ", kMaxPlacementImportEvents,
                                                     " per request, not ", request.events_size()));
    }
    for (const v1::Feedback& f : request.events()) {
      call.AddSubject(storage::RecordKind::kSeeker, f.seeker_id());
      call.AddSubject(storage::RecordKind::kVacancy, f.vacancy_id());
    }
    const int64_t now_micros = absl::ToUnixMicros(call.now());
    std::vector<absl::Status> results(request.events_size());
    std::vector<v1::Feedback> accepted;
    std::vector<int> accepted_at;
    // The order check and the write under one lock, shared with
    // RecordFeedback: no other write on a pair comes between.
    absl::MutexLock order_lock(&PlacementOrderMutex());
    absl::flat_hash_map<std::string, absl::flat_hash_map<std::string, PairSoFar>> pairs;
    for (int i = 0; i < request.events_size(); ++i) {
      const v1::Feedback& f = request.events(i);
      absl::Status checked = Check(call, f, now_micros, &pairs);
      if (!checked.ok()) {
        results[i] = std::move(checked);
        continue;
      }
      PairSoFar& pair = pairs[f.seeker_id()][f.vacancy_id()];
      pair.lifecycle.Add(f);
      pair.latest_micros = f.time_micros();
      accepted.push_back(f);
      accepted_at.push_back(i);
    }
    std::vector<absl::Status> stored = store_->feedback().PutAll(accepted);
    for (size_t j = 0; j < accepted.size(); ++j) {
      results[accepted_at[j]] = stored[j];
      if (stored[j].ok() && ledger_ != nullptr) ledger_->Apply(accepted[j]);
    }
    for (int i = 0; i < request.events_size(); ++i) {
      if (results[i].ok()) {
        response->set_accepted(response->accepted() + 1);
        continue;
      }
      response->set_rejected(response->rejected() + 1);
      v1::PlacementImportError* error = response->add_errors();
      error->set_index(static_cast<uint32_t>(i));
      error->set_error_code(absl::StatusCodeToString(results[i].code()));
      error->set_error_message(ToGrpcStatus(results[i]).error_message());
    }
    return absl::OkStatus();
  }

  // The rules of one event; `pairs` holds what is known of each pair so far
  // (its stored history is read when the pair is first met).
  absl::Status Check(
      const CallContext& call, const v1::Feedback& f, int64_t now_micros,
      absl::flat_hash_map<std::string, absl::flat_hash_map<std::string, PairSoFar>>* pairs) const {
    // A seeker outside the caller's scope reads as missing, in the same words.
    if (!call.CheckSeeker(f.seeker_id()).ok()) {
      return absl::NotFoundError(
          absl::StrCat("feedback.seeker_id: seeker ", f.seeker_id(), " not found"));
    }
    if (absl::Status valid = ValidateFeedback(*index_, f); !valid.ok()) return valid;
    if (f.time_micros() == 0) {
      return absl::InvalidArgumentError(
          "feedback.time_micros: must be set (microseconds since 1970, UTC) in an import");
    }
    if (f.time_micros() < kEarliestMicros) {
      return absl::InvalidArgumentError(
          absl::StrCat("feedback.time_micros: must be on or after 2000-01-01, not ",
                       absl::FormatTime(absl::FromUnixMicros(f.time_micros()))));
    }
    if (f.time_micros() > now_micros) {
      return absl::InvalidArgumentError(
          absl::StrCat("feedback.time_micros: must not be in the future (",
                       absl::FormatTime(absl::FromUnixMicros(f.time_micros())), ")"));
    }
    auto& by_vacancy = (*pairs)[f.seeker_id()];
    auto known = by_vacancy.find(f.vacancy_id());
    if (known == by_vacancy.end()) {
      PairSoFar stored;
      absl::Status read = store_->feedback().Scan(f.seeker_id(), [&](const v1::Feedback& e) {
        if (e.vacancy_id() != f.vacancy_id()) return true;
        stored.lifecycle.Add(e);
        stored.latest_micros = std::max(stored.latest_micros, e.time_micros());
        return true;
      });
      if (!read.ok()) return read;
      known = by_vacancy.emplace(f.vacancy_id(), std::move(stored)).first;
    }
    const PairSoFar& pair = known->second;
    if (f.time_micros() <= pair.latest_micros) {
      return absl::InvalidArgumentError(absl::StrCat(
          "feedback.time_micros: must be later than the pair's latest feedback (",
          absl::FormatTime(absl::FromUnixMicros(pair.latest_micros)), "), not ",
          absl::FormatTime(absl::FromUnixMicros(f.time_micros()))));
    }
    return CheckPlacementOrder(pair.lifecycle, f);
  }

  const matcher::MatchIndex* const index_;
  storage::Store* const store_;
  FeedbackLedger* const ledger_;
  const CallContexts* const calls_;
};

}  // namespace

std::unique_ptr<grpc::Service> MakePlacementImportService(const matcher::MatchIndex* index,
                                                          storage::Store* store,
                                                          FeedbackLedger* ledger,
                                                          const CallContexts* calls) {
  return std::make_unique<PlacementImportServiceImpl>(index, store, ledger, calls);
}

}  // namespace jobmatch

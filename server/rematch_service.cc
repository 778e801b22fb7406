#include "server/rematch_service.h"

#include <algorithm>
#include <optional>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "jobmatch/v1/rematch_service.grpc.pb.h"
#include "server/call_context.h"
#include "server/grpc_status.h"
#include "server/polling_writer.h"
#include "server/report_scope.h"

namespace jobmatch {
namespace {

// The audit decision of a stored list: which run it comes from, that run's
// policy version and data sequence, and the list as returned.
void TraceStoredList(const v1::RematchRun& run, const v1::GetRematchMatchesRequest& request,
                     const v1::RematchMatches& list, bool needs_blind, v1::AuditDecision* d) {
  d->set_query("REMATCH_MATCHES");
  d->set_rematch_run_id(run.run_id());
  d->set_policy_version(run.policy_version());
  d->set_data_sequence(run.data_sequence());
  d->set_computed_at_micros(run.started_micros());
  d->set_seeker_id(request.seeker_id());
  d->set_vacancy_id(request.vacancy_id());
  d->set_limit(static_cast<uint32_t>(run.k()));
  d->set_needs_blind(needs_blind);
  for (const v1::RankedId& m : list.matches()) {
    v1::AuditRankedEntry* e = d->add_ranking();
    e->set_id(m.id());
    e->set_rank(m.rank());
    e->set_score(m.score());
  }
}

// Sends the run's state now, then every interval while it runs, then its
// final state. Waits with an alarm (no thread is held).
class RunWatch : public PollingWriter<v1::RematchRun> {
 public:
  RunWatch(const RematchRunner* runner, const v1::WatchRematchRunRequest& request,
           const std::atomic<bool>* stopping, const absl::Status& refusal)
      : PollingWriter(stopping), runner_(runner), run_id_(request.run_id()),
        interval_(absl::Milliseconds(request.interval_millis() == 0 ? 500
                                                                    : request.interval_millis())) {
    if (!refusal.ok()) {
      Finish(ToGrpcStatus(refusal));
      return;
    }
    if (request.interval_millis() < 0 || request.interval_millis() > 60000) {
      Finish(grpc::Status(grpc::StatusCode::INVALID_ARGUMENT,
                          "interval_millis: must be within [0, 60000]"));
      return;
    }
    Next();
  }
  void OnWriteDone(bool ok) override {
    if (!Written(ok)) return;
    if (last_) {
      Finish(grpc::Status::OK);
      return;
    }
    After(interval_, [this] { Next(); });
  }

 private:
  void Next() {
    if (!StillOpen([this] {
          return absl::StrCat("the run ", run_id_, " is restarted when it comes back");
        })) {
      return;
    }
    absl::StatusOr<v1::RematchRun> run = runner_->Get(run_id_);
    if (run.ok() && run_id_.empty() && run->state() != "RUNNING") {
      run = absl::NotFoundError("no rematch run is in progress; name one with run_id");
    }
    if (!run.ok()) {
      Finish(ToGrpcStatus(run.status()));
      return;
    }
    run_id_ = run->run_id();  // an empty request follows the run it found
    last_ = run->state() != "RUNNING";
    run_ = std::move(*run);
    StartWrite(&run_);
  }

  const RematchRunner* const runner_;
  std::string run_id_;
  const absl::Duration interval_;
  bool last_ = false;
  v1::RematchRun run_;
};

class RematchServiceImpl final : public v1::RematchService::CallbackService {
 public:
  RematchServiceImpl(RematchRunner* runner, const std::atomic<bool>* stopping,
                     const CallContexts* calls)
      : runner_(runner), stopping_(stopping), calls_(calls) {}

  grpc::ServerUnaryReactor* StartRematch(grpc::CallbackServerContext* context,
                                         const v1::StartRematchRequest* request,
                                         v1::RematchRun* response) override {
    return calls_->Unary(context, request, response, [&](CallContext& call) {
      absl::Status status =
          Set(runner_->Start(request->k(), request->shortlist_factor(), request->per_seeker()),
              response);
      // Links this call (its caller) to the run's own entries.
      if (status.ok()) call.entry()->mutable_decision()->set_rematch_run_id(response->run_id());
      return status;
    });
  }
  grpc::ServerUnaryReactor* GetRematchRun(grpc::CallbackServerContext* context,
                                          const v1::GetRematchRunRequest* request,
                                          v1::RematchRun* response) override {
    return calls_->Unary(context, request, response, [&](CallContext&) {
      return Set(runner_->Get(request->run_id()), response);
    });
  }
  grpc::ServerUnaryReactor* GetRematchMatches(grpc::CallbackServerContext* context,
                                              const v1::GetRematchMatchesRequest* request,
                                              v1::RematchMatches* response) override {
    return calls_->Unary(context, request, response, [&](CallContext& call) -> absl::Status {
      const bool for_seeker = !request->seeker_id().empty();
      const auto subject_kind = for_seeker ? storage::RecordKind::kSeeker : storage::RecordKind::kVacancy;
      const auto listed_kind = for_seeker ? storage::RecordKind::kVacancy : storage::RecordKind::kSeeker;
      call.AddSubject(subject_kind, for_seeker ? request->seeker_id() : request->vacancy_id());
      if (for_seeker && !call.MaySeeSeeker(request->seeker_id())) {
        return absl::NotFoundError(absl::StrCat("seeker ", request->seeker_id(), ": not found"));
      }
      // A seeker's list is ordered with the fit of the seeker's needs only for
      // a viewer who may see them; everyone else gets the needs-blind order
      // (as TopVacanciesForSeeker, docs/security.md §3).
      const bool needs_blind =
          for_seeker &&
          !call.view().ShowsNeeds(runner_->ConsentsToShareNeeds(request->seeker_id()),
                                  /*in_record=*/false);
      v1::RematchRun run;
      auto matches = runner_->Matches(
          request->run_id(), request->seeker_id(), request->vacancy_id(),
          needs_blind ? storage::ListOrder::kNeedsBlind : storage::ListOrder::kAsRanked, &run);
      if (!matches.ok()) return matches.status();
      if (!for_seeker) {  // seekers the caller may not see are left out
        auto* list = matches->mutable_matches();
        list->erase(std::remove_if(list->begin(), list->end(),
                                   [&](const v1::RankedId& m) { return !call.MaySeeSeeker(m.id()); }),
                    list->end());
      }
      for (const v1::RankedId& m : matches->matches()) call.AddReturned(listed_kind, m.id());
      TraceStoredList(run, *request, *matches, needs_blind, call.entry()->mutable_decision());
      *response = std::move(*matches);
      return absl::OkStatus();
    });
  }
  grpc::ServerUnaryReactor* GetRematchReport(grpc::CallbackServerContext* context,
                                             const v1::GetRematchReportRequest* request,
                                             v1::RematchReport* response) override {
    return calls_->Unary(context, request, response, [&](CallContext& call) -> absl::Status {
      absl::StatusOr<v1::RematchReport> report = runner_->Report(request->run_id());
      if (!report.ok()) return report.status();
      v1::AuditDecision* decision = call.entry()->mutable_decision();
      decision->set_query("REMATCH_REPORT");
      decision->set_rematch_run_id(report->run_id());
      decision->set_policy_version(report->policy_version());
      // Rows by municipality of the caller's municipalities only.
      if (!call.SeesAllMunicipalities()) {
        ScopeReportToMunicipalities(call.scope()->municipalities, &*report);
      }
      *response = std::move(*report);
      return absl::OkStatus();
    });
  }
  grpc::ServerWriteReactor<v1::RematchRun>* WatchRematchRun(
      grpc::CallbackServerContext* context, const v1::WatchRematchRunRequest* request) override {
    // The opening of the watch is audited.
    CallContext call = calls_->Begin(context, *request);
    absl::Status status = call.Finish(call.refusal());
    return new RunWatch(runner_, *request, stopping_, status);
  }

 private:
  template <typename Result>
  static absl::Status Set(absl::StatusOr<Result> result, Result* response) {
    if (result.ok()) *response = std::move(*result);
    return result.status();
  }

  RematchRunner* const runner_;
  const std::atomic<bool>* const stopping_;
  const CallContexts* const calls_;
};

}  // namespace

std::unique_ptr<grpc::Service> MakeRematchService(RematchRunner* runner,
                                                  const std::atomic<bool>* stopping,
                                                  const CallContexts* calls) {
  return std::make_unique<RematchServiceImpl>(runner, stopping, calls);
}

}  // namespace jobmatch

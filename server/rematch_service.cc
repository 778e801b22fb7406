#include "server/rematch_service.h"

#include <algorithm>
#include <optional>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "grpcpp/alarm.h"
#include "jobmatch/v1/rematch_service.grpc.pb.h"
#include "server/grpc_status.h"

namespace jobmatch {
namespace {

template <typename Result>
grpc::ServerUnaryReactor* Reply(grpc::CallbackServerContext* context,
                                absl::StatusOr<Result> result, Result* response) {
  if (result.ok()) *response = std::move(*result);
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  reactor->Finish(ToGrpcStatus(result.status()));
  return reactor;
}

// Sends the run's state now, then every interval while it runs, then its
// final state. Waits with an alarm (no thread is held).
class RunWatch : public grpc::ServerWriteReactor<v1::RematchRun> {
 public:
  RunWatch(const RematchRunner* runner, const v1::WatchRematchRunRequest& request,
           const std::atomic<bool>* stopping)
      : runner_(runner), run_id_(request.run_id()),
        interval_(absl::Milliseconds(request.interval_millis() == 0 ? 500
                                                                    : request.interval_millis())),
        stopping_(stopping) {
    if (request.interval_millis() < 0 || request.interval_millis() > 60000) {
      Finish(grpc::Status(grpc::StatusCode::INVALID_ARGUMENT,
                          "interval_millis: must be within [0, 60000]"));
      return;
    }
    Next();
  }
  void OnWriteDone(bool ok) override {
    if (!ok) {
      Finish(grpc::Status(grpc::StatusCode::CANCELLED, "client went away"));
      return;
    }
    if (last_) {
      Finish(grpc::Status::OK);
      return;
    }
    alarm_.Set(absl::ToChronoTime(absl::Now() + interval_), [this](bool) { Next(); });
  }
  void OnCancel() override { cancelled_ = true; }
  void OnDone() override { delete this; }

 private:
  void Next() {
    if (cancelled_) {
      Finish(grpc::Status::CANCELLED);
      return;
    }
    if (stopping_ != nullptr && *stopping_) {
      Finish(grpc::Status(grpc::StatusCode::UNAVAILABLE,
                          absl::StrCat("server is shutting down; the run ", run_id_,
                                       " is restarted when it comes back")));
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
  const std::atomic<bool>* const stopping_;
  std::atomic<bool> cancelled_{false};
  bool last_ = false;
  v1::RematchRun run_;
  grpc::Alarm alarm_;
};

class RematchServiceImpl final : public v1::RematchService::CallbackService {
 public:
  RematchServiceImpl(RematchRunner* runner, const std::atomic<bool>* stopping,
                     const matcher::MatchIndex* index, ScopeOfCall scope_of,
                     const audit::Auditor* auditor)
      : runner_(runner), stopping_(stopping), index_(index), scope_of_(std::move(scope_of)),
        auditor_(auditor) {}

  grpc::ServerUnaryReactor* StartRematch(grpc::CallbackServerContext* context,
                                         const v1::StartRematchRequest* request,
                                         v1::RematchRun* response) override {
    return Reply(context,
                 runner_->Start(request->k(), request->shortlist_factor(), request->per_seeker()),
                 response);
  }
  grpc::ServerUnaryReactor* GetRematchRun(grpc::CallbackServerContext* context,
                                          const v1::GetRematchRunRequest* request,
                                          v1::RematchRun* response) override {
    return Reply(context, runner_->Get(request->run_id()), response);
  }
  grpc::ServerUnaryReactor* GetRematchMatches(grpc::CallbackServerContext* context,
                                              const v1::GetRematchMatchesRequest* request,
                                              v1::RematchMatches* response) override {
    const std::optional<AccessScope> scope =
        scope_of_ ? scope_of_(*context) : std::optional<AccessScope>();
    const auto in_scope = [&](const std::string& seeker_id) {
      if (!scope || scope->all_municipalities) return true;
      auto seeker = index_->GetSeeker(seeker_id);
      return seeker.has_value() && scope->MayAccess(seeker->home.municipality);
    };
    absl::StatusOr<v1::RematchMatches> matches;
    if (!request->seeker_id().empty() && !in_scope(request->seeker_id())) {
      matches = absl::NotFoundError(absl::StrCat("seeker ", request->seeker_id(), ": not found"));
    } else {
      matches = runner_->Matches(request->run_id(), request->seeker_id(), request->vacancy_id());
    }
    if (matches.ok() && !request->vacancy_id().empty() && scope && !scope->all_municipalities) {
      auto* list = matches->mutable_matches();
      list->erase(std::remove_if(list->begin(), list->end(),
                                 [&](const v1::RankedId& m) { return !in_scope(m.id()); }),
                  list->end());
    }
    if (auditor_ != nullptr) {
      v1::AuditEntry entry =
          auditor_->Begin(*context, "/jobmatch.v1.RematchService/GetRematchMatches");
      const bool for_seeker = !request->seeker_id().empty();
      auditor_->AddStoredRecord(for_seeker ? storage::RecordKind::kSeeker
                                           : storage::RecordKind::kVacancy,
                                for_seeker ? request->seeker_id() : request->vacancy_id(),
                                "SUBJECT", &entry);
      if (matches.ok()) {
        for (const v1::RankedId& m : matches->matches()) {
          auditor_->AddStoredRecord(for_seeker ? storage::RecordKind::kVacancy
                                               : storage::RecordKind::kSeeker,
                                    m.id(), "RETURNED", &entry);
        }
      }
      absl::Status audited = auditor_->Finish(std::move(entry), matches.status());
      if (!audited.ok() || !matches.ok()) matches = audited;
    }
    return Reply(context, std::move(matches), response);
  }
  grpc::ServerUnaryReactor* GetRematchReport(grpc::CallbackServerContext* context,
                                             const v1::GetRematchReportRequest* request,
                                             v1::RematchReport* response) override {
    return Reply(context, runner_->Report(request->run_id()), response);
  }
  grpc::ServerWriteReactor<v1::RematchRun>* WatchRematchRun(
      grpc::CallbackServerContext*, const v1::WatchRematchRunRequest* request) override {
    return new RunWatch(runner_, *request, stopping_);
  }

 private:
  RematchRunner* const runner_;
  const std::atomic<bool>* const stopping_;
  const matcher::MatchIndex* const index_;
  const ScopeOfCall scope_of_;
  const audit::Auditor* const auditor_;
};

}  // namespace

std::unique_ptr<grpc::Service> MakeRematchService(RematchRunner* runner,
                                                  const std::atomic<bool>* stopping,
                                                  const matcher::MatchIndex* index,
                                                  ScopeOfCall scope_of,
                                                  const audit::Auditor* auditor) {
  return std::make_unique<RematchServiceImpl>(runner, stopping, index, std::move(scope_of),
                                              auditor);
}

}  // namespace jobmatch

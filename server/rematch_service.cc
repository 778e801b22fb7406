#include "server/rematch_service.h"

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

class RematchServiceImpl final : public v1::RematchService::CallbackService {
 public:
  explicit RematchServiceImpl(RematchRunner* runner) : runner_(runner) {}

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
    return Reply(context,
                 runner_->Matches(request->run_id(), request->seeker_id(), request->vacancy_id()),
                 response);
  }

 private:
  RematchRunner* const runner_;
};

}  // namespace

std::unique_ptr<grpc::Service> MakeRematchService(RematchRunner* runner) {
  return std::make_unique<RematchServiceImpl>(runner);
}

}  // namespace jobmatch

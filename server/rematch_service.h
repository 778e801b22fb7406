// RematchService: the gRPC adapter over RematchRunner.
#ifndef JOBMATCH_SERVER_REMATCH_SERVICE_H_
#define JOBMATCH_SERVER_REMATCH_SERVICE_H_

#include <atomic>
#include <memory>

#include "grpcpp/grpcpp.h"
#include "server/rematch_runner.h"

namespace jobmatch {

// `stopping` (may be null): once true, WatchRematchRun streams end with
// UNAVAILABLE instead of holding shutdown up.
std::unique_ptr<grpc::Service> MakeRematchService(RematchRunner* runner,
                                                  const std::atomic<bool>* stopping = nullptr);

}  // namespace jobmatch

#endif  // JOBMATCH_SERVER_REMATCH_SERVICE_H_

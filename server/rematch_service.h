// RematchService: the gRPC adapter over RematchRunner.
#ifndef JOBMATCH_SERVER_REMATCH_SERVICE_H_
#define JOBMATCH_SERVER_REMATCH_SERVICE_H_

#include <atomic>
#include <memory>

#include "grpcpp/grpcpp.h"
#include "matcher/match_index.h"
#include "server/rematch_runner.h"

namespace jobmatch {

class CallContexts;

// `stopping` (may be null): once true, WatchRematchRun streams end with
// UNAVAILABLE instead of holding shutdown up. Every call goes through `calls`
// (not owned; call_context.h): stored matches show a caller only the
// seekers in its scope, as the live queries do (a seeker outside it reads as
// missing; a vacancy's list leaves them out), and every call is audited
// (reads of stored matches name the subject and the records returned).
std::unique_ptr<grpc::Service> MakeRematchService(RematchRunner* runner,
                                                  const std::atomic<bool>* stopping,
                                                  const CallContexts* calls);

}  // namespace jobmatch

#endif  // JOBMATCH_SERVER_REMATCH_SERVICE_H_

// RematchService: the gRPC adapter over RematchRunner.
#ifndef JOBMATCH_SERVER_REMATCH_SERVICE_H_
#define JOBMATCH_SERVER_REMATCH_SERVICE_H_

#include <atomic>
#include <memory>

#include "grpcpp/grpcpp.h"
#include "matcher/match_index.h"
#include "server/access_scope.h"
#include "server/audit/auditor.h"
#include "server/rematch_runner.h"

namespace jobmatch {

// `stopping` (may be null): once true, WatchRematchRun streams end with
// UNAVAILABLE instead of holding shutdown up. `index` (not owned) gives the
// seekers' municipalities for `scope_of`: stored matches show a caller only
// the seekers in its scope, as the live queries do (a seeker outside it reads
// as missing; a vacancy's list leaves them out). No scope_of: nothing is
// restricted. `auditor` (may be null): every read of stored matches leaves an
// audit entry naming the subject and the records returned.
std::unique_ptr<grpc::Service> MakeRematchService(RematchRunner* runner,
                                                  const std::atomic<bool>* stopping,
                                                  const matcher::MatchIndex* index,
                                                  ScopeOfCall scope_of,
                                                  const audit::Auditor* auditor = nullptr);

}  // namespace jobmatch

#endif  // JOBMATCH_SERVER_REMATCH_SERVICE_H_

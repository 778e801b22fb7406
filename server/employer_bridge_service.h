// EmployerBridgeService: the employer-service team's bridge view
// (matcher/employer_bridge.h). A thin adapter: reads employers and vacancies
// through the record keeper, counts candidates with the live index.
#ifndef JOBMATCH_SERVER_EMPLOYER_BRIDGE_SERVICE_H_
#define JOBMATCH_SERVER_EMPLOYER_BRIDGE_SERVICE_H_

#include <memory>

#include "grpcpp/grpcpp.h"
#include "matcher/match_index.h"
#include "server/access_scope.h"
#include "server/record_keeper.h"

namespace jobmatch {
class CallContexts;

// Not owned; must outlive the service. Every call goes through `calls`
// (call_context.h): candidate counts cover only seekers in the caller's
// municipalities, and every call is audited.
std::unique_ptr<grpc::Service> MakeEmployerBridgeService(const RecordKeeper* keeper,
                                                         const matcher::MatchIndex* index,
                                                         const CallContexts* calls);

}  // namespace jobmatch

#endif  // JOBMATCH_SERVER_EMPLOYER_BRIDGE_SERVICE_H_

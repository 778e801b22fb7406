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
namespace audit {
class Auditor;
}

// Not owned; must outlive the service. Candidate counts cover only seekers
// in the caller's municipalities (`scope_of`, may be null: all). `auditor`
// (may be null) logs every call.
std::unique_ptr<grpc::Service> MakeEmployerBridgeService(const RecordKeeper* keeper,
                                                         const matcher::MatchIndex* index,
                                                         ScopeOfCall scope_of,
                                                         const audit::Auditor* auditor);

}  // namespace jobmatch

#endif  // JOBMATCH_SERVER_EMPLOYER_BRIDGE_SERVICE_H_

// AuditService: the audit log for admins (authorisation: MethodPolicy) —
// listing by sequence and time, every access to one seeker's data, chain
// verification, and the replay of a logged match decision.
#ifndef JOBMATCH_SERVER_AUDIT_AUDIT_SERVICE_H_
#define JOBMATCH_SERVER_AUDIT_AUDIT_SERVICE_H_

#include <memory>

#include "grpcpp/grpcpp.h"
#include "matcher/match_index.h"
#include "matcher/reference_data.h"
#include "server/audit/auditor.h"
#include "storage/store.h"

namespace jobmatch {
class CallContexts;
}

namespace jobmatch::audit {

// Not owned; all must outlive the service. Its own calls are audited too.
std::unique_ptr<grpc::Service> MakeAuditService(const Auditor* auditor,
                                                const CallContexts* calls,
                                                const matcher::MatchIndex* index,
                                                const storage::Store* store,
                                                const matcher::ReferenceData* data);

}  // namespace jobmatch::audit

#endif  // JOBMATCH_SERVER_AUDIT_AUDIT_SERVICE_H_

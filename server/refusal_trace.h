// Every call refused at authentication, rate limiting or authorisation
// leaves a trace, like a served call does: it is counted in
// jobmatch_rpc_requests_total by method and code (method names from the
// descriptors only: anything else is "(unknown method)"), logged with its
// request id, and audited (method, caller if identified, request id, code).
// Refusals happen in gRPC's auth processor, before any interceptor or
// handler, so they are reported from there (CallAuthenticator::Refusal).
#ifndef JOBMATCH_SERVER_REFUSAL_TRACE_H_
#define JOBMATCH_SERVER_REFUSAL_TRACE_H_

#include "server/audit/auditor.h"
#include "server/auth/call_authenticator.h"
#include "server/observability.h"

namespace jobmatch {

// Not owned; both must outlive the authenticator's use of the observer.
auth::CallAuthenticator::RefusalObserver MakeRefusalTrace(Metrics* metrics,
                                                          const audit::Auditor* auditor);

}  // namespace jobmatch

#endif  // JOBMATCH_SERVER_REFUSAL_TRACE_H_

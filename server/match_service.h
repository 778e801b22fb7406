// MatchService: ranked, explained matches, explain, why-not, policy and the
// change feed. A thin adapter over matcher::MatchIndex and storage::Store.
#ifndef JOBMATCH_SERVER_MATCH_SERVICE_H_
#define JOBMATCH_SERVER_MATCH_SERVICE_H_

#include <atomic>
#include <memory>

#include "grpcpp/grpcpp.h"
#include "matcher/match_index.h"
#include "matcher/reference_data.h"
#include "server/feedback_ledger.h"
#include "server/observability.h"
#include "storage/store.h"

namespace jobmatch {
class CallContexts;
class RecordKeeper;

struct MatchServiceOptions {
  int max_limit = 100;
  int default_limit = 20;
  // How often WatchChanges polls the change log when it has caught up.
  absl::Duration watch_poll = absl::Milliseconds(200);
  // Takes in recorded feedback and marks live lists with it (may be null;
  // not owned).
  FeedbackLedger* feedback_ledger = nullptr;
};

// `store` receives feedback; `metrics` (may be null) counts it. Once
// `stopping` (may be null; must outlive the service) becomes true, open
// change feeds end within one poll interval with UNAVAILABLE naming the
// sequence to resume from, so that a graceful shutdown need not wait for them.
// Every call goes through `calls` (not owned; call_context.h): it limits
// each caller to the seekers of its municipalities (others read as
// NOT_FOUND; vacancy queries list only seekers in scope), applies the
// caller's view (functional needs), and audits every call, match queries
// with the decision's inputs and ranking. `keeper` (may be null:
// TopSeekersRequest.priority is then UNIMPLEMENTED) reads the seekers'
// target group and unemployment date for a consultant's priority order.
std::unique_ptr<grpc::Service> MakeMatchService(const matcher::MatchIndex* index,
                                                storage::Store* store, Metrics* metrics,
                                                const matcher::ReferenceData* data,
                                                MatchServiceOptions options,
                                                const std::atomic<bool>* stopping,
                                                const CallContexts* calls,
                                                const RecordKeeper* keeper = nullptr);

}  // namespace jobmatch

#endif  // JOBMATCH_SERVER_MATCH_SERVICE_H_

// PlacementHistoryService: imports placement histories with the times they
// happened (placement_history_service.proto, docs/placements.md "Importing
// placement histories"). A thin adapter: every event is checked with the
// rules RecordFeedback uses (feedback_validation.h, CheckPlacementOrder),
// plus the time rules of the import, and the valid ones are stored in one
// write through storage::FeedbackStore and taken into the feedback ledger.
#ifndef JOBMATCH_SERVER_PLACEMENT_IMPORT_SERVICE_H_
#define JOBMATCH_SERVER_PLACEMENT_IMPORT_SERVICE_H_

#include <memory>

#include "grpcpp/grpcpp.h"
#include "matcher/match_index.h"
#include "server/feedback_ledger.h"
#include "storage/store.h"

namespace jobmatch {
class CallContexts;

// Events per request.
inline constexpr int kMaxPlacementImportEvents = 1000;

// Not owned; must outlive the service. `ledger` may be null. Every call goes
// through `calls` (call_context.h): audited, and a caller scoped to some
// municipalities finds seekers outside them NOT_FOUND in the same words as a
// missing one.
std::unique_ptr<grpc::Service> MakePlacementImportService(const matcher::MatchIndex* index,
                                                          storage::Store* store,
                                                          FeedbackLedger* ledger,
                                                          const CallContexts* calls);

}  // namespace jobmatch

#endif  // JOBMATCH_SERVER_PLACEMENT_IMPORT_SERVICE_H_

// UpskillingService: skill gaps per area and upskilling plans per seeker
// (docs/upskilling.md). A thin adapter over matcher::SkillGapAnalyzer.
#ifndef JOBMATCH_SERVER_UPSKILLING_SERVICE_H_
#define JOBMATCH_SERVER_UPSKILLING_SERVICE_H_

#include <memory>

#include "grpcpp/grpcpp.h"
#include "matcher/course_catalogue.h"
#include "matcher/match_index.h"
#include "matcher/reference_data.h"
#include "matcher/scorer.h"
#include "server/access_scope.h"
#include "storage/store.h"

namespace jobmatch {
class CallContexts;

// Not owned; must outlive the service. `courses` may be null (no course
// catalogue). Every call goes through `calls` (call_context.h): an area is
// limited to the caller's municipalities (others: PERMISSION_DENIED naming
// them), a plan to seekers in scope (others read as NOT_FOUND), and every
// call is audited with its subject.
std::unique_ptr<grpc::Service> MakeUpskillingService(const matcher::MatchIndex* index,
                                                     const matcher::Scorer* scorer,
                                                     const storage::Store* store,
                                                     const matcher::ReferenceData* data,
                                                     const matcher::CourseCatalogue* courses,
                                                     const CallContexts* calls);

}  // namespace jobmatch

#endif  // JOBMATCH_SERVER_UPSKILLING_SERVICE_H_

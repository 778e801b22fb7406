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
namespace audit {
class Auditor;
}

// Not owned; must outlive the service. `courses` may be null (no course
// catalogue). `scope_of` (may be null: unrestricted) limits an area to the
// caller's municipalities (others: PERMISSION_DENIED naming them) and a plan
// to seekers in scope (others read as NOT_FOUND). `auditor` (may be null)
// logs every call with its subject.
std::unique_ptr<grpc::Service> MakeUpskillingService(const matcher::MatchIndex* index,
                                                     const matcher::Scorer* scorer,
                                                     const storage::Store* store,
                                                     const matcher::ReferenceData* data,
                                                     const matcher::CourseCatalogue* courses,
                                                     ScopeOfCall scope_of,
                                                     const audit::Auditor* auditor);

}  // namespace jobmatch

#endif  // JOBMATCH_SERVER_UPSKILLING_SERVICE_H_

// The nightly report's skill-gap section: the skills that would unlock the
// most near misses (matcher/skill_gap.h), computed after a run over every
// seeker, or over an even sample (every n-th seeker by id) when there are more
// than `max_seekers`, reusing the run's vacancy lists for the list cut-offs.
#ifndef JOBMATCH_SERVER_SKILL_GAP_REPORT_H_
#define JOBMATCH_SERVER_SKILL_GAP_REPORT_H_

#include <cstddef>

#include "absl/time/time.h"
#include "jobmatch/v1/rematch_service.pb.h"
#include "matcher/course_catalogue.h"
#include "matcher/match_index.h"
#include "matcher/scorer.h"

namespace jobmatch {

inline constexpr size_t kReportSkillGapSeekers = 3000;

// Fills report->skill_gaps. REQUIRES: report->k() set (the run's k). On an
// error (e.g. past a deadline) the section keeps only its settings and
// seekers_total, and the reason goes to the log: the run's report is not
// held back by it.
void AddSkillGapSection(const matcher::MatchIndex& index, const matcher::Scorer& scorer,
                        const matcher::CourseCatalogue* courses,
                        const matcher::BulkTopKResult& result, absl::Time now,
                        size_t max_seekers, v1::RematchReport* report);

}  // namespace jobmatch

#endif  // JOBMATCH_SERVER_SKILL_GAP_REPORT_H_

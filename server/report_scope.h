// The nightly report as a caller who sees only some municipalities gets it
// (docs/security.md, "The nightly report"): the rows by municipality
// (coverage and placement outcomes) of those municipalities only; the other
// municipalities' rows are left out, not summed into an "other" row (a sum
// of suppressed and shown rows could undo the small-count suppression).
// National totals, target groups and the fairness audit stay: they are
// counts over every municipality, suppressed when small.
#ifndef JOBMATCH_SERVER_REPORT_SCOPE_H_
#define JOBMATCH_SERVER_REPORT_SCOPE_H_

#include <vector>

#include "jobmatch/v1/rematch_service.pb.h"

namespace jobmatch {

// Keeps the rows of `municipalities` (kommunekoder) and records them in
// report->scoped_to_municipalities.
void ScopeReportToMunicipalities(const std::vector<int>& municipalities,
                                 v1::RematchReport* report);

}  // namespace jobmatch

#endif  // JOBMATCH_SERVER_REPORT_SCOPE_H_

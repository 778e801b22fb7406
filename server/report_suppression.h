// Small-count suppression of the nightly report's rows by municipality,
// target group, needs group, fairness stratum and priority band
// (docs/rematch.md, "Small counts"; the placement outcomes are suppressed
// where they are built, server/placement_report.h). Applied once when the
// report is built, so the stored report holds no small cell.
#ifndef JOBMATCH_SERVER_REPORT_SUPPRESSION_H_
#define JOBMATCH_SERVER_REPORT_SUPPRESSION_H_

#include <cstdint>

#include "jobmatch/v1/rematch_service.pb.h"

namespace jobmatch {

// Sets report->min_cell_people and suppresses (server/small_cells.h):
//  - coverage by municipality and by target group, each adding up to the
//    report's seekers;
//  - the fairness audit's raw groups (adding up to the seekers), its strata
//    (adding up to each raw group) and its target groups (adding up to
//    each raw group, and with and without needs to the coverage row of the
//    target group);
//  - the priority rows (adding up, per target group, to its coverage row).
// A suppressed row keeps its key and says `suppressed`; its figures are 0.
// The report's totals stay, and the fairness audit's weighted figures unless
// the group with needs is itself suppressed (then they are 0 too).
void SuppressSmallReportCells(uint64_t min_cell_people, v1::RematchReport* report);

}  // namespace jobmatch

#endif  // JOBMATCH_SERVER_REPORT_SUPPRESSION_H_

// The nightly report's placement outcomes (RematchReport.placements,
// docs/placements.md): every pair's life cycle from the stored feedback,
// counted by the seeker's municipality, target group and needs group as
// their records stand now. Counts only, never a person; erased seekers have
// no feedback left and are not counted. Rows of fewer than `min_cell_people`
// seekers are suppressed, with further rows so that none can be worked out
// from "all" (server/small_cells.h); medians of days to start only from
// at least that many starts.
#ifndef JOBMATCH_SERVER_PLACEMENT_REPORT_H_
#define JOBMATCH_SERVER_PLACEMENT_REPORT_H_

#include <cstdint>
#include <functional>
#include <string>

#include "absl/status/status.h"
#include "jobmatch/v1/rematch_service.pb.h"
#include "matcher/match_index.h"
#include "server/placement_lifecycle.h"
#include "storage/store.h"

namespace jobmatch {

// The section from life cycles already derived (seekers not in `index` are
// left out).
v1::PlacementOutcomes BuildPlacementOutcomes(
    const PlacementLifecycles& lifecycles, const matcher::MatchIndex& index,
    const std::function<std::string(int)>& municipality_name, uint64_t min_cell_people);

// Reads all stored feedback and sets report->placements.
absl::Status AddPlacementSection(const storage::Store& store, const matcher::MatchIndex& index,
                                 const std::function<std::string(int)>& municipality_name,
                                 uint64_t min_cell_people, v1::RematchReport* report);

}  // namespace jobmatch

#endif  // JOBMATCH_SERVER_PLACEMENT_REPORT_H_

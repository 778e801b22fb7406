// Priority as an explicit choice: a consultant may filter a vacancy's
// feasible candidates by target group and unemployment duration and order
// them "furthest from the labour market first". A re-ordering of the list the
// scores gave, chosen in the request: it never changes a score and is never
// the default. Also the report's rows by the same keys.
#ifndef JOBMATCH_MATCHER_PRIORITY_ORDER_H_
#define JOBMATCH_MATCHER_PRIORITY_ORDER_H_

#include <string>
#include <vector>

#include "absl/time/time.h"
#include "matcher/match_index.h"

namespace jobmatch::matcher {

enum class PriorityOrder { kByScore = 0, kLongestUnemployedFirst = 1, kTargetGroupOrder = 2 };

struct PriorityRequest {
  PriorityOrder order = PriorityOrder::kByScore;
  std::vector<std::string> target_groups;       // keep only these; empty = all
  int min_weeks_unemployed = 0;                 // > 0: unknown durations are left out
  std::vector<std::string> target_group_order;  // for kTargetGroupOrder, first = first
};

struct PriorityKeys {
  std::string target_group;
  int weeks_unemployed = -1;  // -1: unknown
};

// Whole weeks from `since` to `now` (0 if since is later); -1 if since is
// the unix epoch (unknown).
int WeeksUnemployed(absl::Time since, absl::Time now);

// Keeps the matches (ranked by score) that pass the filters and orders them
// as asked; ties keep their score order. `keys[i]` belongs to (*matches)[i]
// on entry and follows it. Ranks are renumbered 1.. in the new order.
void ApplyPriority(const PriorityRequest& request, std::vector<Match>* matches,
                   std::vector<PriorityKeys>* keys);

// The unemployment band a report shows: "0-25 weeks", "26-51 weeks",
// "52-103 weeks", "104+ weeks" or "unknown".
const char* UnemploymentBand(int weeks_unemployed);

struct PrioritySeeker {
  PriorityKeys keys;
  bool has_match = false;
  double best_score = 0;  // the rank-1 score of the run's list, if has_match
};

struct PriorityRow {
  std::string target_group;  // "(none)" for no group
  std::string band;
  size_t seekers = 0;
  size_t with_match = 0;
  double share_with_match = 0;
  double median_best_score = 0;  // of those with a match; 0 if none
};

// One row per (target group, band) that has seekers, by group then band.
std::vector<PriorityRow> BuildPriorityRows(const std::vector<PrioritySeeker>& seekers);

}  // namespace jobmatch::matcher

#endif  // JOBMATCH_MATCHER_PRIORITY_ORDER_H_

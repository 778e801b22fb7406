#include "server/query_options.h"

#include "matcher/tie_order.h"

namespace jobmatch {

absl::Status ApplyQueryOptions(int32_t occupation_breadth, matcher::MatchQuery* query) {
  if (occupation_breadth != 0 && (occupation_breadth < 2 || occupation_breadth > 4)) {
    return absl::InvalidArgumentError(
        "occupation_breadth: must be 0 (the policy's), 2 (same ISCO sub-major group), 3 (same "
        "minor group) or 4 (same unit group)");
  }
  query->occupation_breadth = occupation_breadth;
  query->tie_seed = matcher::DaySeed(query->now);
  return absl::OkStatus();
}

}  // namespace jobmatch

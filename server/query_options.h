// The options of a live match query beyond size, paging and filters: the
// consultant's occupation breadth for this one search (validated here, at
// the edge, naming the request field) and the day's tie order.
#ifndef JOBMATCH_SERVER_QUERY_OPTIONS_H_
#define JOBMATCH_SERVER_QUERY_OPTIONS_H_

#include <cstdint>

#include "absl/status/status.h"
#include "matcher/match_index.h"

namespace jobmatch {

// InvalidArgument naming `occupation_breadth` unless it is 0 (the policy's),
// 2, 3 or 4; otherwise sets it on `query`, and the tie seed of query->now
// (matcher::DaySeed), so call it after query->now is set.
absl::Status ApplyQueryOptions(int32_t occupation_breadth, matcher::MatchQuery* query);

}  // namespace jobmatch

#endif  // JOBMATCH_SERVER_QUERY_OPTIONS_H_

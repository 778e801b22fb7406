// The order in which equal scores are listed. Ties used to go to the lowest
// id, so the same people came first in every list, every night. Now a seed
// picks a pseudo-random order of the ids: the same for every query made with
// that seed (answers are reproducible), a different one for the next seed.
// Live queries take the day's seed (LiveTieSeed), a nightly run its own
// (RunTieSeed, recorded with the run).
#ifndef JOBMATCH_MATCHER_TIE_ORDER_H_
#define JOBMATCH_MATCHER_TIE_ORDER_H_

#include <cstdint>
#include <string_view>

#include "absl/time/time.h"

namespace jobmatch::matcher {

// The position of `id` in seed's order: a stable hash (the same in every
// process and build) of the id and the seed.
uint64_t TieKey(std::string_view id, uint64_t seed);

// True if `a` comes before `b` among equal scores. Seed 0 keeps plain id
// order (tools and tests that want it); any other seed orders by TieKey, and
// by id in the (astronomically rare) case of equal keys.
inline bool TieBefore(std::string_view a, std::string_view b, uint64_t seed) {
  if (seed == 0) return a < b;
  const uint64_t ka = TieKey(a, seed), kb = TieKey(b, seed);
  return ka != kb ? ka < kb : a < b;
}

// The seed of live queries made at `now`: one per UTC day, never 0. A query's
// trace (computed_at) therefore names its seed, and a replay finds it.
uint64_t LiveTieSeed(absl::Time now);

// The seed of a nightly run, from its id: never 0.
uint64_t RunTieSeed(std::string_view run_id);

}  // namespace jobmatch::matcher

#endif  // JOBMATCH_MATCHER_TIE_ORDER_H_

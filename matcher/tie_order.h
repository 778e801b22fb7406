// The order in which equal scores are listed. Ties used to go to the lowest
// id, so the same people came first in every list, every night. Now a seed
// picks a pseudo-random order of the ids: the same for every query made with
// that seed (answers are reproducible), a different one for the next seed.
// The seed is the day's (DaySeed): live queries take the seed of the day they
// are made, a nightly run the seed of the day it starts, so a night's stored
// lists equal the live queries of that day on the same data, and the order
// of tied candidates changes every day.
#ifndef JOBMATCH_MATCHER_TIE_ORDER_H_
#define JOBMATCH_MATCHER_TIE_ORDER_H_

#include <algorithm>
#include <cstdint>
#include <string_view>
#include <utility>
#include <vector>

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

// Indices 0..n-1 sorted so that id_of(i) are in seed's tie order (each key
// computed once: for sorting many ids).
template <typename IdOf>
std::vector<uint32_t> InTieOrder(size_t n, uint64_t seed, const IdOf& id_of) {
  std::vector<std::pair<uint64_t, uint32_t>> keyed(n);
  for (uint32_t i = 0; i < n; ++i) keyed[i] = {seed == 0 ? 0 : TieKey(id_of(i), seed), i};
  std::sort(keyed.begin(), keyed.end(), [&](const auto& a, const auto& b) {
    if (a.first != b.first) return a.first < b.first;
    return id_of(a.second) < id_of(b.second);
  });
  std::vector<uint32_t> order(n);
  for (uint32_t i = 0; i < n; ++i) order[i] = keyed[i].second;
  return order;
}

// The seed of queries and runs made at `now`: one per UTC day, never 0. A
// query's trace (computed_at) therefore names its seed, and a replay finds it.
uint64_t DaySeed(absl::Time now);

}  // namespace jobmatch::matcher

#endif  // JOBMATCH_MATCHER_TIE_ORDER_H_

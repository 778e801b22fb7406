// Capacity-aware recommendations for the nightly rematch: spread seekers over
// vacancies so that no vacancy is flooded while similar ones get none.
//
// Problem: a bipartite graph of (seeker, vacancy, score) candidate pairs,
// the score being the needs-blind total (AllocationInputFrom);
// each vacancy takes at most openings x shortlist_factor suggestions, each
// seeker at most `per_seeker` per night. Maximise the total score, and give
// every seeker with a candidate at least one suggestion where capacity allows.
//
// Method (deterministic):
//  1. Greedy maximum-weight b-matching: all pairs by score, best first, while
//     both sides have capacity. O(E log E). Guarantee: at least 1/2 of the
//     optimum total; on small instances solved exactly the test measures how
//     close it is in practice.
//  2. Coverage repair: each seeker left without a suggestion takes its best
//     candidate vacancy with capacity left; failing that, a place is freed at
//     one of its candidates at the least score loss (a holder with several
//     suggestions gives one up, or a holder moves to another of its
//     candidates that has capacity). This trades a little score for
//     coverage, which is the point.
#ifndef JOBMATCH_MATCHER_ALLOCATION_H_
#define JOBMATCH_MATCHER_ALLOCATION_H_

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "matcher/match_index.h"

namespace jobmatch::matcher {

struct CandidatePair {
  uint32_t seeker;   // dense index
  uint32_t vacancy;  // dense index
  double score;
};

struct AllocationInput {
  size_t seekers = 0;
  std::vector<int> vacancy_capacity;  // by vacancy index
  int per_seeker = 3;
  std::vector<CandidatePair> pairs;
};

struct AllocationReport {
  double total_score = 0;
  size_t suggestions = 0;
  double share_vacancies_with_suggestion = 0;
  double share_seekers_with_suggestion = 0;  // of seekers with any candidate
  double gini_suggestions_per_vacancy = 0;   // 0 = even, 1 = all on one vacancy
  double mean_score = 0;
};

struct Allocation {
  std::vector<CandidatePair> chosen;
  AllocationReport report;
};

Allocation Allocate(const AllocationInput& input);

// How AllocationInputFrom numbers and filters the bulk pass.
struct AllocationInputOptions {
  // Places at a vacancy (by id); required.
  std::function<int(const std::string&)> capacity;
  int per_seeker = 3;
  // Dense index order of result.vacancies_for_seeker / seekers_for_vacancy
  // (a permutation); empty keeps the result's order. The allocation gives
  // ties to the lower index, so a shuffled order makes equal candidates take
  // turns from run to run (matcher/tie_order.h).
  std::vector<uint32_t> seeker_order;
  std::vector<uint32_t> vacancy_order;
  // Pairs left out of the allocation (e.g. closed by feedback); may be empty.
  std::function<bool(const std::string& seeker_id, const std::string& vacancy_id)> closed;
};

// The allocation's input from a bulk pass, and the ids behind its dense
// indices: seekers[i] / vacancies[j] name seeker i / vacancy j of the input.
struct IndexedAllocationInput {
  AllocationInput input;
  std::vector<const std::string*> seekers;
  std::vector<const std::string*> vacancies;
};

// The pairs are each seeker's top-k by the needs-blind total
// (BulkTopKResult::NeedsBlindVacancies), scored with that total. So seekers
// compete for a vacancy's places on the needs-blind total only: a functional
// need or a health-based limit never costs a place.
IndexedAllocationInput AllocationInputFrom(const BulkTopKResult& result,
                                           const AllocationInputOptions& options);

// Plain top-k without capacities: each seeker's best `per_seeker` pairs. The
// baseline the allocation is reported against.
Allocation PlainTopK(const AllocationInput& input);

// Gini coefficient of non-negative counts.
double Gini(std::vector<double> counts);

}  // namespace jobmatch::matcher

#endif  // JOBMATCH_MATCHER_ALLOCATION_H_

// Ground-truth relevance of a vacancy for a seeker, and the list metrics
// (recall@k, nDCG@k) the quality bench reports. The grade reads only the
// hidden truth (clients/datagen/ground_truth.h) and the vacancy's ESCO
// occupation, never the matcher's score. docs/quality.md defines it.
#ifndef JOBMATCH_BENCH_QUALITY_RELEVANCE_H_
#define JOBMATCH_BENCH_QUALITY_RELEVANCE_H_

#include <cstddef>
#include <vector>

#include "clients/datagen/ground_truth.h"
#include "matcher/taxonomy.h"

namespace jobmatch::quality {

// 3: has worked in the vacancy's ESCO occupation and truly holds at least
//    75% of its essential skills;
// 2: holds at least 75%, or has worked in the same ISCO unit group and
//    holds at least 50%;
// 1: holds at least 50%;
// 0: otherwise.
// A "ground-truth fit" is grade >= kFitGrade.
int TruthGrade(const datagen::SeekerTruth& truth, matcher::OccupationId vacancy_occupation,
               const matcher::Taxonomy& taxonomy);
inline constexpr int kFitGrade = 2;

struct ListMetrics {
  bool has_fit = false;  // some entry of the list has grade >= kFitGrade
  size_t fits = 0;       // entries with grade >= kFitGrade
  double recall = 0;     // fits in the top k / min(k, fits)
  double ndcg = 0;       // gains 2^grade - 1, discount 1 / log2(rank + 1)
};

// Recall@k of a subset of the fits (`in_subset` by position, same length as
// `grades`): its fits in the top k / min(k, its fits); -1 if it has none.
double SubsetRecall(const std::vector<int>& grades, const std::vector<bool>& in_subset, size_t k);

// `grades` in the ranked order of the whole candidate list (all feasible
// vacancies); the ideal ordering for nDCG is taken from the same list.
ListMetrics EvaluateList(const std::vector<int>& grades, size_t k);

}  // namespace jobmatch::quality

#endif  // JOBMATCH_BENCH_QUALITY_RELEVANCE_H_

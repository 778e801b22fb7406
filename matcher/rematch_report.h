// RematchReport: what one nightly rematch run found, for the people who act
// on it: coverage per municipality and target group, score distributions,
// vacancies nobody fits, and a fairness audit of seekers with functional
// needs against comparable seekers without. Plain C++ over a BulkTopKResult;
// the server converts it to proto and stores it with the snapshot.
//
// Definitions (what a reader of the report may rely on):
//  - A seeker "has a feasible match" when their top-k list is not empty: at
//    least one vacancy passes every hard constraint (commute, needs, hours,
//    licences, ...). Coverage = seekers with a match / seekers.
//  - "Best score" is the seeker's best needs-blind total (rank 1 of
//    BulkTopKResult::NeedsBlindVacancies), never the seeker's own view with
//    its needs-fit part; medians of best scores are over seekers WITH a match
//    only.
//  - Score distributions: a histogram of `kHistogramBins` equal bins over
//    [0, 1] (a score of exactly 1 falls in the last bin) and deciles (the
//    0th, 10th, ..., 100th percentile, nearest-rank) of (a) best scores and
//    (b) every score in every seeker's top-k list.
//  - A vacancy "has no candidate" when its top-k seeker list is empty.
//
// Fairness audit (direct standardisation). Seekers with functional needs
// differ from others in skills and commute, which alone move coverage and
// scores; comparing raw shares would blame (or excuse) the matching for
// that. So:
//  1. Every seeker falls into one stratum: skills held (bands 0-4, 5-9,
//     10-19, 20+) x maximum one-way commute (bands <=30, 31-60, 61-90, >90
//     minutes): 16 strata.
//  2. Within each stratum: share with a feasible match and median best score,
//     separately for seekers with needs and for the others.
//  3. Weighted to the needs group's composition: each stratum counts with
//     the number of seekers with needs in it, over strata where both groups
//     have seekers (for the medians: matched seekers). needs_share and
//     comparable_share are those weighted means; share_difference =
//     needs_share - comparable_share (negative: seekers with needs fare
//     worse than comparable seekers without). Likewise the weighted mean of
//     the strata's median best scores and their difference.
//  4. Seekers with needs in strata without any comparable seeker are counted
//     in `needs_without_comparison` and left out of the weighted figures.
// The raw (unstratified) shares and medians are reported beside them.
// "With needs" means functional needs, avoided work demands or a
// health-based limit (a commute limit for health reasons, a daily hour cap,
// fleksjob). Since every score compared is needs-blind, the coverage and
// best-score differences are the gap caused by hard constraints: jobs that
// are truly not possible. The gap caused by ranking must be 0, and is
// checked: `ranking_inversions` counts (seeker with needs, vacancy) pairs
// where the seeker's needs-blind total for the vacancy exceeds the last score
// of the vacancy's top-k list yet the seeker is not in it, or is in it with
// another score. Each group also reports how many appear in at least one
// vacancy's list and how many got an allocated suggestion, and the audit is
// repeated per target group (raw, unstratified).
// With fewer than kMinStratumSeekers seekers with needs in total, the
// difference is reported but flagged as too few to judge (`small_sample`).
//
// Counts of people, perturbed (when asked): every count of seekers in the
// report's rows and groups (per municipality and target group, every
// fairness group; not the national totals) is published as matcher/cell_key.h perturbs it, with the cell key
// of its contributors' record keys; the shares are recomputed from the
// published counts (capped at 1), and the fairness audit's weighted figures
// are computed from those. Medians, score distributions and vacancy counts
// are not perturbed.
#ifndef JOBMATCH_MATCHER_REMATCH_REPORT_H_
#define JOBMATCH_MATCHER_REMATCH_REPORT_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "matcher/match_index.h"

namespace jobmatch::matcher {

inline constexpr int kHistogramBins = 20;
inline constexpr size_t kMinStratumSeekers = 30;

// What the report needs to know of each seeker.
struct ReportSeeker {
  bool known = false;  // false: erased since the run; left out of everything
  int municipality = 0;
  std::string target_group;  // "" reported as "(none)"
  // Functional needs, avoided work demands or a health-based limit.
  bool has_functional_needs = false;
  bool has_suggestion = false;  // the allocation gave them at least one
  size_t skills = 0;
  int max_commute_minutes = 0;
  // From a keyed hash of the seeker's id, the same every night (cell_key.h).
  uint32_t record_key = 0;
};

struct CoverageRow {
  std::string key;  // municipality code as text, or target group
  size_t seekers = 0;
  size_t with_match = 0;
  double share_with_match = 0;
  double median_best_score = 0;  // of seekers with a match; 0 if none
};

struct ScoreDistribution {
  size_t count = 0;
  double mean = 0;
  std::vector<size_t> histogram;  // kHistogramBins counts over [0, 1]
  std::vector<double> deciles;    // 11 values (0%..100%); empty if count == 0
};

struct FairnessGroup {
  size_t seekers = 0;
  size_t with_match = 0;
  double share_with_match = 0;
  double median_best_score = 0;
  size_t in_vacancy_list = 0;  // in at least one vacancy's top-k seekers
  double share_in_vacancy_list = 0;
  size_t with_suggestion = 0;  // given at least one suggestion by the allocation
  double share_with_suggestion = 0;
};

struct FairnessTargetGroup {
  std::string target_group;  // "" reported as "(none)"
  FairnessGroup with_needs;
  FairnessGroup without_needs;
};

struct FairnessStratum {
  std::string skills_band;   // e.g. "5-9"
  std::string commute_band;  // e.g. "31-60 min"
  FairnessGroup with_needs;
  FairnessGroup without_needs;
};

struct FairnessAudit {
  std::vector<FairnessStratum> strata;  // all 16, in band order
  FairnessGroup raw_with_needs;         // unstratified
  FairnessGroup raw_without_needs;
  // Standardised to the needs group's strata (see the file comment).
  double needs_share = 0;
  double comparable_share = 0;
  double share_difference = 0;
  double needs_median_best = 0;
  double comparable_median_best = 0;
  double median_best_difference = 0;
  size_t needs_without_comparison = 0;
  bool small_sample = true;
  // Must be 0 (see the file comment).
  size_t ranking_inversions = 0;
  std::vector<FairnessTargetGroup> by_target_group;  // by name
};

struct RematchReport {
  size_t seekers = 0;
  size_t seekers_with_match = 0;
  size_t vacancies = 0;
  size_t vacancies_without_candidate = 0;
  std::vector<CoverageRow> by_municipality;  // by code, ascending
  std::vector<CoverageRow> by_target_group;  // by name
  ScoreDistribution best_scores;
  ScoreDistribution all_scores;
  FairnessAudit fairness;
};

// `seekers[i]` describes result.vacancies_for_seeker[i]. REQUIRES: equal sizes
// (extra entries on either side are ignored).
// `perturb_counts`: publish counts of people perturbed by their cell keys
// (see the file comment).
RematchReport BuildRematchReport(const BulkTopKResult& result,
                                 const std::vector<ReportSeeker>& seekers,
                                 bool perturb_counts = false);

// Nearest-rank percentile (0..100) of `sorted` (ascending, non-empty).
double Percentile(const std::vector<double>& sorted, double percent);

}  // namespace jobmatch::matcher

#endif  // JOBMATCH_MATCHER_REMATCH_REPORT_H_

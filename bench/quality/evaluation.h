// One sweep over a World: the invariant checks (each a named property with
// the number of cases checked and of violations) and the match-quality
// figures against the hidden ground truth. docs/quality.md explains each.
#ifndef JOBMATCH_BENCH_QUALITY_EVALUATION_H_
#define JOBMATCH_BENCH_QUALITY_EVALUATION_H_

#include <cstdint>
#include <string>
#include <vector>

#include "bench/quality/outcomes.h"
#include "bench/quality/world.h"

namespace jobmatch::quality {

struct Property {
  // "needs", "commute", "hours", "fleksjob" (LimitSuffix) or "consistency".
  std::string group;
  std::string name;
  std::string description;
  uint64_t checked = 0;
  // Of the cases checked, those that involve a development placement
  // (virksomhedspraktik, løntilskud, IGU, voksenlærling): a case at such a
  // vacancy, or a list (or a seeker's candidates) holding one.
  uint64_t checked_development = 0;
  uint64_t violations = 0;
  std::string example;  // the first violation found, for a reader to reproduce
};

struct QualityRow {
  std::string group;        // "all", "target group X", "with needs", ...
  size_t seekers = 0;       // graded seekers with at least one feasible vacancy
  size_t with_fit = 0;      // ... of whom have a ground-truth fit among them
  size_t truncated = 0;     // more than kCandidateLimit feasible vacancies
  double feasible_sum = 0;  // feasible vacancies in their lists
  double fits_sum = 0;      // ground-truth fits among them
  double recall_sum = 0, ndcg_sum = 0;                // the matcher's order
  double random_recall_sum = 0, random_ndcg_sum = 0;  // a random order of the same list
  // Recall@k of the fits the case file shows (its own grade is a fit too)
  // and of those only the truth knows, over seekers who have such fits.
  size_t with_visible = 0, with_hidden = 0;
  double visible_recall_sum = 0, hidden_recall_sum = 0;
  double random_hidden_recall_sum = 0;
};

// The second ground truth: generated placement histories (outcomes.h) of
// the graded seekers, per proposal source. A "placement" here is a pair that
// started and was still in work at the 3-month follow-up.
struct OutcomeFigures {
  size_t proposals = 0, started = 0, in_work_3_months = 0, back_to_benefits = 0;
  size_t seekers = 0;  // graded seekers with at least one placement
  double recall_sum = 0, ndcg_sum = 0;                // the matcher's order
  double random_recall_sum = 0, random_ndcg_sum = 0;  // the same random order as QualityRow
};
struct OutcomeRow {
  std::string group;  // as QualityRow
  OutcomeFigures by_source[kProposalSources];
};

struct Evaluation {
  std::vector<Property> properties;
  std::vector<QualityRow> quality;
  std::vector<OutcomeRow> outcomes;  // in the order of `quality`
  double seconds = 0;
  // Needs-blind own-list cases compared only as deep as the twin's list
  // went (the twin had kCandidateLimit or more feasible vacancies and fewer
  // than k of the first kCandidateLimit were feasible for the seeker).
  uint64_t own_list_partial = 0;
  // Of the properties in `group` (empty: all).
  uint64_t violations(const std::string& group = "") const;
};

// The k of recall@k and nDCG@k.
inline constexpr size_t kListSize = 20;
// A graded seeker's whole candidate list is read with one query of this
// many (the API's maximum).
inline constexpr size_t kCandidateLimit = 1000;
// Live vacancy lists are checked this deep (a consultant paging five pages).
inline constexpr size_t kLiveVacancyDepth = 100;

Evaluation Evaluate(const World& world);

// The groups a run can be limited to (quality_bench --only).
std::vector<std::string> PropertyGroups();

// Plain-text tables of both parts.
std::string FormatInvariants(const Evaluation& evaluation);
std::string FormatQuality(const Evaluation& evaluation);
std::string FormatOutcomes(const Evaluation& evaluation);

}  // namespace jobmatch::quality

#endif  // JOBMATCH_BENCH_QUALITY_EVALUATION_H_

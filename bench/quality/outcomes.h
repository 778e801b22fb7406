// Generated placement histories: the second ground truth of the quality
// bench (docs/quality.md, "Placement outcomes as a second ground truth").
//
// For a graded seeker, pairs are proposed (by a consultant independently of
// the matcher, and by the nightly run's recommendations), and each proposal
// gets a history in the vocabulary of the placement life cycle
// (docs/placements.md): STARTED or not, FOLLOWED_UP at 1, 3 and 6 months while
// still in work, ENDED with an end outcome. Every probability depends only
// on the hidden truth's grade of the pair (relevance.h); the rates are
// assumptions fixed before any figure was measured (kOutcomeRates), not
// facts about Danish placements. Everything is drawn from the seed and the
// seeker's id, so a run is reproducible and independent of threading.
#ifndef JOBMATCH_BENCH_QUALITY_OUTCOMES_H_
#define JOBMATCH_BENCH_QUALITY_OUTCOMES_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace jobmatch::quality {

// Who proposed the pair.
enum class ProposalSource {
  // A consultant, independently of the matcher: a vacancy drawn uniformly
  // from the seeker's feasible vacancies (the hard rules apply, the
  // matcher's order does not).
  kIndependent = 0,
  // The nightly run's recommendations to the seeker (the feedback loop:
  // only pairs the matcher suggested can become placements).
  kMatcherSuggested = 1,
};
inline constexpr int kProposalSources = 2;
const char* ProposalSourceName(ProposalSource source);

// How an ENDED placement ended (the proto's EndOutcome, as plain C++).
enum class EndOutcome { kNone = 0, kToEmployment, kToEducation, kBackToBenefits };

struct PlacementHistory {
  size_t position = 0;  // in the seeker's candidate list (0 = the matcher's first)
  ProposalSource source = ProposalSource::kIndependent;
  int grade = 0;         // the hidden truth's grade of the pair
  bool started = false;  // STARTED
  // The last FOLLOWED_UP month still in work: 0 (ended before 1 month), 1,
  // 3 or 6 (still in work at the last follow-up). Only if started.
  int months_in_work = 0;
  EndOutcome ended = EndOutcome::kNone;  // ENDED before 6 months, and how
  // The pair the outcome figure counts: started and still in work at the
  // 3-month follow-up.
  bool InWorkAt3Months() const { return started && months_in_work >= 3; }
};

// The assumed rates by the truth's grade (0..3), indexed [grade].
struct OutcomeRates {
  size_t independent_proposals;      // per seeker (fewer if the list is shorter)
  double start[4];                   // P(STARTED | proposed)
  double end_before_1_month[4];      // P(ENDED before the 1-month follow-up | started)
  double end_1_to_3_months[4];       // P(ENDED before 3 months | in work at 1)
  double end_3_to_6_months[4];       // P(ENDED before 6 months | in work at 3)
  double back_to_benefits[4];        // P(BACK_TO_BENEFITS | ENDED); else employment/education
};
extern const OutcomeRates kOutcomeRates;

// The histories of one seeker's proposals. `vacancy_ids` and `grades` are
// the seeker's candidate list (in the matcher's order) and the truth's grade
// of each; `suggested` the positions in that list of the nightly run's
// recommendations. A pair proposed by both sources gets one history, listed
// once per source. Which vacancies the consultant proposes and every
// history are drawn from (seed, seeker id, vacancy id) alone, so they do not
// depend on the matcher's order: two matcher versions with the same
// feasible vacancies are graded against the same placements.
std::vector<PlacementHistory> DrawPlacements(uint64_t seed, const std::string& seeker_id,
                                             const std::vector<std::string>& vacancy_ids,
                                             const std::vector<int>& grades,
                                             const std::vector<size_t>& suggested);

// Recall@k and nDCG@k (binary gain) of the positions marked in `success`
// in a list (in its order); -1 for both if none is marked.
struct OutcomeMetrics {
  size_t successes = 0;
  double recall = -1, ndcg = -1;
};
OutcomeMetrics EvaluateOutcomes(const std::vector<bool>& success, size_t k);

}  // namespace jobmatch::quality

#endif  // JOBMATCH_BENCH_QUALITY_OUTCOMES_H_

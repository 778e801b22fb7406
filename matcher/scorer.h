// Scorer: the one scoring function of jobmatch. Live queries, explanations,
// "why not" and the nightly rematch all call Evaluate, so they cannot
// disagree. Evaluate is a pure function of (seeker, vacancy, policy, now) and
// the immutable reference data the Scorer was built with; thread-safe.
//
// Hard constraints are checked first, in a fixed order (the first one that
// fails is reported). Soft parts are each in [0, 1]:
//   requirements fit = weighted mean of essential skills, optional skills,
//                      education (parts that do not apply are left out);
//   preference fit   = weighted mean of occupation fit, commute, hours;
//   total            = share * requirements + (1 - share) * preference.
// Functional needs decide feasibility only; the needs-fit part enters
// seeker_view_total (ranking vacancies for that seeker), never total.
#ifndef JOBMATCH_MATCHER_SCORER_H_
#define JOBMATCH_MATCHER_SCORER_H_

#include <limits>
#include <optional>

#include "absl/time/time.h"
#include "matcher/commute_model.h"
#include "matcher/policy.h"
#include "matcher/profiles.h"
#include "matcher/schemes.h"
#include "matcher/score.h"
#include "matcher/taxonomy.h"

namespace jobmatch::matcher {

// A seeker's skills and their broader concepts as bitsets over SkillId, so
// that scoring one seeker against many vacancies looks skills up in O(1).
// Gives exactly the credits the sorted vectors give (the index's property
// test compares both paths).
class SeekerSkillBits {
 public:
  void Assign(const SeekerProfile& seeker, size_t skill_count);
  bool HasSkill(SkillId id) const { return (skills_[id >> 6] >> (id & 63)) & 1u; }
  bool HasParent(SkillId id) const { return (parents_[id >> 6] >> (id & 63)) & 1u; }

 private:
  std::vector<uint64_t> skills_, parents_;
};

class Scorer {
 public:
  // Not owned; must outlive the Scorer.
  Scorer(const Taxonomy* taxonomy, const CommuteModel* commute, const Schemes* schemes)
      : taxonomy_(taxonomy), commute_(commute), schemes_(schemes) {}

  enum class Detail { kTotals, kExplain };

  // REQUIRES: both profiles prepared (PrepareSeeker / PrepareVacancy).
  // For top-k: a pair whose best possible total is below `total_below` and
  // whose best possible seeker_view_total is below `seeker_view_below` is
  // returned early with Score::pruned set. The defaults prune nothing; set a
  // side to +infinity when only the other side's list matters.
  struct Cutoff {
    double total_below = -std::numeric_limits<double>::infinity();
    double seeker_view_below = -std::numeric_limits<double>::infinity();
  };

  // `seeker_bits`, if given, must have been assigned from `seeker`; it only
  // makes the skill lookups faster.
  Score Evaluate(const SeekerProfile& seeker, const VacancyProfile& vacancy, const Policy& policy,
                 absl::Time now, Detail detail, const SeekerSkillBits* seeker_bits = nullptr,
                 std::optional<Cutoff> cutoff = std::nullopt) const;

  const Taxonomy& taxonomy() const { return *taxonomy_; }
  const CommuteModel& commute_model() const { return *commute_; }

 private:
  const Taxonomy* taxonomy_;
  const CommuteModel* commute_;
  const Schemes* schemes_;
};

}  // namespace jobmatch::matcher

#endif  // JOBMATCH_MATCHER_SCORER_H_

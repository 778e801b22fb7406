// Score: the result and explanation of scoring one (seeker, vacancy) pair.
#ifndef JOBMATCH_MATCHER_SCORE_H_
#define JOBMATCH_MATCHER_SCORE_H_

#include <optional>
#include <string>
#include <vector>

#include "matcher/commute_model.h"
#include "matcher/placement_rules.h"
#include "matcher/profiles.h"

namespace jobmatch::matcher {

// Stable reason codes: soft parts of the score and hard constraints. The
// numbers and names are part of the API; only append.
enum class Reason : uint8_t {
  // Soft parts (each valued in [0, 1]).
  kEssentialSkills = 1,
  kOptionalSkills = 2,
  kEducation = 3,
  kOccupationFit = 4,
  kCommute = 5,
  kHoursFit = 6,
  kNeedsFit = 7,  // seeker's view only
  kDevelopmentPotential = 8,  // development placements only
  // Hard constraints (exclude the pair).
  kSeekerInactive = 20,
  kVacancyClosed = 21,
  kVacancyExpired = 22,
  kOccupationUnrelated = 23,
  kKindNotAccepted = 24,
  kFleksjobRequiresVisitation = 25,
  kHoursIncompatible = 26,
  kLicenceMissing = 27,
  kLanguageMissing = 28,
  kCommuteTooLong = 29,
  kHardNeedUnmet = 30,
  kDemandExcluded = 31,
  kNotAvailableInTime = 32,
  kAuthorisationMissing = 33,
  kPlacementNotEligible = 34,
  kPlacementTooLong = 35,
};
const char* ReasonName(Reason reason);  // e.g. "ESSENTIAL_SKILLS"

enum class Verdict : uint8_t { kFeasible = 1, kFeasibleWithSupport = 2, kInfeasible = 3 };
const char* VerdictName(Verdict verdict);

struct ScorePart {
  Reason reason;
  double value = 0;         // 0..1
  double weight = 0;        // policy weight
  double contribution = 0;  // share of the total this part adds
  std::string evidence;     // e.g. "7 of 9 essential skills"
};

struct SkillCredit {
  SkillId skill;       // the vacancy's skill
  SkillId via;         // the seeker's skill that earned credit (== skill if exact)
  double credit = 0;   // 1, narrower_skill_credit or sibling_skill_credit
};

struct Score {
  Verdict verdict = Verdict::kFeasible;
  // For kInfeasible: the first hard constraint that failed, and why.
  std::optional<Reason> blocker;
  std::string blocker_detail;

  // Ranks seekers for a vacancy and is blind to functional needs.
  double total = 0;
  // Ranks vacancies for a seeker: the same, with the needs-fit part added to
  // the preference side.
  double seeker_view_total = 0;
  double requirements_fit = 0;
  double preference_fit = 0;

  // Filled only when explaining (Scorer::Detail::kExplain).
  std::vector<ScorePart> parts;
  std::vector<SkillCredit> matched_skills;  // essential and optional
  std::vector<SkillId> missing_skills;           // essential: the upskilling gap
  std::vector<SkillId> missing_optional_skills;  // at most kMaxMissingOptionalSkills
  static constexpr size_t kMaxMissingOptionalSkills = 64;
  std::optional<CommuteEstimate> commute;  // by the fastest allowed mode
  // One estimate per allowed mode that can make the trip (one way and
  // daily), in TransportMode order: the availability rule counts daily time.
  std::vector<CommuteEstimate> commute_by_mode;
  std::vector<std::string> support_schemes;   // scheme codes bridging gaps
  std::vector<Accommodation> needs_met;       // in place or possible
  std::vector<Accommodation> needs_to_check;  // unknown: check with the employer
  bool fortrinsadgang = false;  // public employer: invite qualified applicants with disabilities
  // A development placement: the rule that decided eligibility and the
  // longest duration (points into the Scorer's reference data), and, when
  // explaining, the essential skills the placement would develop.
  const PlacementRule* placement_rule = nullptr;
  std::vector<SkillId> development_skills;

  // Set only when Evaluate was given a cut-off and the pair cannot reach it:
  // the totals then hold the upper bound, not the score.
  bool pruned = false;

  bool feasible() const { return verdict != Verdict::kInfeasible; }
};

}  // namespace jobmatch::matcher

#endif  // JOBMATCH_MATCHER_SCORE_H_

// Policy: the weights and bounds of the scoring, chosen per deployment (a
// municipality may weigh "nearest job first" or "use the skills they have"
// differently). Versioned: every match records the policy version.
#ifndef JOBMATCH_MATCHER_POLICY_H_
#define JOBMATCH_MATCHER_POLICY_H_

#include <string>

#include "absl/status/status.h"

namespace jobmatch::matcher {

struct Policy {
  // Fixed by the rules, not tunable (so not in PolicyFields()): a daily
  // hours limit allows this many days' hours a week (HOURS_INCOMPATIBLE),
  // and the occupation fit of a later goal loses later_goal_step per place
  // for at most this many places.
  static constexpr int kWorkdaysPerWeek = 5;
  static constexpr int kLaterGoalSteps = 4;

  std::string version = "default-2026-12";

  // Requirements fit: does the seeker meet the vacancy?
  double weight_essential_skills = 3.0;
  double weight_optional_skills = 1.0;
  double weight_education = 1.0;
  // Preference fit: does the vacancy meet the seeker's wishes?
  double weight_occupation = 2.0;
  double weight_commute = 2.0;
  double weight_hours = 1.0;
  // Seeker's own view only: how well the workplace suits their functional
  // needs and soft preferences. Never part of the ranking among candidates
  // for a vacancy.
  double weight_needs_fit = 1.0;

  // Development placements only (virksomhedspraktik, løntilskud, IGU,
  // voksenlærling): weight of DEVELOPMENT_POTENTIAL on the requirements side
  // -- essential skills the placement would teach that build on skills the
  // seeker holds -- and the credit of a skill that is only related (same
  // skill group) rather than close (a narrower or sibling skill held, 1).
  double weight_development_potential = 3.0;
  double development_related_credit = 0.5;

  // total = requirements_share * requirements_fit
  //       + (1 - requirements_share) * preference_fit
  double requirements_share = 0.6;

  // How related an occupation must be to one the seeker wants, in shared
  // ISCO-08 digits: 4 = same unit group, 3 = same minor group (default),
  // 2 = same sub-major group (a deliberately broadened search).
  int occupation_breadth = 3;
  // Also admit occupations that substitute for a wanted one (ESCO occupations
  // with overlapping essential skills, Taxonomy::Substitutes), whatever their
  // ISCO code, with occupation fit substitute_fit_base + substitute_fit_slope
  // x similarity (similarity in [0.4, 1]; the defaults give 0.5 .. 0.8, below
  // the 0.85+ of the same unit group).
  bool admit_substitutes = true;
  double substitute_fit_base = 0.3;
  double substitute_fit_slope = 0.5;

  // Qualification floor: a pair whose essential-skills value (the share of
  // the vacancy's essential skills held, with partial credit) is below this
  // has its total (and seeker_view_total) multiplied by value / floor. So a
  // candidate with none of the essential skills scores 0 and never ranks
  // above one who holds at least the floor's share ("most"); 0 = no floor.
  double qualification_floor = 0.5;
  // A seeker with no skills recorded at all ("skills not recorded") gets
  // this value for the essential and optional skills parts instead of 0.
  double unrecorded_skills_credit = 0.3;

  // Partial credit for a required skill the seeker lacks but holds a
  // narrower skill of (a child in the ESCO hierarchy), or a sibling of.
  double narrower_skill_credit = 0.75;
  double sibling_skill_credit = 0.5;

  // The commute part of the score values the trip in minutes against this
  // standard reach (the Danish availability rule's 3 hours a day, 90 minutes
  // one way), the same for every seeker: commute = 1 - 0.8 x minutes /
  // commute_reference_minutes, clamped to [0, 1]. A seeker's own limit
  // (lower for health or care reasons, or higher) decides only whether the
  // trip is possible; it never changes the score of a possible trip.
  int commute_reference_minutes = 90;
  // Within this share of commute_reference_minutes, an estimate's lack of
  // confidence lowers the commute part (by 0.3 x (1 - confidence)).
  double commute_uncertainty_band = 0.15;

  // The shapes of the parts (values in [0, 1] unless said otherwise).
  // Occupation fit: the exact ESCO occupation wanted; the same ISCO unit
  // group (with and without an ESCO occupation on either side); the same
  // minor and sub-major group; less per later goal (at most 4 steps).
  double occupation_fit_exact = 1.0;
  double occupation_fit_unit_group = 0.85;
  double occupation_fit_unit_group_unspecified = 0.9;
  double occupation_fit_minor_group = 0.5;
  double occupation_fit_sub_major_group = 0.25;
  double later_goal_step = 0.05;
  // Commute: 1 - commute_slope x minutes / commute_reference_minutes; an
  // uncertain estimate near the reference loses penalty x (1 - confidence).
  double commute_slope = 0.8;
  double commute_uncertainty_penalty = 0.3;
  // Hours fit: 1 - (hours outside the wanted range) / hours_gap_span.
  double hours_gap_span = 20.0;
  // Education: 1 - education_step per ISCED level below the minimum.
  double education_step = 0.25;
  // Needs fit (the seeker's own view only): credit per accommodation status,
  // per avoided soft demand the job has, per hard demand without a usable
  // mitigation the workplace could still discuss.
  double needs_credit_in_place = 1.0;
  double needs_credit_possible = 0.8;
  double needs_credit_with_scheme = 0.7;
  double needs_credit_unknown = 0.4;
  double needs_credit_soft_demand = 0.3;
  double needs_credit_unmitigated_demand = 0.5;

  // InvalidArgument naming the field if a value is out of range (the ranges
  // of PolicyFields(), and the rules between fields).
  absl::Status Validate() const;
};

}  // namespace jobmatch::matcher

#endif  // JOBMATCH_MATCHER_POLICY_H_

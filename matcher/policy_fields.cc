#include "matcher/policy_fields.h"

namespace jobmatch::matcher {
namespace {

PolicyField D(const char* name, double min, double max, double Policy::*m, const char* doc) {
  PolicyField f{name, PolicyField::Kind::kDouble, min, max, doc};
  f.as_double = m;
  return f;
}
PolicyField I(const char* name, double min, double max, int Policy::*m, const char* doc) {
  PolicyField f{name, PolicyField::Kind::kInt, min, max, doc};
  f.as_int = m;
  return f;
}
PolicyField B(const char* name, bool Policy::*m, const char* doc) {
  PolicyField f{name, PolicyField::Kind::kBool, 0, 1, doc};
  f.as_bool = m;
  return f;
}

}  // namespace

const std::vector<PolicyField>& PolicyFields() {
  static const std::vector<PolicyField>* fields = new std::vector<PolicyField>{
      D("weight_essential_skills", 0, 100, &Policy::weight_essential_skills,
        "weight of ESSENTIAL_SKILLS on the requirements side"),
      D("weight_optional_skills", 0, 100, &Policy::weight_optional_skills,
        "weight of OPTIONAL_SKILLS (when the job lists any)"),
      D("weight_education", 0, 100, &Policy::weight_education,
        "weight of EDUCATION (when the job sets a minimum)"),
      D("weight_occupation", 0, 100, &Policy::weight_occupation,
        "weight of OCCUPATION_FIT on the preference side"),
      D("weight_commute", 0, 100, &Policy::weight_commute, "weight of COMMUTE"),
      D("weight_hours", 0, 100, &Policy::weight_hours, "weight of HOURS_FIT"),
      D("weight_needs_fit", 0, 100, &Policy::weight_needs_fit,
        "weight of NEEDS_FIT, in the seeker's own view only"),
      D("weight_development_potential", 0, 100, &Policy::weight_development_potential,
        "weight of DEVELOPMENT_POTENTIAL (development placements only) on the requirements side"),
      D("development_related_credit", 0, 1, &Policy::development_related_credit,
        "DEVELOPMENT_POTENTIAL credit of a missing skill in the same skill group as one held "
        "(a close one counts 1)"),
      D("requirements_share", 0, 1, &Policy::requirements_share,
        "total = share x requirements fit + (1 - share) x preference fit"),
      I("occupation_breadth", 2, 4, &Policy::occupation_breadth,
        "shared ISCO-08 digits required: 4 unit group, 3 minor group, 2 sub-major group"),
      B("admit_substitutes", &Policy::admit_substitutes,
        "also admit substitute occupations (overlapping essential skills)"),
      D("substitute_fit_base", 0, 1, &Policy::substitute_fit_base,
        "occupation fit of a substitute: base + slope x similarity (base + slope <= 1)"),
      D("substitute_fit_slope", 0, 1, &Policy::substitute_fit_slope,
        "see substitute_fit_base"),
      D("narrower_skill_credit", 0, 1, &Policy::narrower_skill_credit,
        "credit for a required skill when a narrower one is held"),
      D("sibling_skill_credit", 0, 1, &Policy::sibling_skill_credit,
        "credit for a required skill when a sibling (same broader concept) is held"),
      D("qualification_floor", 0, 1, &Policy::qualification_floor,
        "below this essential-skills value every part counts x value / floor (0 = none)"),
      D("unrecorded_skills_credit", 0, 1, &Policy::unrecorded_skills_credit,
        "skills value of a seeker with no skills recorded"),
      I("commute_reference_minutes", 1, 240, &Policy::commute_reference_minutes,
        "the standard one-way reach every trip is scored against"),
      D("commute_slope", 0, 1, &Policy::commute_slope,
        "COMMUTE = 1 - slope x minutes / commute_reference_minutes"),
      D("commute_uncertainty_band", 0, 0.99, &Policy::commute_uncertainty_band,
        "share of the reference within which an uncertain estimate counts for less"),
      D("commute_uncertainty_penalty", 0, 1, &Policy::commute_uncertainty_penalty,
        "COMMUTE lost there: penalty x (1 - confidence)"),
      D("occupation_fit_exact", 0, 1, &Policy::occupation_fit_exact,
        "OCCUPATION_FIT of the exact ESCO occupation wanted"),
      D("occupation_fit_unit_group", 0, 1, &Policy::occupation_fit_unit_group,
        "... of another ESCO occupation of the same ISCO unit group"),
      D("occupation_fit_unit_group_unspecified", 0, 1,
        &Policy::occupation_fit_unit_group_unspecified,
        "... of the same unit group when either side names no ESCO occupation"),
      D("occupation_fit_minor_group", 0, 1, &Policy::occupation_fit_minor_group,
        "... of the same ISCO minor group"),
      D("occupation_fit_sub_major_group", 0, 1, &Policy::occupation_fit_sub_major_group,
        "... of the same sub-major group (breadth 2)"),
      D("later_goal_step", 0, 0.25, &Policy::later_goal_step,
        "OCCUPATION_FIT lost per later goal (share, at most 4 steps)"),
      D("hours_gap_span", 1, 48, &Policy::hours_gap_span,
        "hours outside the wanted range at which HOURS_FIT reaches 0"),
      D("education_step", 0, 1, &Policy::education_step,
        "EDUCATION lost per ISCED level below the job's minimum"),
      D("needs_credit_in_place", 0, 1, &Policy::needs_credit_in_place,
        "NEEDS_FIT credit of an accommodation in place"),
      D("needs_credit_possible", 0, 1, &Policy::needs_credit_possible,
        "... possible"),
      D("needs_credit_with_scheme", 0, 1, &Policy::needs_credit_with_scheme,
        "... possible with a support scheme"),
      D("needs_credit_unknown", 0, 1, &Policy::needs_credit_unknown,
        "... of unknown status (check with the employer)"),
      D("needs_credit_soft_demand", 0, 1, &Policy::needs_credit_soft_demand,
        "... of a demand the seeker prefers to avoid"),
      D("needs_credit_unmitigated_demand", 0, 1, &Policy::needs_credit_unmitigated_demand,
        "... of an occasional demand the seeker cannot do and nothing mitigates"),
  };
  return *fields;
}

}  // namespace jobmatch::matcher

#include "matcher/profiles.h"

#include <algorithm>

namespace jobmatch::matcher {
namespace {

void SortUnique(std::vector<SkillId>* v) {
  std::sort(v->begin(), v->end());
  v->erase(std::unique(v->begin(), v->end()), v->end());
}

}  // namespace

const char* TransportModeName(TransportMode mode) {
  switch (mode) {
    case TransportMode::kWalk: return "WALK";
    case TransportMode::kBicycle: return "BICYCLE";
    case TransportMode::kCar: return "CAR";
    case TransportMode::kPublicTransport: return "PUBLIC_TRANSPORT";
  }
  return "UNKNOWN";
}

const char* CommuteLimitReasonName(CommuteLimitReason reason) {
  switch (reason) {
    case CommuteLimitReason::kUnspecified: return "UNSPECIFIED";
    case CommuteLimitReason::kStandardRule: return "STANDARD_RULE";
    case CommuteLimitReason::kHealth: return "HEALTH";
    case CommuteLimitReason::kCareObligations: return "CARE_OBLIGATIONS";
    case CommuteLimitReason::kOther: return "OTHER";
  }
  return "UNSPECIFIED";
}

uint16_t PackLanguageCode(const std::string& two_letters) {
  if (two_letters.size() != 2) return 0;
  return static_cast<uint16_t>((static_cast<uint8_t>(two_letters[0]) << 8) |
                               static_cast<uint8_t>(two_letters[1]));
}

void PrepareSeeker(const Taxonomy& taxonomy, SeekerProfile* seeker) {
  for (DesiredOccupation& goal : seeker->occupations) {
    if (goal.esco >= taxonomy.occupation_count()) {
      goal.esco = kNoOccupation;
    } else if (goal.isco == 0) {
      goal.isco = taxonomy.occupation(goal.esco).isco;
    } else if (taxonomy.occupation(goal.esco).isco != goal.isco) {
      goal.esco = kNoOccupation;
    }
  }
  SortUnique(&seeker->skills);
  seeker->skill_parents.clear();
  for (SkillId s : seeker->skills) {
    const auto& up = taxonomy.skill(s).broader;
    seeker->skill_parents.insert(seeker->skill_parents.end(), up.begin(), up.end());
  }
  SortUnique(&seeker->skill_parents);
}

void PrepareVacancy(const Taxonomy& taxonomy, VacancyProfile* vacancy) {
  if (vacancy->esco >= taxonomy.occupation_count()) {
    vacancy->esco = kNoOccupation;
  } else if (vacancy->isco == 0) {
    vacancy->isco = taxonomy.occupation(vacancy->esco).isco;
  } else if (taxonomy.occupation(vacancy->esco).isco != vacancy->isco) {
    vacancy->esco = kNoOccupation;
  }
  if (vacancy->essential_skills.empty() && vacancy->optional_skills.empty()) {
    // Expected profile: the ESCO occupation's relations, or failing that the
    // first occupation of the unit group.
    OccupationId occ = vacancy->esco;
    if (occ == kNoOccupation) {
      const auto& group = taxonomy.OccupationsInUnitGroup(vacancy->isco);
      if (!group.empty()) occ = group.front();
    }
    if (occ != kNoOccupation) {
      vacancy->essential_skills = taxonomy.occupation(occ).essential;
      vacancy->optional_skills = taxonomy.occupation(occ).optional;
      vacancy->skills_from_occupation_profile = true;
    }
  }
  SortUnique(&vacancy->essential_skills);
  SortUnique(&vacancy->optional_skills);
}

bool HasNeedsOrHealthLimit(const SeekerProfile& seeker) {
  return !seeker.needs.empty() || seeker.excluded_demands_hard != 0 ||
         seeker.excluded_demands_soft != 0 ||
         seeker.commute_limit_reason == CommuteLimitReason::kHealth ||
         seeker.max_hours_per_day > 0 || seeker.fleksjob_hours_per_week > 0;
}

}  // namespace jobmatch::matcher

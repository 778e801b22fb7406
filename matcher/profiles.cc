#include "matcher/profiles.h"

#include <algorithm>

namespace jobmatch::matcher {
namespace {

void SortUnique(std::vector<SkillId>* v) {
  std::sort(v->begin(), v->end());
  v->erase(std::unique(v->begin(), v->end()), v->end());
}

// The representative profile of an ISCO unit group (for a vacancy naming
// no ESCO occupation): the skills essential to at least half of the group's
// ESCO occupations; if none are, the most common essential skills, as many
// as the group's median occupation has (ties by id). Optional: the skills
// essential or optional to at least a quarter of them and not in essential.
void GroupProfile(const Taxonomy& taxonomy, int isco, std::vector<SkillId>* essential,
                  std::vector<SkillId>* optional) {
  const auto& group = taxonomy.OccupationsInUnitGroup(isco);
  if (group.empty()) return;
  std::vector<std::pair<SkillId, int>> ess_count, any_count;
  auto count = [](std::vector<std::pair<SkillId, int>>* counts, const std::vector<SkillId>& ids) {
    for (SkillId id : ids) counts->push_back({id, 1});
  };
  std::vector<size_t> sizes;
  for (OccupationId o : group) {
    count(&ess_count, taxonomy.occupation(o).essential);
    count(&any_count, taxonomy.occupation(o).essential);
    count(&any_count, taxonomy.occupation(o).optional);
    sizes.push_back(taxonomy.occupation(o).essential.size());
  }
  auto tally = [](std::vector<std::pair<SkillId, int>>* counts) {
    std::sort(counts->begin(), counts->end());
    std::vector<std::pair<SkillId, int>> out;
    for (const auto& [id, n] : *counts) {
      if (!out.empty() && out.back().first == id) {
        out.back().second += n;
      } else {
        out.push_back({id, n});
      }
    }
    *counts = std::move(out);
  };
  tally(&ess_count);
  tally(&any_count);
  const int n = static_cast<int>(group.size());
  for (const auto& [id, c] : ess_count) {
    if (2 * c >= n) essential->push_back(id);
  }
  if (essential->empty()) {
    std::nth_element(sizes.begin(), sizes.begin() + sizes.size() / 2, sizes.end());
    const size_t median = sizes[sizes.size() / 2];
    std::vector<std::pair<SkillId, int>> by_count = ess_count;
    std::stable_sort(by_count.begin(), by_count.end(),
                     [](const auto& a, const auto& b) { return a.second > b.second; });
    for (size_t i = 0; i < by_count.size() && i < median; ++i) essential->push_back(by_count[i].first);
    std::sort(essential->begin(), essential->end());
  }
  for (const auto& [id, c] : any_count) {
    if (4 * c >= n && !std::binary_search(essential->begin(), essential->end(), id)) {
      optional->push_back(id);
    }
  }
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

const char* VacancyKindName(VacancyKind kind) {
  switch (kind) {
    case VacancyKind::kOrdinary: return "ORDINARY";
    case VacancyKind::kFleksjob: return "FLEKSJOB";
    case VacancyKind::kLoentilskud: return "LOENTILSKUD";
    case VacancyKind::kVirksomhedspraktik: return "VIRKSOMHEDSPRAKTIK";
    case VacancyKind::kApprenticeship: return "APPRENTICESHIP";
    case VacancyKind::kIgu: return "IGU";
    case VacancyKind::kVoksenlaerling: return "VOKSENLAERLING";
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
  if (vacancy->essential_skills.empty()) {
    // Expected profile: the ESCO occupation's relations, or for an ISCO-only
    // vacancy the representative profile of the unit group.
    std::vector<SkillId> essential, optional;
    if (vacancy->esco != kNoOccupation) {
      essential = taxonomy.occupation(vacancy->esco).essential;
      optional = taxonomy.occupation(vacancy->esco).optional;
    } else {
      GroupProfile(taxonomy, vacancy->isco, &essential, &optional);
    }
    if (!essential.empty()) {
      vacancy->essential_skills = std::move(essential);
      if (vacancy->optional_skills.empty()) vacancy->optional_skills = std::move(optional);
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

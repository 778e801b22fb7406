#include "matcher/hard_constraints.h"

#include <algorithm>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"

namespace jobmatch::matcher {

const char* ConstraintSideName(ConstraintSide side) {
  switch (side) {
    case ConstraintSide::kSeeker: return "seeker key";
    case ConstraintSide::kVacancy: return "vacancy key";
    case ConstraintSide::kKeys: return "both keys";
    case ConstraintSide::kPair: return "both records";
  }
  return "both records";
}

namespace hard_rules {
namespace {

std::string Date(absl::Time t) { return absl::FormatTime("%Y-%m-%d", t, absl::UTCTimeZone()); }

bool Usable(AccommodationStatus s) {
  return s == AccommodationStatus::kInPlace || s == AccommodationStatus::kPossible ||
         s == AccommodationStatus::kPossibleWithScheme;
}

// The first required language the seeker lacks, or null.
const Language* FirstMissingLanguage(const SeekerProfile& seeker, const VacancyProfile& vacancy) {
  for (const Language& need : vacancy.required_languages) {
    bool ok = false;
    for (const Language& have : seeker.languages) {
      if (have.code == need.code && have.level >= need.level) ok = true;
    }
    if (!ok) return &need;
  }
  return nullptr;
}

// The first hard need the workplace cannot meet, or null.
const FunctionalNeed* FirstUnmetHardNeed(const SeekerProfile& seeker,
                                         const VacancyProfile& vacancy) {
  for (const FunctionalNeed& need : seeker.needs) {
    if (need.hard && WorkplaceStatus(vacancy, need.accommodation) ==
                         AccommodationStatus::kNotPossible) {
      return &need;
    }
  }
  return nullptr;
}

// The first essential demand the seeker cannot meet and no usable
// accommodation of the workplace mitigates, or 0.
int FirstExcludedDemand(const SeekerProfile& seeker, const VacancyProfile& vacancy,
                        const Schemes& schemes) {
  if (seeker.excluded_demands_hard == 0) return 0;
  uint16_t essential = vacancy.demands_essential;
  if (vacancy.night_shifts) essential |= 1u << static_cast<int>(WorkDemand::kNightWork);
  const uint16_t blocked = essential & seeker.excluded_demands_hard;
  for (int d = 1; d < kWorkDemandCount; ++d) {
    if (!Bit(blocked, d)) continue;
    const uint16_t mitigations = schemes.Mitigations(static_cast<WorkDemand>(d));
    bool mitigated = false;
    for (int a = 1; a < kAccommodationCount && !mitigated; ++a) {
      mitigated = Bit(mitigations, a) && Usable(WorkplaceStatus(vacancy, static_cast<Accommodation>(a)));
    }
    if (!mitigated) return d;
  }
  return 0;
}

}  // namespace

bool OccupationUnrelated(const PairContext& c, PairFacts* facts) {
  // The best of the seeker's goals, earlier goals slightly ahead. Related by
  // the ISCO hierarchy (shared code digits) or as a substitute occupation
  // (overlapping essential skills).
  const Policy& policy = c.policy;
  const VacancyProfile& vacancy = c.vacancy;
  double occupation_fit = 0;
  bool occupation_related = false;
  float best_substitute = 0;
  for (size_t i = 0; i < c.seeker.occupations.size(); ++i) {
    const DesiredOccupation& goal = c.seeker.occupations[i];
    const int shared = IscoSharedDigits(goal.isco, vacancy.isco);
    double fit = 0;
    if (shared >= policy.occupation_breadth) {
      fit = shared == 4   ? policy.occupation_fit_unit_group
            : shared == 3 ? policy.occupation_fit_minor_group
                          : policy.occupation_fit_sub_major_group;
      if (shared == 4 && goal.esco != kNoOccupation && goal.esco == vacancy.esco) {
        fit = policy.occupation_fit_exact;
      }
      if (shared == 4 && (goal.esco == kNoOccupation || vacancy.esco == kNoOccupation)) {
        fit = policy.occupation_fit_unit_group_unspecified;
      }
    }
    if (policy.admit_substitutes && goal.esco != kNoOccupation && vacancy.esco != kNoOccupation &&
        goal.esco != vacancy.esco) {
      const float similarity = c.taxonomy.SubstituteSimilarity(goal.esco, vacancy.esco);
      if (similarity > 0) {
        best_substitute = std::max(best_substitute, similarity);
        fit = std::max(fit, policy.substitute_fit_base + policy.substitute_fit_slope * similarity);
      }
    }
    if (shared < policy.occupation_breadth && fit == 0) continue;
    occupation_related = true;
    fit *= 1.0 - policy.later_goal_step *
                     static_cast<double>(std::min<size_t>(i, Policy::kLaterGoalSteps));
    occupation_fit = std::max(occupation_fit, fit);
  }
  facts->occupation_fit = occupation_fit;
  facts->best_substitute = best_substitute;
  return !occupation_related;
}

bool PlacementNotEligible(const PairContext& c, PairFacts* facts) {
  if (!IsDevelopmentPlacement(c.vacancy.kind)) return false;
  facts->placement_rule =
      ApplicablePlacementRule(c.schemes, c.vacancy, c.seeker.target_group, c.now);
  return facts->placement_rule == nullptr;
}

bool PlacementTooLong(const PairContext& c, PairFacts* facts) {
  const PlacementRule* rule = facts->placement_rule;
  return rule != nullptr && PlacementLongerThanRule(*rule, c.vacancy);
}

bool LanguageMissing(const PairContext& c, PairFacts*) {
  return FirstMissingLanguage(c.seeker, c.vacancy) != nullptr;
}

bool CommuteTooLong(const PairContext& c, PairFacts* facts) {
  if (c.vacancy.remote_share_percent >= 100) return false;  // a fully remote job needs none
  facts->trip = c.known_trip != nullptr
                    ? std::optional<CommuteEstimate>(*c.known_trip)
                    : FastestCommute(c.commute, c.seeker.home, c.vacancy.workplace,
                                     c.seeker.transport_modes);
  // The test of Scorer::CommuteIfWithinLimit.
  return !facts->trip || facts->trip->minutes > static_cast<double>(c.seeker.max_commute_minutes);
}

bool HardNeedUnmet(const PairContext& c, PairFacts*) {
  return FirstUnmetHardNeed(c.seeker, c.vacancy) != nullptr;
}

bool DemandExcluded(const PairContext& c, PairFacts*) {
  return FirstExcludedDemand(c.seeker, c.vacancy, c.schemes) != 0;
}

std::string SeekerInactiveDetail(const PairContext&, const PairFacts&) {
  return "the seeker's profile is paused";
}
std::string VacancyClosedDetail(const PairContext&, const PairFacts&) {
  return "the vacancy is filled or withdrawn";
}
std::string VacancyExpiredDetail(const PairContext& c, const PairFacts&) {
  return absl::StrCat("the vacancy closed on ", Date(c.vacancy.valid_until));
}
std::string OccupationUnrelatedDetail(const PairContext& c, const PairFacts&) {
  return absl::StrCat("ISCO ", c.vacancy.isco, " is not related to the seeker's occupations "
                      "(policy requires ", c.policy.occupation_breadth, " shared ISCO digits",
                      c.policy.admit_substitutes ? " or a substitute occupation)" : ")");
}
std::string KindNotAcceptedDetail(const PairContext&, const PairFacts&) {
  return "the seeker does not consider this kind of job";
}
std::string FleksjobRequiresVisitationDetail(const PairContext&, const PairFacts&) {
  return "a fleksjob requires the seeker to be approved for fleksjob";
}
std::string FleksjobHoursOnOrdinaryJobDetail(const PairContext& c, const PairFacts&) {
  return absl::StrCat("the seeker can work ", c.seeker.fleksjob_hours_per_week,
                      " hours a week (fleksjob); the job is ", c.vacancy.hours_per_week);
}
std::string FleksjobHoursOnFleksjobDetail(const PairContext& c, const PairFacts&) {
  return absl::StrCat("the seeker is approved for ", c.seeker.fleksjob_hours_per_week,
                      " hours a week (fleksjob); this fleksjob is ", c.vacancy.hours_per_week,
                      " hours a week and does not agree hours per person");
}
std::string WeeklyHoursLimitDetail(const PairContext& c, const PairFacts&) {
  return absl::StrCat("the seeker can work at most ", c.seeker.max_hours_per_week,
                      " hours a week; the job is ", c.vacancy.hours_per_week);
}
std::string NotAvailableInTimeDetail(const PairContext& c, const PairFacts&) {
  return absl::StrCat("the seeker is available from ", Date(c.seeker.available_from),
                      "; the job starts ", Date(c.vacancy.starts));
}
std::string DailyHoursLimitDetail(const PairContext& c, const PairFacts&) {
  return absl::StrCat("the seeker can work at most ", c.seeker.max_hours_per_day,
                      " hours a day; the job is ", c.vacancy.hours_per_week,
                      " hours a week without flexible hours");
}
std::string LicenceMissingDetail(const PairContext&, const PairFacts&) {
  return "a required driving licence or certificate is missing";
}
std::string AuthorisationMissingDetail(const PairContext& c, const PairFacts&) {
  const Authorisation& a = c.schemes.authorisations()[c.key.authorisation];
  return absl::StrFormat("ISCO %04d is a regulated profession in Denmark: it requires "
                         "authorisation as %s (%s)",
                         c.vacancy.isco, a.name, a.source);
}
std::string PlacementNotEligibleDetail(const PairContext& c, const PairFacts&) {
  // Names the rules, not the seeker's target group (the view shows this
  // detail to callers who may not see target groups).
  const std::vector<const PlacementRule*> rules = c.schemes.placement_rules().InForce(
      c.vacancy.kind, c.vacancy.public_employer, c.now);
  const std::string kind = absl::AsciiStrToLower(VacancyKindName(c.vacancy.kind));
  const char* sector = c.vacancy.public_employer ? "public" : "private";
  if (rules.empty()) {
    return absl::StrCat("no placement rule for ", kind, " at a ", sector, " employer is in force on ",
                        Date(c.now), " (placement rules ",
                        c.schemes.placement_rules().version(), ")");
  }
  std::string names;
  for (const PlacementRule* r : rules) {
    absl::StrAppend(&names, names.empty() ? "" : ", ", r->Name());
  }
  return absl::StrCat("the seeker's target group is not covered by the ", kind, " rules in force (",
                      names, "; placement rules ", c.schemes.placement_rules().version(), ")");
}
std::string PlacementTooLongDetail(const PairContext& c, const PairFacts& f) {
  return absl::StrCat("the placement is ", c.vacancy.duration_weeks, " weeks; rule ",
                      f.placement_rule->Name(), " allows at most ", f.placement_rule->max_weeks,
                      " weeks (", f.placement_rule->source, ")");
}
std::string LanguageMissingDetail(const PairContext& c, const PairFacts&) {
  const Language& need = *FirstMissingLanguage(c.seeker, c.vacancy);
  return absl::StrFormat("language %c%c at CEFR level %d or better is required", need.code >> 8,
                         need.code & 0xff, need.level);
}
std::string CommuteTooLongDetail(const PairContext& c, const PairFacts& f) {
  if (!f.trip) return "none of the seeker's transport modes can make the trip";
  return absl::StrFormat("about %.0f minutes one way, over the seeker's limit of %d",
                         f.trip->minutes, c.seeker.max_commute_minutes);
}
std::string HardNeedUnmetDetail(const PairContext& c, const PairFacts&) {
  return absl::StrCat(AccommodationName(FirstUnmetHardNeed(c.seeker, c.vacancy)->accommodation),
                      " is needed and not possible at this workplace");
}
std::string DemandExcludedDetail(const PairContext& c, const PairFacts&) {
  const int d = FirstExcludedDemand(c.seeker, c.vacancy, c.schemes);
  return absl::StrCat("the job requires ", WorkDemandName(static_cast<WorkDemand>(d)),
                      ", which the seeker cannot do, and the workplace cannot mitigate it");
}

}  // namespace hard_rules
}  // namespace jobmatch::matcher

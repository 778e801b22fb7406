// The hard constraints: the ordered table of the rules that exclude a
// (seeker, vacancy) pair outright, whatever its score would be.
//
// Scorer::Evaluate runs the table in order and reports the first rule that
// fails: its Reason and, when explaining, its consultant-facing detail. Each
// rule says what it reads (ConstraintSide): a few fields of the seeker (the
// SeekerKey), a few of the vacancy (the VacancyKey), both keys, or both whole
// records. The candidate scans (matcher/candidate_scan.h) keep the keys in
// compact columns and run the key rules before they estimate a commute or
// read a record: SeekerAdmitted, VacancyAdmitted and KeysAdmitted run exactly
// the table's rows of that side, so the prefilters cannot drift from
// Evaluate (tests/matcher/hard_constraints_test.cc compares them).
//
// To add a rule: a check (and a detail) below, one row in kHardConstraints
// at its place in the order, the Reason in score.h, and a line in
// docs/matching.md's table. A rule that reads only key fields (add them to
// the keys if needed) should be a key rule, so the scans skip the pair early.
#ifndef JOBMATCH_MATCHER_HARD_CONSTRAINTS_H_
#define JOBMATCH_MATCHER_HARD_CONSTRAINTS_H_

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "absl/time/time.h"
#include "matcher/commute_model.h"
#include "matcher/policy.h"
#include "matcher/profiles.h"
#include "matcher/schemes.h"
#include "matcher/score.h"
#include "matcher/taxonomy.h"

namespace jobmatch::matcher {

// What a rule reads.
enum class ConstraintSide : uint8_t {
  kSeeker,   // the seeker's key alone
  kVacancy,  // the vacancy's key alone (and the time)
  kKeys,     // both keys
  kPair,     // both records and the reference data
};
const char* ConstraintSideName(ConstraintSide side);  // "seeker key", ..., "both records"

// The seeker fields the kSeeker and kKeys rules read: small, so the scans
// keep one per seeker in a compact array and test those rules without the
// seeker's record.
struct SeekerKey {
  absl::Time available_from = absl::InfinitePast();
  uint32_t authorisations = 0;
  int32_t max_hours_per_week = 0;
  int32_t max_hours_per_day = 0;
  int32_t fleksjob_hours_per_week = 0;
  uint16_t licences = 0;
  uint8_t acceptable_kinds = 0;
  bool active = true;
  bool max_hours_hard = false;
};
inline SeekerKey KeyOf(const SeekerProfile& seeker) {
  SeekerKey key;
  key.available_from = seeker.available_from;
  key.authorisations = seeker.authorisations;
  key.max_hours_per_week = seeker.max_hours_per_week;
  key.max_hours_per_day = seeker.max_hours_per_day;
  key.fleksjob_hours_per_week = seeker.fleksjob_hours_per_week;
  key.licences = seeker.licences;
  key.acceptable_kinds = seeker.acceptable_kinds;
  key.active = seeker.active;
  key.max_hours_hard = seeker.max_hours_hard;
  return key;
}

// The vacancy fields the kVacancy and kKeys rules read, likewise.
struct VacancyKey {
  absl::Time valid_until = absl::InfiniteFuture();
  absl::Time starts = absl::InfinitePast();
  int32_t hours_per_week = 0;
  uint16_t required_licences = 0;
  int8_t authorisation = -1;  // Schemes::AuthorisationFor(isco); -1 = none required
  uint8_t kind = 0;           // VacancyKind
  bool open = true;
  bool flexible_hours = false;
  bool hours_agreed_per_person = false;
};
inline VacancyKey KeyOf(const VacancyProfile& vacancy, const Schemes& schemes) {
  VacancyKey key;
  key.valid_until = vacancy.valid_until;
  key.starts = vacancy.starts;
  key.hours_per_week = vacancy.hours_per_week;
  key.required_licences = vacancy.required_licences;
  key.authorisation = static_cast<int8_t>(schemes.AuthorisationFor(vacancy.isco));
  key.kind = static_cast<uint8_t>(vacancy.kind);
  key.open = vacancy.open;
  key.flexible_hours = vacancy.flexible_hours;
  key.hours_agreed_per_person = vacancy.hours_agreed_per_person;
  return key;
}

// Everything a rule may read for one pair.
struct PairContext {
  const SeekerProfile& seeker;
  const VacancyProfile& vacancy;
  const SeekerKey& seeker_key;
  const VacancyKey& key;
  const Policy& policy;
  absl::Time now;
  const Taxonomy& taxonomy;
  const Schemes& schemes;
  const CommuteModel& commute;
  // The trip a scan already found within the limit (Scorer::Evaluate's
  // `trip`), or null.
  const CommuteEstimate* known_trip;
};

// What the rules work out on the way that the soft parts use again.
struct PairFacts {
  // OCCUPATION_UNRELATED: the best occupation fit over the seeker's goals and
  // the best substitute similarity among them.
  double occupation_fit = 0;
  float best_substitute = 0;
  // COMMUTE_TOO_LONG: the fastest allowed trip (none for a fully remote job).
  std::optional<CommuteEstimate> trip;
  // PLACEMENT_NOT_ELIGIBLE: for a development placement, the rule of
  // data/placements/ that applies (null for other kinds).
  const PlacementRule* placement_rule = nullptr;
};

struct HardConstraint {
  const char* name;  // short and stable, e.g. "weekly_hours_limit"
  Reason reason;     // several rules may share one (HOURS_INCOMPATIBLE)
  ConstraintSide side;
  const char* rule;  // the rule in one line, for docs/matching.md
  // By side, exactly one of these is set; true = the pair is excluded.
  bool (*seeker_fails)(const SeekerKey&) = nullptr;
  bool (*vacancy_fails)(const VacancyKey&, absl::Time now) = nullptr;
  bool (*key_fails)(const SeekerKey&, const VacancyKey&) = nullptr;
  bool (*pair_fails)(const PairContext&, PairFacts*) = nullptr;
  // Why, for a consultant (only formatted when explaining).
  std::string (*detail)(const PairContext&, const PairFacts&) = nullptr;
};

// The workplace's status for `a`, counting what the vacancy itself offers
// (remote share, flexible hours) as in place.
inline AccommodationStatus WorkplaceStatus(const VacancyProfile& v, Accommodation a) {
  if (a == Accommodation::kRemoteWork && v.remote_share_percent > 0) {
    return AccommodationStatus::kInPlace;
  }
  if (a == Accommodation::kFlexibleHours && v.flexible_hours) return AccommodationStatus::kInPlace;
  return v.accommodations[static_cast<int>(a)];
}

namespace hard_rules {

inline bool Bit(uint32_t mask, int bit) { return (mask >> bit) & 1u; }

inline bool SeekerInactive(const SeekerKey& s) { return !s.active; }
inline bool VacancyClosed(const VacancyKey& k, absl::Time) { return !k.open; }
inline bool VacancyExpired(const VacancyKey& k, absl::Time now) { return k.valid_until < now; }
bool OccupationUnrelated(const PairContext& c, PairFacts* facts);
inline bool KindNotAccepted(const SeekerKey& s, const VacancyKey& k) {
  return s.acceptable_kinds != 0 && !Bit(s.acceptable_kinds, k.kind);
}
inline bool FleksjobRequiresVisitation(const SeekerKey& s, const VacancyKey& k) {
  return k.kind == static_cast<uint8_t>(VacancyKind::kFleksjob) && s.fleksjob_hours_per_week == 0;
}
// Fleksjob hours agreed per person: the approved hours set no limit.
inline bool HoursPerPerson(const VacancyKey& k) {
  return k.kind == static_cast<uint8_t>(VacancyKind::kFleksjob) && k.hours_agreed_per_person;
}
inline bool FleksjobHoursOnOrdinaryJob(const SeekerKey& s, const VacancyKey& k) {
  return s.fleksjob_hours_per_week > 0 && k.kind != static_cast<uint8_t>(VacancyKind::kFleksjob) &&
         k.hours_per_week > s.fleksjob_hours_per_week;
}
inline bool FleksjobHoursOnFleksjob(const SeekerKey& s, const VacancyKey& k) {
  return k.kind == static_cast<uint8_t>(VacancyKind::kFleksjob) && !k.hours_agreed_per_person &&
         k.hours_per_week > s.fleksjob_hours_per_week;
}
inline bool WeeklyHoursLimit(const SeekerKey& s, const VacancyKey& k) {
  return s.max_hours_hard && !HoursPerPerson(k) && k.hours_per_week > s.max_hours_per_week;
}
inline bool NotAvailableInTime(const SeekerKey& s, const VacancyKey& k) {
  return k.starts != absl::InfinitePast() && s.available_from > k.starts;
}
inline bool DailyHoursLimit(const SeekerKey& s, const VacancyKey& k) {
  return s.max_hours_per_day > 0 && !k.flexible_hours &&
         k.hours_per_week > Policy::kWorkdaysPerWeek * s.max_hours_per_day;
}
inline bool LicenceMissing(const SeekerKey& s, const VacancyKey& k) {
  return (k.required_licences & ~s.licences) != 0;
}
inline bool AuthorisationMissing(const SeekerKey& s, const VacancyKey& k) {
  return k.authorisation >= 0 && !Bit(s.authorisations, k.authorisation);
}
bool PlacementNotEligible(const PairContext& c, PairFacts* facts);
bool PlacementTooLong(const PairContext& c, PairFacts* facts);
bool LanguageMissing(const PairContext& c, PairFacts* facts);
bool CommuteTooLong(const PairContext& c, PairFacts* facts);
bool HardNeedUnmet(const PairContext& c, PairFacts* facts);
bool DemandExcluded(const PairContext& c, PairFacts* facts);

std::string SeekerInactiveDetail(const PairContext& c, const PairFacts& f);
std::string VacancyClosedDetail(const PairContext& c, const PairFacts& f);
std::string VacancyExpiredDetail(const PairContext& c, const PairFacts& f);
std::string OccupationUnrelatedDetail(const PairContext& c, const PairFacts& f);
std::string KindNotAcceptedDetail(const PairContext& c, const PairFacts& f);
std::string FleksjobRequiresVisitationDetail(const PairContext& c, const PairFacts& f);
std::string FleksjobHoursOnOrdinaryJobDetail(const PairContext& c, const PairFacts& f);
std::string FleksjobHoursOnFleksjobDetail(const PairContext& c, const PairFacts& f);
std::string WeeklyHoursLimitDetail(const PairContext& c, const PairFacts& f);
std::string NotAvailableInTimeDetail(const PairContext& c, const PairFacts& f);
std::string DailyHoursLimitDetail(const PairContext& c, const PairFacts& f);
std::string LicenceMissingDetail(const PairContext& c, const PairFacts& f);
std::string AuthorisationMissingDetail(const PairContext& c, const PairFacts& f);
std::string PlacementNotEligibleDetail(const PairContext& c, const PairFacts& f);
std::string PlacementTooLongDetail(const PairContext& c, const PairFacts& f);
std::string LanguageMissingDetail(const PairContext& c, const PairFacts& f);
std::string CommuteTooLongDetail(const PairContext& c, const PairFacts& f);
std::string HardNeedUnmetDetail(const PairContext& c, const PairFacts& f);
std::string DemandExcludedDetail(const PairContext& c, const PairFacts& f);

constexpr HardConstraint Seeker(const char* name, Reason reason, const char* rule,
                                bool (*fails)(const SeekerKey&),
                                std::string (*detail)(const PairContext&, const PairFacts&)) {
  HardConstraint c{name, reason, ConstraintSide::kSeeker, rule};
  c.seeker_fails = fails;
  c.detail = detail;
  return c;
}
constexpr HardConstraint Vacancy(const char* name, Reason reason, const char* rule,
                                 bool (*fails)(const VacancyKey&, absl::Time),
                                 std::string (*detail)(const PairContext&, const PairFacts&)) {
  HardConstraint c{name, reason, ConstraintSide::kVacancy, rule};
  c.vacancy_fails = fails;
  c.detail = detail;
  return c;
}
constexpr HardConstraint Keys(const char* name, Reason reason, const char* rule,
                              bool (*fails)(const SeekerKey&, const VacancyKey&),
                              std::string (*detail)(const PairContext&, const PairFacts&)) {
  HardConstraint c{name, reason, ConstraintSide::kKeys, rule};
  c.key_fails = fails;
  c.detail = detail;
  return c;
}
constexpr HardConstraint Pair(const char* name, Reason reason, const char* rule,
                              bool (*fails)(const PairContext&, PairFacts*),
                              std::string (*detail)(const PairContext&, const PairFacts&)) {
  HardConstraint c{name, reason, ConstraintSide::kPair, rule};
  c.pair_fails = fails;
  c.detail = detail;
  return c;
}

}  // namespace hard_rules

// The table, in the order Evaluate checks it (the order decides which
// blocker a pair that fails several rules reports; it is part of the API).
inline constexpr HardConstraint kHardConstraints[] = {
    hard_rules::Seeker("seeker_inactive", Reason::kSeekerInactive,
                       "the seeker's profile is paused", hard_rules::SeekerInactive,
                       hard_rules::SeekerInactiveDetail),
    hard_rules::Vacancy("vacancy_closed", Reason::kVacancyClosed,
                        "the vacancy is filled or withdrawn", hard_rules::VacancyClosed,
                        hard_rules::VacancyClosedDetail),
    hard_rules::Vacancy("vacancy_expired", Reason::kVacancyExpired,
                        "the vacancy's closing date has passed", hard_rules::VacancyExpired,
                        hard_rules::VacancyExpiredDetail),
    hard_rules::Pair("occupation_unrelated", Reason::kOccupationUnrelated,
                     "the vacancy's occupation is not related to any the seeker wants "
                     "(occupation_breadth shared ISCO digits, or a substitute occupation)",
                     hard_rules::OccupationUnrelated, hard_rules::OccupationUnrelatedDetail),
    hard_rules::Keys("kind_not_accepted", Reason::kKindNotAccepted,
                    "the seeker does not consider this kind of job",
                    hard_rules::KindNotAccepted, hard_rules::KindNotAcceptedDetail),
    hard_rules::Pair("placement_not_eligible", Reason::kPlacementNotEligible,
                     "a development placement (virksomhedspraktik, løntilskud, IGU, "
                     "voksenlærling): no rule of data/placements/ in force covers the seeker's "
                     "target group at this employer's sector",
                     hard_rules::PlacementNotEligible, hard_rules::PlacementNotEligibleDetail),
    hard_rules::Pair("placement_too_long", Reason::kPlacementTooLong,
                     "a development placement's stated duration exceeds the maximum of the "
                     "rule that applies",
                     hard_rules::PlacementTooLong, hard_rules::PlacementTooLongDetail),
    hard_rules::Keys("fleksjob_requires_visitation", Reason::kFleksjobRequiresVisitation,
                    "a fleksjob needs a seeker approved for fleksjob",
                    hard_rules::FleksjobRequiresVisitation,
                    hard_rules::FleksjobRequiresVisitationDetail),
    hard_rules::Keys("fleksjob_hours_ordinary_job", Reason::kHoursIncompatible,
                    "a seeker approved for fleksjob: another job's weekly hours exceed the "
                    "approved hours",
                    hard_rules::FleksjobHoursOnOrdinaryJob,
                    hard_rules::FleksjobHoursOnOrdinaryJobDetail),
    hard_rules::Keys("fleksjob_hours_fleksjob", Reason::kHoursIncompatible,
                    "a fleksjob's weekly hours exceed the approved hours and it does not agree "
                    "hours per person",
                    hard_rules::FleksjobHoursOnFleksjob, hard_rules::FleksjobHoursOnFleksjobDetail),
    hard_rules::Keys("weekly_hours_limit", Reason::kHoursIncompatible,
                    "the job's weekly hours exceed the seeker's hard weekly maximum",
                    hard_rules::WeeklyHoursLimit, hard_rules::WeeklyHoursLimitDetail),
    hard_rules::Keys("start_date", Reason::kNotAvailableInTime,
                    "the seeker is available only after the job's stated start",
                    hard_rules::NotAvailableInTime, hard_rules::NotAvailableInTimeDetail),
    hard_rules::Keys("daily_hours_limit", Reason::kHoursIncompatible,
                    "without flexible hours, the weekly hours exceed 5 x the seeker's daily "
                    "maximum",
                    hard_rules::DailyHoursLimit, hard_rules::DailyHoursLimitDetail),
    hard_rules::Keys("licence_missing", Reason::kLicenceMissing,
                    "a required driving licence or certificate is missing",
                    hard_rules::LicenceMissing, hard_rules::LicenceMissingDetail),
    hard_rules::Keys("authorisation_missing", Reason::kAuthorisationMissing,
                    "a regulated profession's Danish authorisation is missing",
                    hard_rules::AuthorisationMissing, hard_rules::AuthorisationMissingDetail),
    hard_rules::Pair("language_missing", Reason::kLanguageMissing,
                     "a required language at the required CEFR level is missing",
                     hard_rules::LanguageMissing, hard_rules::LanguageMissingDetail),
    hard_rules::Pair("commute_too_long", Reason::kCommuteTooLong,
                     "no allowed transport mode makes the trip within the seeker's own limit "
                     "(not for a fully remote job)",
                     hard_rules::CommuteTooLong, hard_rules::CommuteTooLongDetail),
    hard_rules::Pair("hard_need_unmet", Reason::kHardNeedUnmet,
                     "an accommodation the seeker must have is not possible at the workplace",
                     hard_rules::HardNeedUnmet, hard_rules::HardNeedUnmetDetail),
    hard_rules::Pair("demand_excluded", Reason::kDemandExcluded,
                     "an essential work demand the seeker cannot meet, and no usable "
                     "accommodation mitigates it",
                     hard_rules::DemandExcluded, hard_rules::DemandExcludedDetail),
};
inline constexpr size_t kHardConstraintCount = std::size(kHardConstraints);

namespace hard_rules {

// The table run at compile time: each row's check is a constant, so the
// calls inline and the rows of other sides vanish.
template <size_t I>
inline bool SeekerRowFails(const SeekerKey& seeker) {
  if constexpr (kHardConstraints[I].side == ConstraintSide::kSeeker) {
    constexpr auto fails = kHardConstraints[I].seeker_fails;
    return fails(seeker);
  } else {
    return false;
  }
}
template <size_t I>
inline bool VacancyRowFails(const VacancyKey& key, absl::Time now) {
  if constexpr (kHardConstraints[I].side == ConstraintSide::kVacancy) {
    constexpr auto fails = kHardConstraints[I].vacancy_fails;
    return fails(key, now);
  } else {
    return false;
  }
}
template <size_t I>
inline bool KeyRowFails(const SeekerKey& seeker, const VacancyKey& key) {
  if constexpr (kHardConstraints[I].side == ConstraintSide::kKeys) {
    constexpr auto fails = kHardConstraints[I].key_fails;
    return fails(seeker, key);
  } else {
    return false;
  }
}
template <size_t... I>
inline bool AnySeekerRowFails(const SeekerKey& seeker, std::index_sequence<I...>) {
  return (SeekerRowFails<I>(seeker) || ...);
}
template <size_t... I>
inline bool AnyVacancyRowFails(const VacancyKey& key, absl::Time now, std::index_sequence<I...>) {
  return (VacancyRowFails<I>(key, now) || ...);
}
template <size_t... I>
inline bool AnyKeyRowFails(const SeekerKey& seeker, const VacancyKey& key,
                           std::index_sequence<I...>) {
  return (KeyRowFails<I>(seeker, key) || ...);
}

template <size_t I>
inline bool RowFails(const PairContext& c, PairFacts* facts) {
  constexpr HardConstraint row = kHardConstraints[I];
  if constexpr (row.side == ConstraintSide::kSeeker) {
    return row.seeker_fails(c.seeker_key);
  } else if constexpr (row.side == ConstraintSide::kVacancy) {
    return row.vacancy_fails(c.key, c.now);
  } else if constexpr (row.side == ConstraintSide::kKeys) {
    return row.key_fails(c.seeker_key, c.key);
  } else {
    return row.pair_fails(c, facts);
  }
}

template <size_t... I>
inline int FirstFailing(const PairContext& c, PairFacts* facts, std::index_sequence<I...>) {
  int failed = -1;
  // Left to right, stopping at the first rule that fails.
  (void)((RowFails<I>(c, facts) ? (failed = static_cast<int>(I), true) : false) || ...);
  return failed;
}

}  // namespace hard_rules

// Runs the table in order: the index of the first rule that fails, or -1 if
// the pair passes every rule (then `facts` is complete).
inline int FirstFailingConstraint(const PairContext& c, PairFacts* facts) {
  return hard_rules::FirstFailing(c, facts, std::make_index_sequence<kHardConstraintCount>());
}

// What the two placement rows read, from the seeker's target group alone:
// the rule that admits a development placement for that group (nullptr:
// placement_not_eligible), and whether the placement runs longer than the
// rule allows (placement_too_long).
inline const PlacementRule* ApplicablePlacementRule(const Schemes& schemes,
                                                    const VacancyProfile& vacancy,
                                                    std::string_view target_group,
                                                    absl::Time now) {
  return schemes.placement_rules().Applicable(vacancy.kind, target_group, vacancy.public_employer,
                                              now);
}
inline bool PlacementLongerThanRule(const PlacementRule& rule, const VacancyProfile& vacancy) {
  return rule.max_weeks > 0 && vacancy.duration_weeks > rule.max_weeks;
}

// The placement rows (placement_not_eligible, placement_too_long) decided
// from the seeker's target group alone, through the same two functions as
// the rows: true if both pass (always for a vacancy that is not a
// development placement). A vacancy's scan tests them once per target group
// before it reads any seeker.
inline bool PlacementRowsAdmit(const Schemes& schemes, const VacancyProfile& vacancy,
                               std::string_view target_group, absl::Time now) {
  if (!IsDevelopmentPlacement(vacancy.kind)) return true;
  const PlacementRule* rule = ApplicablePlacementRule(schemes, vacancy, target_group, now);
  return rule != nullptr && !PlacementLongerThanRule(*rule, vacancy);
}

// The prefilters of the scans: true if every rule of that side passes.
// Evaluate excludes every pair for which one of these is false.
inline bool SeekerAdmitted(const SeekerKey& seeker) {
  return !hard_rules::AnySeekerRowFails(seeker, std::make_index_sequence<kHardConstraintCount>());
}
inline bool VacancyAdmitted(const VacancyKey& key, absl::Time now) {
  return !hard_rules::AnyVacancyRowFails(key, now,
                                         std::make_index_sequence<kHardConstraintCount>());
}
inline bool KeysAdmitted(const SeekerKey& seeker, const VacancyKey& key) {
  return !hard_rules::AnyKeyRowFails(seeker, key, std::make_index_sequence<kHardConstraintCount>());
}

}  // namespace jobmatch::matcher

#endif  // JOBMATCH_MATCHER_HARD_CONSTRAINTS_H_

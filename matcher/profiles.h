// The matcher's plain domain structs: a seeker's profile and a vacancy's,
// converted from the API at the edge (server/convert.cc). Enum values equal
// the jobmatch.v1 proto numbers, so conversion is a checked cast.
// Sets of enum values are bitmasks (bit i = value i).
#ifndef JOBMATCH_MATCHER_PROFILES_H_
#define JOBMATCH_MATCHER_PROFILES_H_

#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "absl/time/time.h"
#include "matcher/geography.h"
#include "matcher/taxonomy.h"

namespace jobmatch::matcher {

enum class TransportMode : uint8_t { kWalk = 1, kBicycle = 2, kCar = 3, kPublicTransport = 4 };
inline constexpr int kTransportModeCount = 5;
const char* TransportModeName(TransportMode mode);  // e.g. "PUBLIC_TRANSPORT"

// Why a seeker's commute limit is what it is: the Danish availability rule
// (daily transport up to 3 hours, 4 after three months) or a lower personal
// limit for health or care reasons. Kept with the limit and shown with it.
enum class CommuteLimitReason : uint8_t {
  kUnspecified = 0, kStandardRule = 1, kHealth = 2, kCareObligations = 3, kOther = 4
};
const char* CommuteLimitReasonName(CommuteLimitReason reason);  // e.g. "HEALTH"

enum class VacancyKind : uint8_t {
  kOrdinary = 1, kFleksjob = 2, kLoentilskud = 3, kVirksomhedspraktik = 4, kApprenticeship = 5,
  kIgu = 6, kVoksenlaerling = 7
};
inline constexpr int kVacancyKindCount = 8;  // bitmasks of kinds fit in a uint8_t
const char* VacancyKindName(VacancyKind kind);  // as in the API, e.g. "VIRKSOMHEDSPRAKTIK"
// Development placements: scored on what the seeker would learn
// (DEVELOPMENT_POTENTIAL) within the rules of data/placements/.
inline bool IsDevelopmentPlacement(VacancyKind kind) {
  return kind == VacancyKind::kVirksomhedspraktik || kind == VacancyKind::kLoentilskud ||
         kind == VacancyKind::kIgu || kind == VacancyKind::kVoksenlaerling;
}

// Functional demands of a job (ICF-aligned; see proto WorkDemand).
enum class WorkDemand : uint8_t {
  kHeavyLifting = 1, kProlongedStanding, kProlongedWalking, kNightWork, kNoisyEnvironment,
  kCustomerContact, kHighPace, kFineHandUse, kExtendedScreenWork, kDriving, kOutdoorWork
};
inline constexpr int kWorkDemandCount = 12;

enum class Accommodation : uint8_t {
  kStepFreeAccess = 1, kAccessibleToilet, kAdjustableDesk, kQuietWorkspace, kScreenReader,
  kHearingLoop, kFlexibleHours, kRemoteWork, kExtraBreaks, kReducedPace, kLiftingAids,
  kPersonalAssistance, kMentor, kSignLanguageInterpreter
};
inline constexpr int kAccommodationCount = 15;

enum class AccommodationStatus : uint8_t {
  kUnknown = 0, kInPlace = 1, kPossible = 2, kPossibleWithScheme = 3, kNotPossible = 4
};

enum class Licence : uint8_t { kB = 1, kBE, kC1, kC, kCE, kD1, kD, kDE, kForklift };

// CEFR level, 1 = A1 ... 6 = C2, 7 = native.
using LanguageLevel = uint8_t;

struct Language {
  uint16_t code = 0;  // two ISO 639-1 letters packed: ('d' << 8) | 'a'
  LanguageLevel level = 0;
  friend bool operator==(const Language& a, const Language& b) {
    return a.code == b.code && a.level == b.level;
  }
};
uint16_t PackLanguageCode(const std::string& two_letters);

struct FunctionalNeed {
  Accommodation accommodation;
  bool hard = false;  // false = soft (a preference)
};

struct DesiredOccupation {
  int isco = 0;                              // 4-digit unit group
  OccupationId esco = kNoOccupation;         // optional, more specific
};

struct SeekerProfile {
  std::string id;
  Place home;
  uint8_t transport_modes = 0;  // bitmask of TransportMode
  int max_commute_minutes = 0;  // one way
  CommuteLimitReason commute_limit_reason = CommuteLimitReason::kStandardRule;
  std::vector<DesiredOccupation> occupations;  // most wanted first
  std::vector<SkillId> skills;                 // sorted, unique
  int education_level = 0;                     // ISCED 2011
  std::vector<Language> languages;
  uint16_t licences = 0;  // bitmask of Licence
  int min_hours_per_week = 0;
  int max_hours_per_week = 48;
  int max_hours_per_day = 0;        // 0 = no limit
  int fleksjob_hours_per_week = 0;  // > 0: approved for fleksjob
  bool max_hours_hard = false;      // max_hours_per_week is a hard limit
  bool newly_educated = false;      // an education of 18+ months within two years
  uint32_t authorisations = 0;      // bitmask by index in Schemes::authorisations()
  absl::Time available_from = absl::InfinitePast();
  uint8_t acceptable_kinds = 0;     // bitmask of VacancyKind; 0 = all
  std::vector<FunctionalNeed> needs;
  uint16_t excluded_demands_hard = 0;  // bitmask of WorkDemand
  uint16_t excluded_demands_soft = 0;
  std::string target_group;
  bool active = true;
  bool consent_share_needs = false;

  // Derived by PrepareSeeker (the index calls it): broader concepts of the
  // held skills, sorted, for partial credit.
  std::vector<SkillId> skill_parents;
};

struct VacancyProfile {
  std::string id;
  std::string employer_id;
  Place workplace;
  int remote_share_percent = 0;
  int isco = 0;
  OccupationId esco = kNoOccupation;
  std::vector<SkillId> essential_skills;  // sorted, unique
  std::vector<SkillId> optional_skills;   // sorted, unique
  int hours_per_week = 37;
  bool night_shifts = false;
  bool flexible_hours = false;
  VacancyKind kind = VacancyKind::kOrdinary;
  bool hours_agreed_per_person = false;  // fleksjob: hours set per person
  absl::Time starts = absl::InfinitePast();  // InfinitePast = not stated
  int duration_weeks = 0;  // 0 = not stated
  uint16_t demands_essential = 0;   // bitmask of WorkDemand
  uint16_t demands_occasional = 0;  // bitmask of WorkDemand
  std::array<AccommodationStatus, kAccommodationCount> accommodations{};  // by Accommodation
  uint16_t required_licences = 0;
  std::vector<Language> required_languages;
  int min_education_level = 0;
  int openings = 1;
  absl::Time valid_until = absl::InfiniteFuture();
  bool open = true;
  bool public_employer = false;

  // Derived by PrepareVacancy: when the vacancy lists no essential skills,
  // the expected profile of its ESCO occupation (or, for an ISCO-only
  // vacancy, the representative profile of the unit group:
  // GroupProfile in profiles.cc) fills essential_skills (and
  // optional_skills if it lists none either), and this flag says so.
  bool skills_from_occupation_profile = false;
};

// Fills derived fields from the taxonomy. Idempotent. An ESCO occupation
// outside the given ISCO unit group (or unknown) is dropped, a missing ISCO
// code is taken from the ESCO occupation: the API validates this; here it
// keeps every path of the index consistent with scoring.
void PrepareSeeker(const Taxonomy& taxonomy, SeekerProfile* seeker);

// Functional needs, avoided work demands, or a limit that exists for health
// reasons (a commute limit with reason HEALTH, a daily hour cap, fleksjob
// hours): the seekers the fairness audit and the needs-neutrality
// invariants are about.
bool HasNeedsOrHealthLimit(const SeekerProfile& seeker);
void PrepareVacancy(const Taxonomy& taxonomy, VacancyProfile* vacancy);

}  // namespace jobmatch::matcher

#endif  // JOBMATCH_MATCHER_PROFILES_H_

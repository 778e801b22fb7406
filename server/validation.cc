#include "server/validation.h"

#include <algorithm>
#include <set>
#include <string>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"

namespace jobmatch {
namespace {

absl::string_view Sv(std::string_view s) { return absl::string_view(s.data(), s.size()); }

absl::Status Invalid(std::string_view field, std::string_view rule) {
  return absl::InvalidArgumentError(absl::StrCat(Sv(field), ": ", Sv(rule)));
}

std::string At(std::string_view field, int i) { return absl::StrCat(Sv(field), "[", i, "]"); }

bool LooksLikeCpr(std::string_view id) {
  std::string digits;
  for (char c : id) {
    if (absl::ascii_isdigit(static_cast<unsigned char>(c))) {
      digits.push_back(c);
    } else if (c != '-') {
      digits.clear();
    }
    if (digits.size() == 10) return true;
  }
  return false;
}

absl::Status ValidateLocation(const v1::Location& loc, const std::string& field,
                              const matcher::ReferenceData& data) {
  if (!(loc.lat() >= 54.5 && loc.lat() <= 57.8)) {
    return Invalid(field + ".lat", "must be within [54.5, 57.8]");
  }
  if (!(loc.lon() >= 8.0 && loc.lon() <= 15.2)) {
    return Invalid(field + ".lon", "must be within [8.0, 15.2]");
  }
  const matcher::PostalCode* pc = data.geography->FindPostalCode(loc.postal_code());
  if (pc == nullptr || !pc->geographic) {
    return Invalid(field + ".postal_code", "must be a known geographic Danish postal code");
  }
  if (data.geography->FindMunicipality(loc.municipality()) == nullptr) {
    return Invalid(field + ".municipality", "must be one of the 98 municipality codes");
  }
  return absl::OkStatus();
}

template <typename Enum, typename Container>
absl::Status ValidateEnumSet(const Container& values, const std::string& field,
                             bool (*is_valid)(int)) {
  std::set<int> seen;
  for (int i = 0; i < values.size(); ++i) {
    const int v = values.Get(i);
    if (v == 0 || !is_valid(v)) return Invalid(At(field, i), "must be a defined, non-zero value");
    if (!seen.insert(v).second) return Invalid(At(field, i), "duplicate value");
  }
  return absl::OkStatus();
}

absl::Status ValidateLanguages(
    const google::protobuf::RepeatedPtrField<v1::LanguageSkill>& languages,
    const std::string& field) {
  if (languages.size() > 20) return Invalid(field, "at most 20 entries");
  std::set<std::string> seen;
  for (int i = 0; i < languages.size(); ++i) {
    const auto& l = languages[i];
    if (l.code().size() != 2 || !absl::ascii_islower(l.code()[0]) ||
        !absl::ascii_islower(l.code()[1])) {
      return Invalid(At(field, i) + ".code", "must be an ISO 639-1 code (two lowercase letters)");
    }
    if (l.level() == v1::LANGUAGE_LEVEL_UNSPECIFIED || !v1::LanguageLevel_IsValid(l.level())) {
      return Invalid(At(field, i) + ".level", "must be set");
    }
    if (!seen.insert(l.code()).second) return Invalid(At(field, i) + ".code", "duplicate language");
  }
  return absl::OkStatus();
}

absl::Status ValidateIsco(const std::string& code, const std::string& field,
                          const matcher::ReferenceData& data) {
  int value = 0;
  if (code.size() != 4 || !absl::SimpleAtoi(code, &value) ||
      !data.taxonomy->IsIscoUnitGroup(value)) {
    return Invalid(field, "must be a known 4-digit ISCO-08 unit group");
  }
  return absl::OkStatus();
}

absl::Status ValidateEscoOccupation(const std::string& uri, const std::string& isco,
                                    const std::string& field, const matcher::ReferenceData& data) {
  if (uri.empty()) return absl::OkStatus();
  const matcher::OccupationId occ = data.taxonomy->FindOccupation(uri);
  if (occ == matcher::kNoOccupation) return Invalid(field, "unknown ESCO occupation");
  if (absl::StrFormat("%04d", data.taxonomy->occupation(occ).isco) != isco) {
    return Invalid(field, absl::StrCat("ESCO occupation is in ISCO unit group ",
                                       data.taxonomy->occupation(occ).isco, ", not ", isco));
  }
  return absl::OkStatus();
}

absl::Status ValidateSkillList(const google::protobuf::RepeatedPtrField<std::string>& skills,
                               const std::string& field, const matcher::ReferenceData& data) {
  if (skills.size() > 100) return Invalid(field, "at most 100 entries");
  std::set<std::string> seen;
  for (int i = 0; i < skills.size(); ++i) {
    if (data.taxonomy->FindSkill(skills[i]) == matcher::kNoSkill) {
      return Invalid(At(field, i), "unknown ESCO skill");
    }
    if (!seen.insert(skills[i]).second) return Invalid(At(field, i), "duplicate skill");
  }
  return absl::OkStatus();
}

absl::Status ValidateWorkplaceAccommodations(
    const google::protobuf::RepeatedPtrField<v1::WorkplaceAccommodation>& list,
    const std::string& field) {
  std::set<int> seen;
  for (int i = 0; i < list.size(); ++i) {
    const int a = list[i].accommodation();
    if (a == 0 || !v1::Accommodation_IsValid(a)) {
      return Invalid(At(field, i) + ".accommodation", "must be set");
    }
    if (!v1::AccommodationStatus_IsValid(list[i].status())) {
      return Invalid(At(field, i) + ".status", "must be a defined value");
    }
    if (!seen.insert(a).second) return Invalid(At(field, i) + ".accommodation", "duplicate");
  }
  return absl::OkStatus();
}

}  // namespace

absl::Status ValidateId(std::string_view id, std::string_view field) {
  if (id.empty() || id.size() > 64) return Invalid(field, "must be 1..64 characters");
  for (char c : id) {
    if (!absl::ascii_isalnum(static_cast<unsigned char>(c)) && c != '.' && c != '_' && c != ':' &&
        c != '-') {
      return Invalid(field, "may contain only [A-Za-z0-9._:-]");
    }
  }
  if (LooksLikeCpr(id)) return Invalid(field, "must not be or contain a CPR number");
  return absl::OkStatus();
}

absl::Status ValidateSeeker(const v1::Seeker& s, const matcher::ReferenceData& data) {
  if (auto st = ValidateId(s.id(), "seeker.id"); !st.ok()) return st;
  if (!s.has_home()) return Invalid("seeker.home", "is required");
  if (auto st = ValidateLocation(s.home(), "seeker.home", data); !st.ok()) return st;
  if (s.transport_modes_size() == 0) return Invalid("seeker.transport_modes", "at least one mode");
  if (auto st = ValidateEnumSet<v1::TransportMode>(s.transport_modes(), "seeker.transport_modes",
                                                   v1::TransportMode_IsValid);
      !st.ok()) {
    return st;
  }
  if (s.max_commute_minutes() < 1 || s.max_commute_minutes() > 240) {
    return Invalid("seeker.max_commute_minutes", "must be within [1, 240]");
  }
  if (s.occupations_size() < 1 || s.occupations_size() > 10) {
    return Invalid("seeker.occupations", "must have 1..10 entries");
  }
  for (int i = 0; i < s.occupations_size(); ++i) {
    const std::string f = At("seeker.occupations", i);
    if (auto st = ValidateIsco(s.occupations(i).isco_code(), f + ".isco_code", data); !st.ok()) {
      return st;
    }
    if (auto st = ValidateEscoOccupation(s.occupations(i).esco_uri(), s.occupations(i).isco_code(),
                                         f + ".esco_uri", data);
        !st.ok()) {
      return st;
    }
  }
  if (s.skills_size() > 200) return Invalid("seeker.skills", "at most 200 entries");
  std::set<std::string> seen;
  for (int i = 0; i < s.skills_size(); ++i) {
    const std::string f = At("seeker.skills", i);
    if (data.taxonomy->FindSkill(s.skills(i).esco_uri()) == matcher::kNoSkill) {
      return Invalid(f + ".esco_uri", "unknown ESCO skill");
    }
    if (!seen.insert(s.skills(i).esco_uri()).second) return Invalid(f + ".esco_uri", "duplicate skill");
    if (!(s.skills(i).years() >= 0 && s.skills(i).years() <= 60)) {
      return Invalid(f + ".years", "must be within [0, 60]");
    }
  }
  if (s.education_level() < 0 || s.education_level() > 8) {
    return Invalid("seeker.education_level", "must be within [0, 8] (ISCED 2011)");
  }
  if (auto st = ValidateLanguages(s.languages(), "seeker.languages"); !st.ok()) return st;
  if (auto st = ValidateEnumSet<v1::Licence>(s.licences(), "seeker.licences", v1::Licence_IsValid);
      !st.ok()) {
    return st;
  }
  if (s.min_hours_per_week() < 0 || s.max_hours_per_week() > 48 ||
      s.min_hours_per_week() > s.max_hours_per_week()) {
    return Invalid("seeker.max_hours_per_week", "must satisfy 0 <= min <= max <= 48");
  }
  if (s.max_hours_per_day() < 0 || s.max_hours_per_day() > 12) {
    return Invalid("seeker.max_hours_per_day", "must be within [0, 12]");
  }
  if (s.fleksjob_hours_per_week() < 0 || s.fleksjob_hours_per_week() > 37) {
    return Invalid("seeker.fleksjob_hours_per_week", "must be 0 or within [1, 37]");
  }
  if (auto st = ValidateEnumSet<v1::VacancyKind>(s.acceptable_kinds(), "seeker.acceptable_kinds",
                                                 v1::VacancyKind_IsValid);
      !st.ok()) {
    return st;
  }
  std::set<int> needs;
  for (int i = 0; i < s.needs_size(); ++i) {
    const std::string f = At("seeker.needs", i);
    const int a = s.needs(i).accommodation();
    if (a == 0 || !v1::Accommodation_IsValid(a)) return Invalid(f + ".accommodation", "must be set");
    if (s.needs(i).strength() == 0 || !v1::Strength_IsValid(s.needs(i).strength())) {
      return Invalid(f + ".strength", "must be HARD or SOFT");
    }
    if (!needs.insert(a).second) return Invalid(f + ".accommodation", "duplicate need");
  }
  std::set<int> demands;
  for (int i = 0; i < s.excluded_demands_size(); ++i) {
    const std::string f = At("seeker.excluded_demands", i);
    const int d = s.excluded_demands(i).demand();
    if (d == 0 || !v1::WorkDemand_IsValid(d)) return Invalid(f + ".demand", "must be set");
    if (s.excluded_demands(i).strength() == 0 ||
        !v1::Strength_IsValid(s.excluded_demands(i).strength())) {
      return Invalid(f + ".strength", "must be HARD or SOFT");
    }
    if (!demands.insert(d).second) return Invalid(f + ".demand", "duplicate demand");
  }
  {
    std::set<std::string> authorisations;
    for (int i = 0; i < s.authorisations_size(); ++i) {
      const std::string& code = s.authorisations(i);
      if (data.schemes->AuthorisationIndex(code) < 0) {
        return Invalid(At("seeker.authorisations", i),
                       "unknown authorisation code (see data/schemes/authorisations.tsv)");
      }
      if (!authorisations.insert(code).second) {
        return Invalid(At("seeker.authorisations", i), "duplicate authorisation");
      }
    }
  }
  if (!data.schemes->IsTargetGroup(s.target_group())) {
    return Invalid("seeker.target_group",
                   absl::StrCat("must be a known target group code (data/schemes/target_groups.tsv, "
                                "version ", data.schemes->version(), ")"));
  }
  if (!v1::SeekerStatus_IsValid(s.status())) return Invalid("seeker.status", "undefined value");
  if (s.unemployed_since_micros() != 0) {
    const absl::Time since = absl::FromUnixMicros(s.unemployed_since_micros());
    const absl::Time now = absl::Now();
    if (since > now) return Invalid("seeker.unemployed_since_micros", "must not be in the future");
    if (since < now - absl::Hours(24 * 365 * 50)) {
      return Invalid("seeker.unemployed_since_micros", "must be within the last 50 years");
    }
  }
  return absl::OkStatus();
}

absl::Status ValidateVacancy(const v1::Vacancy& v, const matcher::ReferenceData& data) {
  if (auto st = ValidateId(v.id(), "vacancy.id"); !st.ok()) return st;
  if (auto st = ValidateId(v.employer_id(), "vacancy.employer_id"); !st.ok()) return st;
  if (!v.has_workplace()) return Invalid("vacancy.workplace", "is required");
  if (auto st = ValidateLocation(v.workplace(), "vacancy.workplace", data); !st.ok()) return st;
  if (v.remote_share_percent() < 0 || v.remote_share_percent() > 100) {
    return Invalid("vacancy.remote_share_percent", "must be within [0, 100]");
  }
  if (auto st = ValidateIsco(v.isco_code(), "vacancy.isco_code", data); !st.ok()) return st;
  if (auto st = ValidateEscoOccupation(v.esco_occupation_uri(), v.isco_code(),
                                       "vacancy.esco_occupation_uri", data);
      !st.ok()) {
    return st;
  }
  if (auto st = ValidateSkillList(v.essential_skills(), "vacancy.essential_skills", data); !st.ok()) {
    return st;
  }
  if (auto st = ValidateSkillList(v.optional_skills(), "vacancy.optional_skills", data); !st.ok()) {
    return st;
  }
  if (v.hours_per_week() < 1 || v.hours_per_week() > 48) {
    return Invalid("vacancy.hours_per_week", "must be within [1, 48]");
  }
  if (v.kind() == v1::VACANCY_KIND_UNSPECIFIED || !v1::VacancyKind_IsValid(v.kind())) {
    return Invalid("vacancy.kind", "must be set");
  }
  std::set<int> demands;
  for (int i = 0; i < v.demands_size(); ++i) {
    const int d = v.demands(i).demand();
    if (d == 0 || !v1::WorkDemand_IsValid(d)) {
      return Invalid(At("vacancy.demands", i) + ".demand", "must be set");
    }
    if (!demands.insert(d).second) return Invalid(At("vacancy.demands", i) + ".demand", "duplicate");
  }
  if (auto st = ValidateWorkplaceAccommodations(v.accommodations(), "vacancy.accommodations");
      !st.ok()) {
    return st;
  }
  if (auto st = ValidateEnumSet<v1::Licence>(v.required_licences(), "vacancy.required_licences",
                                             v1::Licence_IsValid);
      !st.ok()) {
    return st;
  }
  if (auto st = ValidateLanguages(v.required_languages(), "vacancy.required_languages"); !st.ok()) {
    return st;
  }
  if (v.min_education_level() < 0 || v.min_education_level() > 8) {
    return Invalid("vacancy.min_education_level", "must be within [0, 8] (ISCED 2011)");
  }
  if (v.openings() < 1 || v.openings() > 1000) {
    return Invalid("vacancy.openings", "must be within [1, 1000]");
  }
  if (v.valid_until_micros() <= 0) return Invalid("vacancy.valid_until_micros", "must be > 0");
  if (v.starts_micros() < 0) return Invalid("vacancy.starts_micros", "must be >= 0 (0 = not stated)");
  if (v.duration_weeks() < 0 || v.duration_weeks() > 520) {
    return Invalid("vacancy.duration_weeks", "must be within [0, 520] (0 = not stated)");
  }
  if (!v1::VacancyStatus_IsValid(v.status())) return Invalid("vacancy.status", "undefined value");
  return absl::OkStatus();
}

absl::Status ValidateEmployer(const v1::Employer& e, const matcher::ReferenceData& data) {
  if (auto st = ValidateId(e.id(), "employer.id"); !st.ok()) return st;
  if (e.name().empty() || e.name().size() > 200) {
    return Invalid("employer.name", "must be 1..200 characters");
  }
  if (e.cvr().size() != 8 || !std::all_of(e.cvr().begin(), e.cvr().end(), [](char c) {
        return absl::ascii_isdigit(static_cast<unsigned char>(c));
      })) {
    return Invalid("employer.cvr", "must be exactly 8 digits");
  }
  {
    static constexpr int kWeights[8] = {2, 7, 6, 5, 4, 3, 2, 1};
    int sum = 0;
    for (int i = 0; i < 8; ++i) sum += kWeights[i] * (e.cvr()[i] - '0');
    if (sum % 11 != 0) {
      return Invalid("employer.cvr", "fails the modulus-11 check (weights 2,7,6,5,4,3,2,1)");
    }
  }
  if (data.geography->FindMunicipality(e.municipality()) == nullptr) {
    return Invalid("employer.municipality", "must be one of the 98 municipality codes");
  }
  if (!v1::EmployerSizeBand_IsValid(e.size_band())) {
    return Invalid("employer.size_band", "undefined value");
  }
  if (!e.industry_db07().empty() &&
      (e.industry_db07().size() != 6 ||
       !std::all_of(e.industry_db07().begin(), e.industry_db07().end(),
                    [](char c) { return absl::ascii_isdigit(static_cast<unsigned char>(c)); }))) {
    return Invalid("employer.industry_db07", "must be empty or a 6-digit DB07 code");
  }
  if (e.social_responsibility_label().size() > 100) {
    return Invalid("employer.social_responsibility_label", "at most 100 characters");
  }
  if (!e.social_responsibility_label().empty() && !e.social_responsibility()) {
    return Invalid("employer.social_responsibility_label",
                   "only with social_responsibility set");
  }
  std::set<int> agreements;
  for (int i = 0; i < e.agreements_size(); ++i) {
    const std::string f = At("employer.agreements", i);
    const int a = e.agreements(i);
    if (a == 0 || !v1::EmployerAgreement_IsValid(a)) return Invalid(f, "must be a defined value");
    if (!agreements.insert(a).second) return Invalid(f, "duplicate agreement");
  }
  if (e.contacts_size() > 1000) return Invalid("employer.contacts", "at most 1000");
  const int64_t now = absl::ToUnixMicros(absl::Now());
  for (int i = 0; i < e.contacts_size(); ++i) {
    const std::string f = At("employer.contacts", i);
    const v1::EmployerContact& c = e.contacts(i);
    if (c.kind() == 0 || !v1::ContactKind_IsValid(c.kind())) {
      return Invalid(f + ".kind", "must be VISIT, CALL, MEETING or EMAIL");
    }
    if (c.date_micros() <= 0) return Invalid(f + ".date_micros", "must be set");
    if (c.date_micros() > now) return Invalid(f + ".date_micros", "must not be in the future");
    if (c.consultant().empty() || c.consultant().size() > 100) {
      return Invalid(f + ".consultant", "must be 1..100 characters");
    }
  }
  return ValidateWorkplaceAccommodations(e.default_accommodations(),
                                         "employer.default_accommodations");
}

}  // namespace jobmatch

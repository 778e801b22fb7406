#include "server/convert.h"

#include <type_traits>
#include <utility>

#include "absl/strings/numbers.h"
#include "matcher/policy_fields.h"
#include "server/reference_upgrade.h"

namespace jobmatch {
namespace {

using matcher::Accommodation;
using matcher::AccommodationStatus;

matcher::Place ToPlace(const v1::Location& loc) {
  return matcher::MakePlace(loc.lat(), loc.lon(), loc.postal_code(), loc.municipality());
}

int IscoInt(const std::string& code) {
  int value = 0;
  return absl::SimpleAtoi(code, &value) ? value : 0;
}

// The bit for enum value v in a 16-bit mask; none for values outside it
// (validation rejects them first; a shift by them would be undefined).
uint16_t Bit(int v) { return v >= 0 && v < 16 ? static_cast<uint16_t>(1u << v) : 0; }

template <typename Repeated>
uint16_t Mask(const Repeated& values) {
  uint16_t mask = 0;
  for (int v : values) mask |= Bit(v);
  return mask;
}

std::vector<matcher::Language> ToLanguages(
    const google::protobuf::RepeatedPtrField<v1::LanguageSkill>& languages) {
  std::vector<matcher::Language> out;
  for (const auto& l : languages) {
    out.push_back({matcher::PackLanguageCode(l.code()), static_cast<uint8_t>(l.level())});
  }
  return out;
}

void ApplyAccommodations(
    const google::protobuf::RepeatedPtrField<v1::WorkplaceAccommodation>& list,
    matcher::VacancyProfile* v) {
  for (const auto& a : list) {
    AccommodationStatus status;
    switch (a.status()) {
      case v1::IN_PLACE: status = AccommodationStatus::kInPlace; break;
      case v1::POSSIBLE: status = AccommodationStatus::kPossible; break;
      case v1::POSSIBLE_WITH_SCHEME: status = AccommodationStatus::kPossibleWithScheme; break;
      case v1::NOT_POSSIBLE: status = AccommodationStatus::kNotPossible; break;
      default: status = AccommodationStatus::kUnknown; break;
    }
    v->accommodations[a.accommodation()] = status;
  }
}

}  // namespace

v1::SkillRef ToSkillRef(matcher::SkillId id, const matcher::Taxonomy& taxonomy) {
  v1::SkillRef ref;
  if (id == matcher::kNoSkill) return ref;
  ref.set_esco_uri(taxonomy.skill(id).uri);
  ref.set_label(taxonomy.skill(id).label);
  return ref;
}

matcher::SeekerProfile ToProfile(const v1::Seeker& s, const matcher::ReferenceData& data) {
  matcher::SeekerProfile p;
  p.id = s.id();
  p.home = ToPlace(s.home());
  p.transport_modes = static_cast<uint8_t>(Mask(s.transport_modes()));
  p.max_commute_minutes = s.max_commute_minutes();
  // Validated to a known value; unset means the standard rule.
  p.commute_limit_reason =
      s.commute_limit_reason() == v1::COMMUTE_LIMIT_REASON_UNSPECIFIED
          ? matcher::CommuteLimitReason::kStandardRule
          : static_cast<matcher::CommuteLimitReason>(s.commute_limit_reason());
  // Concepts a newer taxonomy lacks resolve to their replacement, else they
  // are left out and score nothing (server/reference_upgrade.h).
  for (const auto& o : s.occupations()) {
    p.occupations.push_back({IscoInt(o.isco_code()),
                             o.esco_uri().empty() ? matcher::kNoOccupation
                                                  : ResolveOccupation(*data.taxonomy, o.esco_uri())});
  }
  for (const auto& skill : s.skills()) {
    const matcher::SkillId id = ResolveSkill(*data.taxonomy, skill.esco_uri());
    if (id != matcher::kNoSkill) p.skills.push_back(id);
  }
  p.education_level = s.education_level();
  p.languages = ToLanguages(s.languages());
  p.licences = Mask(s.licences());
  p.min_hours_per_week = s.min_hours_per_week();
  p.max_hours_per_week = s.max_hours_per_week() > 0 ? s.max_hours_per_week() : 48;
  p.max_hours_per_day = s.max_hours_per_day();
  p.fleksjob_hours_per_week = s.fleksjob_hours_per_week();
  p.max_hours_hard = s.max_hours_per_week_is_hard();
  p.newly_educated = s.newly_educated();
  for (const std::string& code : s.authorisations()) {
    const int index = data.schemes->AuthorisationIndex(code);  // validated: known
    if (index >= 0) p.authorisations |= 1u << index;
  }
  if (s.available_from_micros() > 0) p.available_from = absl::FromUnixMicros(s.available_from_micros());
  p.acceptable_kinds = static_cast<uint8_t>(Mask(s.acceptable_kinds()));
  for (const auto& n : s.needs()) {
    p.needs.push_back({static_cast<Accommodation>(n.accommodation()), n.strength() == v1::HARD});
  }
  for (const auto& d : s.excluded_demands()) {
    (d.strength() == v1::HARD ? p.excluded_demands_hard : p.excluded_demands_soft) |=
        Bit(d.demand());
  }
  p.target_group = s.target_group();
  p.active = s.status() != v1::PAUSED;
  p.consent_share_needs = s.consent_share_needs_with_employers();
  return p;
}

matcher::VacancyProfile ToProfile(const v1::Vacancy& v, const v1::Employer* employer,
                                  const matcher::ReferenceData& data) {
  matcher::VacancyProfile p;
  p.id = v.id();
  p.employer_id = v.employer_id();
  p.workplace = ToPlace(v.workplace());
  p.remote_share_percent = v.remote_share_percent();
  p.isco = IscoInt(v.isco_code());
  if (!v.esco_occupation_uri().empty()) p.esco = ResolveOccupation(*data.taxonomy, v.esco_occupation_uri());
  for (const auto& uri : v.essential_skills()) {
    const matcher::SkillId id = ResolveSkill(*data.taxonomy, uri);
    if (id != matcher::kNoSkill) p.essential_skills.push_back(id);
  }
  for (const auto& uri : v.optional_skills()) {
    const matcher::SkillId id = ResolveSkill(*data.taxonomy, uri);
    if (id != matcher::kNoSkill) p.optional_skills.push_back(id);
  }
  p.hours_per_week = v.hours_per_week();
  p.night_shifts = v.night_shifts();
  p.flexible_hours = v.flexible_hours();
  p.kind = static_cast<matcher::VacancyKind>(v.kind());
  p.hours_agreed_per_person = v.hours_agreed_per_person();
  if (v.starts_micros() > 0) p.starts = absl::FromUnixMicros(v.starts_micros());
  p.duration_weeks = v.duration_weeks();
  for (const auto& d : v.demands()) {
    (d.essential() ? p.demands_essential : p.demands_occasional) |=
        Bit(d.demand());
  }
  if (v.accommodations().empty() && employer != nullptr) {
    ApplyAccommodations(employer->default_accommodations(), &p);
  } else {
    ApplyAccommodations(v.accommodations(), &p);
  }
  p.required_licences = Mask(v.required_licences());
  p.required_languages = ToLanguages(v.required_languages());
  p.min_education_level = v.min_education_level();
  p.openings = v.openings();
  p.valid_until = absl::FromUnixMicros(v.valid_until_micros());
  p.open = v.status() == v1::VACANCY_STATUS_UNSPECIFIED || v.status() == v1::OPEN;
  p.public_employer = employer != nullptr && employer->public_sector();
  return p;
}

bool MentionsNeeds(const matcher::Score& s) {
  if (s.blocker == matcher::Reason::kHardNeedUnmet) return true;
  if (!s.needs_met.empty() || !s.needs_to_check.empty() || !s.support_schemes.empty()) return true;
  for (const auto& part : s.parts) {
    if (part.reason == matcher::Reason::kNeedsFit) return true;
  }
  return false;
}

std::string VisibleBlockerDetail(const matcher::Score& s, bool show_needs) {
  if (s.blocker == matcher::Reason::kHardNeedUnmet && !show_needs) {
    return "a functional need of the seeker cannot be met at this workplace (which one is "
           "withheld: the seeker has not consented to share needs)";
  }
  return s.blocker_detail;
}

void ToProto(const matcher::PlacementRule& r, v1::PlacementRuleRef* out) {
  out->set_rule_id(r.id);
  out->set_rule_version(r.version);
  out->set_table_version(r.table_version);
  out->set_kind(matcher::VacancyKindName(r.kind));
  for (const auto& group : r.target_groups) out->add_target_groups(group);
  if (r.target_groups.empty()) out->add_target_groups("*");
  out->set_max_weeks(r.max_weeks);
  out->set_valid_from(matcher::PlacementDate(r.valid_from));
  if (r.valid_until != absl::InfiniteFuture()) {
    out->set_valid_to(matcher::PlacementDate(r.valid_until - absl::Hours(24)));
  }
  out->set_source(r.source);
}

v1::Explanation ToExplanation(const matcher::Score& s, const matcher::Taxonomy& taxonomy,
                              bool show_needs, bool brief) {
  v1::Explanation e;
  ToExplanation(s, taxonomy, show_needs, brief, &e);
  return e;
}

namespace {

// ToExplanation for a const Score& (texts copied) or a Score&& (texts moved).
template <typename ScoreRef>
void ExplanationOf(ScoreRef&& s, const matcher::Taxonomy& taxonomy, bool show_needs, bool brief,
                   v1::Explanation* explanation) {
  constexpr bool kMove = !std::is_lvalue_reference_v<ScoreRef>;
  v1::Explanation& e = *explanation;
  e.set_verdict(matcher::VerdictName(s.verdict));
  if (s.blocker) {
    e.set_blocker(matcher::ReasonName(*s.blocker));
    e.set_blocker_detail(VisibleBlockerDetail(s, show_needs));
  }
  e.set_total(s.total);
  e.set_seeker_view_total(s.seeker_view_total);
  e.set_requirements_fit(s.requirements_fit);
  e.set_preference_fit(s.preference_fit);
  for (auto& part : s.parts) {
    if (part.reason == matcher::Reason::kNeedsFit && !show_needs) continue;
    auto* p = e.add_parts();
    p->set_reason(matcher::ReasonName(part.reason));
    p->set_value(part.value);
    p->set_weight(part.weight);
    p->set_contribution(part.contribution);
    if constexpr (kMove) {
      p->set_evidence(std::move(part.evidence));
    } else {
      p->set_evidence(part.evidence);
    }
  }
  if (!brief) {
    for (const auto& m : s.matched_skills) {
      auto* out = e.add_matched_skills();
      *out->mutable_skill() = ToSkillRef(m.skill, taxonomy);
      *out->mutable_via() = ToSkillRef(m.via, taxonomy);
      out->set_credit(m.credit);
    }
    for (auto id : s.missing_skills) *e.add_missing_skills() = ToSkillRef(id, taxonomy);
    for (auto id : s.missing_optional_skills) {
      *e.add_missing_optional_skills() = ToSkillRef(id, taxonomy);
    }
  }
  if (s.commute) {
    e.set_commute_minutes(s.commute->minutes);
    e.set_commute_mode(static_cast<v1::TransportMode>(s.commute->mode));
    e.set_commute_source(s.commute->source == matcher::CommuteSource::kMatrix ? "MATRIX"
                                                                              : "MODEL_UNVALIDATED");
  }
  for (const auto& scheme : s.support_schemes) e.add_support_schemes(scheme);
  if (show_needs) {
    for (auto a : s.needs_met) e.add_needs_met(static_cast<v1::Accommodation>(a));
    for (auto a : s.needs_to_check) e.add_needs_to_check(static_cast<v1::Accommodation>(a));
  } else {
    e.set_needs_redacted(MentionsNeeds(s));
    if (e.needs_redacted()) e.clear_support_schemes();
  }
  e.set_fortrinsadgang(s.fortrinsadgang);
  if (s.placement_rule != nullptr) ToProto(*s.placement_rule, e.mutable_placement_rule());
  if (!brief) {
    for (auto id : s.development_skills) *e.add_development_skills() = ToSkillRef(id, taxonomy);
  }
}

}  // namespace

void ToExplanation(const matcher::Score& s, const matcher::Taxonomy& taxonomy, bool show_needs,
                   bool brief, v1::Explanation* explanation) {
  ExplanationOf(s, taxonomy, show_needs, brief, explanation);
}

void ToExplanation(matcher::Score&& s, const matcher::Taxonomy& taxonomy, bool show_needs,
                   bool brief, v1::Explanation* explanation) {
  ExplanationOf(std::move(s), taxonomy, show_needs, brief, explanation);
}

matcher::MatchFilters ToFilters(const v1::MatchFilters& f) {
  matcher::MatchFilters out;
  out.vacancy_kinds = static_cast<uint8_t>(Mask(f.vacancy_kinds()));
  out.municipalities.assign(f.municipalities().begin(), f.municipalities().end());
  out.min_score = f.min_score();
  return out;
}

v1::Policy ToProto(const matcher::Policy& p) {
  // Every field of the one policy table, by name (a test checks that the
  // proto has them all).
  v1::Policy out;
  out.set_version(p.version);
  const google::protobuf::Descriptor* d = out.GetDescriptor();
  const google::protobuf::Reflection* r = out.GetReflection();
  for (const matcher::PolicyField& f : matcher::PolicyFields()) {
    const google::protobuf::FieldDescriptor* field = d->FindFieldByName(f.name);
    if (field == nullptr) continue;
    switch (field->cpp_type()) {
      case google::protobuf::FieldDescriptor::CPPTYPE_DOUBLE: r->SetDouble(&out, field, f.Get(p)); break;
      case google::protobuf::FieldDescriptor::CPPTYPE_INT32:
        r->SetInt32(&out, field, static_cast<int32_t>(f.Get(p)));
        break;
      case google::protobuf::FieldDescriptor::CPPTYPE_BOOL: r->SetBool(&out, field, f.Get(p) != 0); break;
      default: break;
    }
  }
  return out;
}

}  // namespace jobmatch

// Every validation rule of the API, one case each: the error is
// INVALID_ARGUMENT and names the field path and the rule.
#include "server/validation.h"

#include <functional>

#include "gtest/gtest.h"
#include "tests/e2e/api_fixture.h"

namespace jobmatch::testing {
namespace {

template <typename Record>
struct Case {
  const char* expected;  // substring of the message: "<field>: <rule>"
  std::function<void(Record*)> change;
};

template <typename Record>
void ExpectEachRuleNamed(const Record& valid, const std::vector<Case<Record>>& cases,
                         absl::Status (*validate)(const Record&, const matcher::ReferenceData&)) {
  ASSERT_TRUE(validate(valid, RefData()).ok()) << validate(valid, RefData());
  for (const auto& c : cases) {
    Record r = valid;
    c.change(&r);
    const absl::Status s = validate(r, RefData());
    EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument) << c.expected;
    EXPECT_NE(s.message().find(c.expected), std::string::npos)
        << "want '" << c.expected << "', got '" << s.message() << "'";
  }
}

TEST(ValidationTest, SeekerRules) {
  using S = v1::Seeker;
  ExpectEachRuleNamed<S>(ValidSeeker("s"), {
      {"seeker.id: must be 1..64 characters", [](S* s) { s->set_id(""); }},
      {"seeker.id: may contain only", [](S* s) { s->set_id("a b"); }},
      {"seeker.id: must not be or contain a CPR number", [](S* s) { s->set_id("x0101901234"); }},
      {"seeker.home: is required", [](S* s) { s->clear_home(); }},
      {"seeker.home.lat: must be within [54.5, 57.8]", [](S* s) { s->mutable_home()->set_lat(54.0); }},
      {"seeker.home.lon: must be within [8.0, 15.2]", [](S* s) { s->mutable_home()->set_lon(16); }},
      {"seeker.home.postal_code: must be a known geographic", [](S* s) { s->mutable_home()->set_postal_code(900); }},
      {"seeker.home.municipality: must be one of the 98", [](S* s) { s->mutable_home()->set_municipality(999); }},
      {"seeker.transport_modes: at least one mode", [](S* s) { s->clear_transport_modes(); }},
      {"seeker.transport_modes[1]: duplicate value", [](S* s) { s->set_transport_modes(1, v1::CAR); }},
      {"seeker.transport_modes[0]: must be a defined", [](S* s) { s->set_transport_modes(0, v1::TRANSPORT_MODE_UNSPECIFIED); }},
      {"seeker.max_commute_minutes: must be within [1, 240]", [](S* s) { s->set_max_commute_minutes(241); }},
      {"seeker.occupations: must have 1..10 entries", [](S* s) { s->clear_occupations(); }},
      {"seeker.occupations[0].isco_code: must be a known 4-digit", [](S* s) { s->mutable_occupations(0)->set_isco_code("53"); }},
      {"seeker.occupations[0].esco_uri: unknown ESCO occupation", [](S* s) { s->mutable_occupations(0)->set_esco_uri("x"); }},
      {"seeker.occupations[0].esco_uri: ESCO occupation is in ISCO unit group", [](S* s) { s->mutable_occupations(0)->set_isco_code("5322"); }},
      {"seeker.skills[0].esco_uri: unknown ESCO skill", [](S* s) { s->mutable_skills(0)->set_esco_uri("x"); }},
      {"seeker.skills[1].esco_uri: duplicate skill", [](S* s) { s->mutable_skills(1)->set_esco_uri(s->skills(0).esco_uri()); }},
      {"seeker.skills[0].years: must be within [0, 60]", [](S* s) { s->mutable_skills(0)->set_years(-1); }},
      {"seeker.education_level: must be within [0, 8]", [](S* s) { s->set_education_level(9); }},
      {"seeker.languages[0].code: must be an ISO 639-1", [](S* s) { s->mutable_languages(0)->set_code("d"); }},
      {"seeker.languages[0].level: must be set", [](S* s) { s->mutable_languages(0)->set_level(v1::LANGUAGE_LEVEL_UNSPECIFIED); }},
      {"seeker.languages[1].code: duplicate language", [](S* s) { *s->add_languages() = s->languages(0); }},
      {"seeker.licences[1]: duplicate value", [](S* s) { s->add_licences(v1::LICENCE_B); s->add_licences(v1::LICENCE_B); }},
      {"seeker.max_hours_per_week: must satisfy 0 <= min <= max <= 48", [](S* s) { s->set_max_hours_per_week(50); }},
      {"seeker.max_hours_per_day: must be within [0, 12]", [](S* s) { s->set_max_hours_per_day(13); }},
      {"seeker.fleksjob_hours_per_week: must be 0 or within [1, 37]", [](S* s) { s->set_fleksjob_hours_per_week(40); }},
      {"seeker.authorisations[0]: unknown authorisation code", [](S* s) { s->add_authorisations("doctor"); }},
      {"seeker.authorisations[1]: duplicate authorisation", [](S* s) { s->add_authorisations("laege"); s->add_authorisations("laege"); }},
      {"seeker.acceptable_kinds[0]: must be a defined", [](S* s) { s->add_acceptable_kinds(static_cast<v1::VacancyKind>(0)); }},
      {"seeker.needs[0].accommodation: must be set", [](S* s) { s->add_needs()->set_strength(v1::HARD); }},
      {"seeker.needs[0].strength: must be HARD or SOFT", [](S* s) { s->add_needs()->set_accommodation(v1::MENTOR); }},
      {"seeker.needs[1].accommodation: duplicate need", [](S* s) {
         for (int i = 0; i < 2; ++i) { auto* n = s->add_needs(); n->set_accommodation(v1::MENTOR); n->set_strength(v1::SOFT); } }},
      {"seeker.excluded_demands[0].demand: must be set", [](S* s) { s->add_excluded_demands()->set_strength(v1::HARD); }},
      {"seeker.excluded_demands[0].strength: must be HARD or SOFT", [](S* s) { s->add_excluded_demands()->set_demand(v1::DRIVING); }},
      {"seeker.target_group: must be a known target group", [](S* s) { s->set_target_group("x"); }},
  }, &ValidateSeeker);
}

TEST(ValidationTest, VacancyRules) {
  using V = v1::Vacancy;
  ExpectEachRuleNamed<V>(ValidVacancy("v"), {
      {"vacancy.id: must be 1..64 characters", [](V* v) { v->set_id(std::string(65, 'a')); }},
      {"vacancy.employer_id: must be 1..64 characters", [](V* v) { v->clear_employer_id(); }},
      {"vacancy.workplace: is required", [](V* v) { v->clear_workplace(); }},
      {"vacancy.workplace.lat: must be within", [](V* v) { v->mutable_workplace()->set_lat(58); }},
      {"vacancy.remote_share_percent: must be within [0, 100]", [](V* v) { v->set_remote_share_percent(101); }},
      {"vacancy.isco_code: must be a known 4-digit", [](V* v) { v->set_isco_code("0000"); }},
      {"vacancy.esco_occupation_uri: unknown ESCO occupation", [](V* v) { v->set_esco_occupation_uri("x"); }},
      {"vacancy.essential_skills[0]: unknown ESCO skill", [](V* v) { v->add_essential_skills("x"); }},
      {"vacancy.optional_skills[0]: unknown ESCO skill", [](V* v) { v->add_optional_skills("x"); }},
      {"vacancy.essential_skills[1]: duplicate skill", [](V* v) {
         const auto& t = *RefData().taxonomy;
         const std::string uri = t.skill(t.occupation(0).essential.front()).uri;
         v->add_essential_skills(uri); v->add_essential_skills(uri); }},
      {"vacancy.hours_per_week: must be within [1, 48]", [](V* v) { v->set_hours_per_week(0); }},
      {"vacancy.kind: must be set", [](V* v) { v->clear_kind(); }},
      {"vacancy.demands[0].demand: must be set", [](V* v) { v->add_demands(); }},
      {"vacancy.demands[1].demand: duplicate", [](V* v) { v->add_demands()->set_demand(v1::DRIVING); v->add_demands()->set_demand(v1::DRIVING); }},
      {"vacancy.accommodations[0].accommodation: must be set", [](V* v) { v->add_accommodations(); }},
      {"vacancy.accommodations[1].accommodation: duplicate", [](V* v) {
         v->add_accommodations()->set_accommodation(v1::MENTOR); v->add_accommodations()->set_accommodation(v1::MENTOR); }},
      {"vacancy.required_licences[0]: must be a defined", [](V* v) { v->add_required_licences(static_cast<v1::Licence>(99)); }},
      {"vacancy.required_languages[0].code: must be an ISO 639-1", [](V* v) { v->add_required_languages()->set_code("123"); }},
      {"vacancy.min_education_level: must be within [0, 8]", [](V* v) { v->set_min_education_level(-1); }},
      {"vacancy.openings: must be within [1, 1000]", [](V* v) { v->set_openings(1001); }},
      {"vacancy.valid_until_micros: must be > 0", [](V* v) { v->set_valid_until_micros(0); }},
      {"vacancy.starts_micros: must be >= 0", [](V* v) { v->set_starts_micros(-1); }},
  }, &ValidateVacancy);
}

TEST(ValidationTest, EmployerRules) {
  using E = v1::Employer;
  ExpectEachRuleNamed<E>(ValidEmployer("e"), {
      {"employer.id: may contain only", [](E* e) { e->set_id("e/1"); }},
      {"employer.name: must be 1..200 characters", [](E* e) { e->clear_name(); }},
      {"employer.cvr: must be exactly 8 digits", [](E* e) { e->set_cvr("1234567a"); }},
      {"employer.cvr: fails the modulus-11 check", [](E* e) { e->set_cvr("55133019"); }},
      {"employer.industry_db07: must be empty or a 6-digit", [](E* e) { e->set_industry_db07("8121"); }},
      {"employer.social_responsibility_label: only with", [](E* e) { e->set_social_responsibility_label("CSR"); }},
      {"employer.agreements[1]: duplicate", [](E* e) { e->add_agreements(v1::TAKES_INTERNS); e->add_agreements(v1::TAKES_INTERNS); }},
      {"employer.contacts[0].kind: must be", [](E* e) { auto* c = e->add_contacts(); c->set_date_micros(1); c->set_consultant("x"); }},
      {"employer.contacts[0].date_micros: must not be in the future", [](E* e) { auto* c = e->add_contacts(); c->set_kind(v1::VISIT); c->set_date_micros(absl::ToUnixMicros(absl::Now() + absl::Hours(48))); c->set_consultant("x"); }},
      {"employer.contacts[0].consultant: must be 1..100", [](E* e) { auto* c = e->add_contacts(); c->set_kind(v1::CALL); c->set_date_micros(1); }},
      {"employer.municipality: must be one of the 98", [](E* e) { e->set_municipality(0); }},
      {"employer.default_accommodations[0].accommodation: must be set", [](E* e) { e->add_default_accommodations(); }},
  }, &ValidateEmployer);
}

}  // namespace
}  // namespace jobmatch::testing

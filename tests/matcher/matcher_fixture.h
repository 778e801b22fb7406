// Shared test fixture: the shipped reference data (loaded once per binary)
// and builders for realistic profiles.
#ifndef JOBMATCH_TESTS_MATCHER_MATCHER_FIXTURE_H_
#define JOBMATCH_TESTS_MATCHER_MATCHER_FIXTURE_H_

#include <algorithm>
#include <string>
#include <vector>

#include "absl/time/time.h"
#include "gtest/gtest.h"
#include "matcher/reference_data.h"
#include "matcher/scorer.h"

namespace jobmatch::matcher::testing {

inline const ReferenceData& Data() {
  static const ReferenceData* data = [] {
    auto loaded = ReferenceData::Load(ReferenceData::SourceTreeDataDir());
    if (!loaded.ok()) {
      ADD_FAILURE() << loaded.status();
      std::abort();
    }
    return loaded->release();
  }();
  return *data;
}

inline const Scorer& TestScorer() {
  static const Scorer* scorer =
      new Scorer(Data().taxonomy.get(), Data().commute.get(), Data().schemes.get());
  return *scorer;
}

inline absl::Time Now() { return absl::FromCivil(absl::CivilDay(2026, 11, 24), absl::UTCTimeZone()); }

inline Place PlaceOf(int postal_code) {
  const PostalCode* pc = Data().geography->FindPostalCode(postal_code);
  EXPECT_NE(pc, nullptr) << postal_code;
  return MakePlace(pc->lat, pc->lon, pc->code, pc->municipality);
}

inline OccupationId OccupationIn(int isco) {
  const auto& group = Data().taxonomy->OccupationsInUnitGroup(isco);
  EXPECT_FALSE(group.empty()) << isco;
  return group.front();
}

// The ESCO occupation with this English label (e.g. "cook").
inline OccupationId OccupationLabelled(const std::string& label) {
  const Taxonomy& t = *Data().taxonomy;
  for (OccupationId o = 0; o < t.occupation_count(); ++o) {
    if (t.occupation(o).label == label) return o;
  }
  ADD_FAILURE() << "no ESCO occupation labelled " << label;
  return kNoOccupation;
}

inline uint8_t Modes(std::initializer_list<TransportMode> modes) {
  uint8_t mask = 0;
  for (auto m : modes) mask |= 1u << static_cast<int>(m);
  return mask;
}

// A seeker in `postal_code` wanting occupation `isco`, holding all its
// essential skills, commuting by car and public transport up to 60 minutes.
inline SeekerProfile MakeSeeker(const std::string& id, int postal_code, int isco) {
  SeekerProfile s;
  s.id = id;
  s.home = PlaceOf(postal_code);
  s.transport_modes = Modes({TransportMode::kCar, TransportMode::kPublicTransport});
  s.max_commute_minutes = 60;
  const OccupationId occ = OccupationIn(isco);
  s.occupations.push_back({isco, occ});
  s.skills = Data().taxonomy->occupation(occ).essential;
  s.education_level = 3;
  s.languages.push_back({PackLanguageCode("da"), 7});
  s.min_hours_per_week = 25;
  s.max_hours_per_week = 37;
  // Job-ready: eligible for every development placement in
  // data/placements/placement_rules.tsv.
  s.target_group = "jobparat";
  PrepareSeeker(*Data().taxonomy, &s);
  return s;
}

// For each of `skills`, a skill the seeker could hold instead that is close
// to it (a sibling: another skill under one of its broader concepts), none
// of them in `skills`; sorted, unique. Scoring gives each of `skills`
// sibling credit against these.
inline std::vector<SkillId> SiblingSkills(const std::vector<SkillId>& skills) {
  const Taxonomy& t = *Data().taxonomy;
  std::vector<SkillId> out;
  for (SkillId skill : skills) {
    bool found = false;
    for (const SkillId* b = t.BroaderBegin(skill); b != t.BroaderEnd(skill) && !found; ++b) {
      for (const SkillId* n = t.NarrowerBegin(*b); n != t.NarrowerEnd(*b) && !found; ++n) {
        if (*n == skill || t.skill(*n).is_group ||
            std::binary_search(skills.begin(), skills.end(), *n)) {
          continue;
        }
        out.push_back(*n);
        found = true;
      }
    }
  }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

// An open ordinary 37-hour vacancy in `postal_code` for occupation `isco`
// with the occupation's expected skill profile.
inline VacancyProfile MakeVacancy(const std::string& id, int postal_code, int isco) {
  VacancyProfile v;
  v.id = id;
  v.employer_id = "employer-1";
  v.workplace = PlaceOf(postal_code);
  v.isco = isco;
  v.esco = OccupationIn(isco);
  v.hours_per_week = 37;
  v.valid_until = Now() + absl::Hours(24 * 30);
  PrepareVacancy(*Data().taxonomy, &v);
  return v;
}

inline Score Evaluate(const SeekerProfile& s, const VacancyProfile& v,
                      const Policy& policy = Policy()) {
  return TestScorer().Evaluate(s, v, policy, Now(), Scorer::Detail::kExplain);
}

}  // namespace jobmatch::matcher::testing

#endif  // JOBMATCH_TESTS_MATCHER_MATCHER_FIXTURE_H_

// Random but realistic-enough seekers and vacancies for the matcher's
// property tests (brute force against the index, the score bound).
#ifndef JOBMATCH_TESTS_MATCHER_RANDOM_WORLD_H_
#define JOBMATCH_TESTS_MATCHER_RANDOM_WORLD_H_

#include <algorithm>
#include <random>
#include <string>
#include <vector>

#include "tests/matcher/matcher_fixture.h"

namespace jobmatch::matcher::testing {

inline const int kGroups[] = {9112, 9111, 9121, 5322, 5321, 8322, 9412, 9333, 5223};
inline const int kPostalCodes[] = {8000, 8200, 8210, 8260, 8600, 8660, 7100, 6000, 5000,
                                   5800, 1550, 2300, 2630, 4000, 9000, 7400, 6400, 8305};

// Random but realistic-enough profiles for the property test.
struct RandomWorld {
  std::vector<SeekerProfile> seekers;
  std::vector<VacancyProfile> vacancies;

  RandomWorld(int n_seekers, int n_vacancies, uint32_t seed) {
    std::mt19937 rng(seed);
    auto pick = [&](auto& array) { return array[rng() % std::size(array)]; };
    for (int i = 0; i < n_seekers; ++i) {
      SeekerProfile s = MakeSeeker("s" + std::to_string(i), pick(kPostalCodes), pick(kGroups));
      if (rng() % 3 == 0) s.occupations.push_back({pick(kGroups), kNoOccupation});
      std::shuffle(s.skills.begin(), s.skills.end(), rng);
      s.skills.resize(s.skills.size() * (50 + rng() % 50) / 100);
      s.max_commute_minutes = 20 + rng() % 70;
      s.transport_modes = 1u << (1 + rng() % 4);
      if (rng() % 5 == 0) s.needs.push_back({static_cast<Accommodation>(1 + rng() % 14), true});
      if (rng() % 10 == 0) s.fleksjob_hours_per_week = 10 + rng() % 15;
      // Target groups decide development placements' eligibility and
      // longest duration (data/placements/placement_rules.tsv).
      static const char* const kTargetGroups[] = {"jobparat", "aktivitetsparat", "sygedagpenge",
                                                  "selvforsoerger", ""};
      s.target_group = pick(kTargetGroups);
      PrepareSeeker(*Data().taxonomy, &s);
      seekers.push_back(std::move(s));
    }
    for (int i = 0; i < n_vacancies; ++i) {
      VacancyProfile v = MakeVacancy("v" + std::to_string(i), pick(kPostalCodes), pick(kGroups));
      v.kind = static_cast<VacancyKind>(1 + rng() % 7);
      if (IsDevelopmentPlacement(v.kind)) v.duration_weeks = static_cast<int>(rng() % 60);
      v.public_employer = rng() % 3 == 0;
      v.hours_per_week = 15 + rng() % 25;
      v.remote_share_percent = rng() % 20 == 0 ? 100 : 0;
      for (int a = 1; a < kAccommodationCount; ++a) {
        v.accommodations[a] = static_cast<AccommodationStatus>(rng() % 5);
      }
      if (rng() % 15 == 0) v.open = false;
      if (rng() % 4 == 0) {
        // A substitute of a wanted occupation, usually in another ISCO group.
        const auto& subs = Data().taxonomy->Substitutes(OccupationIn(pick(kGroups)));
        if (!subs.empty()) {
          v.esco = subs[rng() % subs.size()].occupation;
          v.isco = Data().taxonomy->occupation(v.esco).isco;
          v.essential_skills.clear();
          v.optional_skills.clear();
          PrepareVacancy(*Data().taxonomy, &v);
        }
      }
      vacancies.push_back(std::move(v));
    }
  }
};

}  // namespace jobmatch::matcher::testing

#endif  // JOBMATCH_TESTS_MATCHER_RANDOM_WORLD_H_

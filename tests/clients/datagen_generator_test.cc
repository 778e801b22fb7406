// The synthetic data generator: deterministic, sized by the scale, valid
// against the API's rules and the shipped taxonomy, and distributed as
// docs/data-generator.md states.
#include "clients/datagen/generator.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <set>

#include "clients/datagen/labour_market.h"
#include "gtest/gtest.h"
#include "tests/clients/reference_data.h"
#include "server/validation.h"

namespace jobmatch::datagen {
namespace {

using testing::Data;

const MunicipalPopulation& Population() {
  static const MunicipalPopulation* table = new MunicipalPopulation(*LoadMunicipalPopulation(
      MunicipalPopulationPath(matcher::ReferenceData::SourceTreeDataDir())));
  return *table;
}

GeneratorOptions Options(uint64_t seed, size_t seekers, size_t vacancies) {
  GeneratorOptions options;
  options.seed = seed;
  options.seekers = seekers;
  options.vacancies = vacancies;
  return options;
}

GeneratedData Make(uint64_t seed, size_t seekers, size_t vacancies) {
  auto data = Generate(Options(seed, seekers, vacancies), *Data().taxonomy, *Data().geography,
                       Population());
  EXPECT_TRUE(data.ok()) << data.status();
  return std::move(*data);
}

std::string AllBytes(const GeneratedData& d) {
  std::string bytes;
  for (const auto& m : d.employers) bytes += m.SerializeAsString();
  for (const auto& m : d.seekers) bytes += m.SerializeAsString();
  for (const auto& m : d.vacancies) bytes += m.SerializeAsString();
  return bytes;
}

TEST(DatagenGeneratorTest, SameSeedSameBytesOtherSeedOtherBytes) {
  const std::string a = AllBytes(Make(1, 500, 200));
  EXPECT_EQ(a, AllBytes(Make(1, 500, 200)));
  EXPECT_NE(a, AllBytes(Make(2, 500, 200)));
}

TEST(DatagenGeneratorTest, StreamingRepeatsAndEqualsInMemory) {
  auto g = Generator::Create(Options(3, 300, 100), *Data().taxonomy, *Data().geography, Population());
  ASSERT_TRUE(g.ok()) << g.status();
  std::string first, second;
  (*g)->Seekers([&](const v1::Seeker& s) { first += s.SerializeAsString(); });
  (*g)->Seekers([&](const v1::Seeker& s) { second += s.SerializeAsString(); });
  EXPECT_EQ(first, second);
  std::string in_memory;
  for (const auto& s : Make(3, 300, 100).seekers) in_memory += s.SerializeAsString();
  EXPECT_EQ(first, in_memory);
}

TEST(DatagenGeneratorTest, SeekersDoNotDependOnTheVacancyCount) {
  const GeneratedData a = Make(4, 200, 100);
  const GeneratedData b = Make(4, 200, 900);
  ASSERT_EQ(a.seekers.size(), b.seekers.size());
  for (size_t i = 0; i < a.seekers.size(); ++i) {
    ASSERT_EQ(a.seekers[i].SerializeAsString(), b.seekers[i].SerializeAsString()) << i;
  }
}

TEST(DatagenGeneratorTest, NamedScalesSetTheCounts) {
  GeneratorOptions options;
  ASSERT_TRUE(ApplyScale("municipality", &options).ok());
  EXPECT_EQ(options.seekers, 7000u);
  EXPECT_EQ(options.vacancies, 2000u);
  ASSERT_TRUE(ApplyScale("region", &options).ok());
  EXPECT_EQ(options.seekers, 50000u);
  ASSERT_TRUE(ApplyScale("national", &options).ok());
  EXPECT_EQ(options.seekers, 250000u);
  EXPECT_EQ(options.vacancies, 60000u);
  ASSERT_TRUE(ApplyScale("0.01", &options).ok());
  EXPECT_EQ(options.seekers, 2500u);
  EXPECT_EQ(options.vacancies, 600u);
  EXPECT_EQ(ApplyScale("huge", &options).code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(ApplyScale("0", &options).code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(ApplyScale("5", &options).code(), absl::StatusCode::kInvalidArgument);
}

TEST(DatagenGeneratorTest, CountsMatchTheOptions) {
  GeneratorOptions options;
  ASSERT_TRUE(ApplyScale("0.002", &options).ok());  // 500 seekers, 120 vacancies
  auto d = Generate(options, *Data().taxonomy, *Data().geography, Population());
  ASSERT_TRUE(d.ok());
  EXPECT_EQ(d->seekers.size(), 500u);
  EXPECT_EQ(d->vacancies.size(), 120u);
  // One employer per municipality and region, one private per six vacancies.
  EXPECT_EQ(d->employers.size(), 98u + 5u + 20u);
}

TEST(DatagenGeneratorTest, EveryRecordPassesTheApiValidation) {
  const GeneratedData d = Make(5, 3000, 1500);
  int bad = 0;
  for (const auto& e : d.employers) {
    const auto s = ValidateEmployer(e, Data());
    if (!s.ok() && bad++ < 5) ADD_FAILURE() << e.id() << ": " << s;
  }
  for (const auto& m : d.seekers) {
    const auto s = ValidateSeeker(m, Data());
    if (!s.ok() && bad++ < 5) ADD_FAILURE() << m.id() << ": " << s;
  }
  for (const auto& m : d.vacancies) {
    const auto s = ValidateVacancy(m, Data());
    if (!s.ok() && bad++ < 5) ADD_FAILURE() << m.id() << ": " << s;
  }
  EXPECT_EQ(bad, 0);
}

TEST(DatagenGeneratorTest, RecordsReferenceOnlyKnownCodesAndEmployers) {
  const GeneratedData d = Make(6, 2000, 1000);
  const matcher::Taxonomy& t = *Data().taxonomy;
  const matcher::Geography& g = *Data().geography;
  std::set<std::string> employer_ids;
  for (const auto& e : d.employers) EXPECT_TRUE(employer_ids.insert(e.id()).second) << e.id();
  std::set<std::string> seeker_ids;
  for (const auto& s : d.seekers) {
    ASSERT_TRUE(seeker_ids.insert(s.id()).second) << s.id();
    const matcher::PostalCode* pc = g.FindPostalCode(s.home().postal_code());
    ASSERT_NE(pc, nullptr);
    EXPECT_TRUE(pc->geographic);
    EXPECT_EQ(pc->municipality, s.home().municipality()) << s.id();
    for (const auto& o : s.occupations()) {
      EXPECT_TRUE(t.IsIscoUnitGroup(std::stoi(o.isco_code()))) << o.isco_code();
      if (!o.esco_uri().empty()) {
        const auto id = t.FindOccupation(o.esco_uri());
        ASSERT_NE(id, matcher::kNoOccupation) << o.esco_uri();
        EXPECT_EQ(t.occupation(id).isco, std::stoi(o.isco_code()));
      }
    }
    for (const auto& k : s.skills()) EXPECT_NE(t.FindSkill(k.esco_uri()), matcher::kNoSkill);
  }
  for (const auto& v : d.vacancies) {
    EXPECT_TRUE(employer_ids.count(v.employer_id())) << v.id() << " names " << v.employer_id();
    EXPECT_NE(t.FindOccupation(v.esco_occupation_uri()), matcher::kNoOccupation);
    for (const auto& k : v.essential_skills()) EXPECT_NE(t.FindSkill(k), matcher::kNoSkill);
    for (const auto& k : v.optional_skills()) EXPECT_NE(t.FindSkill(k), matcher::kNoSkill);
    const matcher::PostalCode* pc = g.FindPostalCode(v.workplace().postal_code());
    ASSERT_NE(pc, nullptr);
    EXPECT_EQ(pc->municipality, v.workplace().municipality());
  }
}

TEST(DatagenGeneratorTest, HomesAreNearTheirPostalCode) {
  const GeneratedData d = Make(7, 2000, 10);
  for (const auto& s : d.seekers) {
    const matcher::PostalCode* pc = Data().geography->FindPostalCode(s.home().postal_code());
    ASSERT_NE(pc, nullptr);
    double px, py, hx, hy;
    matcher::ProjectUtm32(pc->lat, pc->lon, &px, &py);
    matcher::ProjectUtm32(s.home().lat(), s.home().lon(), &hx, &hy);
    EXPECT_LE(std::hypot(px - hx, py - hy), 1520.0) << s.id();  // jitter radius 1,500 m
  }
}

TEST(DatagenGeneratorTest, SeekersHoldMostButNotAllOfTheirOccupationsEssentialSkills) {
  const GeneratedData d = Make(8, 3000, 10);
  const matcher::Taxonomy& t = *Data().taxonomy;
  double share_sum = 0;
  int counted = 0, all_held = 0;
  for (const auto& s : d.seekers) {
    if (s.occupations(0).esco_uri().empty()) continue;
    const auto& essential = t.occupation(t.FindOccupation(s.occupations(0).esco_uri())).essential;
    if (essential.size() < 10) continue;
    std::set<matcher::SkillId> held;
    for (const auto& k : s.skills()) held.insert(t.FindSkill(k.esco_uri()));
    int n = 0;
    for (auto k : essential) n += held.count(k);
    share_sum += n / double(essential.size());
    all_held += n == static_cast<int>(essential.size());
    ++counted;
  }
  ASSERT_GT(counted, 500);
  // Kept with a per-person probability in [0.60, 0.95], 10% swapped for a
  // sibling: about 0.775 * 0.9 = 0.70 on average.
  EXPECT_NEAR(share_sum / counted, 0.70, 0.04);
  EXPECT_LT(all_held, counted / 20);
}

// 20,000 seekers and 5,000 vacancies: the shares are within a few standard errors.
TEST(DatagenGeneratorTest, SharesMatchTheDocumentedFigures) {
  const size_t n_seekers = 20000, n_vacancies = 5000;
  const GeneratedData d = Make(9, n_seekers, n_vacancies);
  const matcher::Geography& g = *Data().geography;

  long population = 0, capital_population = 0;
  for (const auto& e : Population().entries) {
    population += e.population;
    if (g.FindMunicipality(e.municipality)->region == "Region Hovedstaden") {
      capital_population += e.population;
    }
  }
  int needs = 0, no_car = 0, fleksjob = 0, capital = 0, copenhagen = 0, jobparat = 0;
  for (const auto& s : d.seekers) {
    needs += s.needs_size() > 0;
    no_car += std::find(s.transport_modes().begin(), s.transport_modes().end(), v1::CAR) ==
              s.transport_modes().end();
    fleksjob += s.fleksjob_hours_per_week() > 0;
    capital += g.FindMunicipality(s.home().municipality())->region == "Region Hovedstaden";
    copenhagen += s.home().municipality() == 101;
    jobparat += s.target_group() == "jobparat";
  }
  const double ns = n_seekers;
  EXPECT_NEAR(capital / ns, capital_population / double(population), 0.015);
  EXPECT_NEAR(copenhagen / ns, 660000.0 / population, 0.01);
  EXPECT_NEAR(needs / ns, 0.22, 0.02);
  EXPECT_NEAR(no_car / ns, 0.35, 0.015);
  EXPECT_NEAR(fleksjob / ns, 0.06, 0.007);
  EXPECT_NEAR(jobparat / ns, 0.42, 0.015);
  // Unemployment spells: one in ten unknown; a year or more is common among
  // the activity-ready and rare among the job-ready.
  int unknown = 0, long_job_ready = 0, long_activity_ready = 0, activity_ready = 0;
  for (const auto& s : d.seekers) {
    if (s.unemployed_since_micros() == 0) {
      ++unknown;
      continue;
    }
    const bool year = s.unemployed_since_micros() < absl::ToUnixMicros(
                                                        absl::FromCivil(absl::CivilDay(2025, 11, 24),
                                                                        absl::UTCTimeZone()));
    long_job_ready += year && s.target_group() == "jobparat";
    long_activity_ready += year && s.target_group() == "aktivitetsparat";
    activity_ready += s.target_group() == "aktivitetsparat";
  }
  EXPECT_NEAR(unknown / ns, 0.10, 0.015);
  EXPECT_LT(long_job_ready / double(jobparat), 0.10);
  EXPECT_GT(long_activity_ready / double(activity_ready), 0.55);

  std::set<std::string> public_ids;
  for (const auto& e : d.employers) {
    if (e.public_sector()) public_ids.insert(e.id());
  }
  int ordinary = 0, fleksjob_jobs = 0, in_copenhagen = 0, public_jobs = 0, big_markets = 0;
  const std::set<int> kBig = {101, 147, 751, 461, 851, 621, 630, 607, 410, 530, 575};
  long big_population = 0;
  for (const auto& e : Population().entries) {
    if (kBig.count(e.municipality)) big_population += e.population;
  }
  for (const auto& v : d.vacancies) {
    ordinary += v.kind() == v1::ORDINARY;
    fleksjob_jobs += v.kind() == v1::FLEKSJOB;
    in_copenhagen += v.workplace().municipality() == 101;
    big_markets += kBig.count(v.workplace().municipality()) > 0;
    public_jobs += public_ids.count(v.employer_id()) > 0;
  }
  const double nv = n_vacancies;
  EXPECT_NEAR(ordinary / nv, 0.85, 0.02);
  EXPECT_NEAR(fleksjob_jobs / nv, 0.03, 0.01);
  EXPECT_NEAR(public_jobs / nv, 0.32, 0.03);
  // Jobs concentrate in the big labour markets beyond their population share...
  EXPECT_GT(big_markets / nv, big_population / double(population) + 0.05);
  EXPECT_GT(in_copenhagen / nv, 1.3 * 660000.0 / population);
  // ...but exist everywhere: most municipalities have some at this size.
  std::set<int> with_jobs;
  for (const auto& v : d.vacancies) with_jobs.insert(v.workplace().municipality());
  EXPECT_GE(with_jobs.size(), 90u);
}

TEST(DatagenGeneratorTest, OccupationsFollowTheStatedMajorGroupMix) {
  OccupationMix mix(*Data().taxonomy, kSeekerMajorGroups);
  std::array<double, 10> by_major{};
  double total = 0;
  for (int isco = 1000; isco <= 9999; ++isco) {
    by_major[isco / 1000] += mix.Probability(isco);
    total += mix.Probability(isco);
  }
  EXPECT_NEAR(total, 1.0, 1e-9);
  for (int m = 0; m < 10; ++m) EXPECT_NEAR(by_major[m], kSeekerMajorGroups[m], 1e-9) << m;
  // The common job-centre unit groups dominate: cleaners and shop sales
  // assistants outweigh any single professional group.
  EXPECT_GT(mix.Probability(9112), 0.02);
  EXPECT_GT(mix.Probability(5223), 0.02);
  EXPECT_GT(mix.Probability(9112), 5 * mix.Probability(2111));

  const GeneratedData d = Make(10, 5000, 10);
  int cleaners = 0;
  for (const auto& s : d.seekers) cleaners += s.occupations(0).isco_code() == "9112";
  EXPECT_NEAR(cleaners / 5000.0, mix.Probability(9112), 0.01);
}

TEST(DatagenGeneratorTest, NeedsComeWithTheDemandsTheyImply) {
  const GeneratedData d = Make(11, 5000, 10);
  int lifting = 0;
  for (const auto& s : d.seekers) {
    for (const auto& n : s.needs()) {
      if (n.accommodation() != v1::LIFTING_AIDS) continue;
      ++lifting;
      bool excluded = false;
      for (const auto& e : s.excluded_demands()) excluded |= e.demand() == v1::HEAVY_LIFTING;
      EXPECT_TRUE(excluded) << s.id();
    }
    if (s.fleksjob_hours_per_week() > 0) {
      EXPECT_EQ(s.target_group(), "fleksjob_visiteret");
      EXPECT_LE(s.max_hours_per_week(), s.fleksjob_hours_per_week());
    }
  }
  EXPECT_GT(lifting, 20);
}

}  // namespace
}  // namespace jobmatch::datagen

namespace jobmatch::datagen {
namespace {

TEST(DatagenGeneratorTest, EmployersAreRealisticPartners) {
  const GeneratedData d = Make(8, 2000, 3000);
  std::set<std::string> cvrs;
  int private_firms = 0, five_plus = 0, labelled = 0, never_contacted_small = 0, small = 0;
  int public_big = 0, public_count = 0, with_visit = 0;
  for (const auto& e : d.employers) {
    EXPECT_TRUE(cvrs.insert(e.cvr()).second) << "duplicate CVR " << e.cvr();
    EXPECT_EQ(e.industry_db07().size(), 6u) << e.id();
    labelled += e.social_responsibility();
    for (const auto& c : e.contacts()) {
      if (c.kind() == v1::VISIT) {
        ++with_visit;
        break;
      }
    }
    if (e.public_sector()) {
      ++public_count;
      public_big += e.size_band() == v1::EMPLOYEES_250_PLUS;
      continue;
    }
    ++private_firms;
    five_plus += e.size_band() >= v1::EMPLOYEES_5_9;
    if (e.size_band() == v1::EMPLOYEES_1_4) {
      ++small;
      never_contacted_small += e.contacts_size() == 0;
    }
  }
  EXPECT_EQ(public_big, public_count);
  EXPECT_NEAR(five_plus / double(private_firms), 0.70, 0.06);
  EXPECT_NEAR(never_contacted_small / double(small), 0.5, 0.1);
  EXPECT_GT(labelled, 0);
  EXPECT_GT(with_visit, 0);
  EXPECT_LT(with_visit, static_cast<int>(d.employers.size()));
}

}  // namespace
}  // namespace jobmatch::datagen

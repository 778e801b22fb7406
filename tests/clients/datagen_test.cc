// The synthetic data generator: deterministic, valid, and distributed as
// documented (docs/data-generator.md).
#include "clients/datagen/generator.h"

#include "gtest/gtest.h"
#include "server/validation.h"

namespace jobmatch::datagen {
namespace {

const matcher::ReferenceData& Data() {
  static const matcher::ReferenceData* data =
      matcher::ReferenceData::Load(matcher::ReferenceData::SourceTreeDataDir())->release();
  return *data;
}

std::unique_ptr<Generator> Make(uint64_t seed, size_t seekers, size_t vacancies) {
  GeneratorOptions options;
  options.seed = seed;
  options.seekers = seekers;
  options.vacancies = vacancies;
  auto g = Generator::Create(&Data(), matcher::ReferenceData::SourceTreeDataDir(), options);
  EXPECT_TRUE(g.ok()) << g.status();
  return std::move(*g);
}

std::string AllBytes(Generator& g) {
  std::string bytes;
  g.Employers([&](const auto& m) { bytes += m.SerializeAsString(); });
  g.Seekers([&](const auto& m) { bytes += m.SerializeAsString(); });
  g.Vacancies([&](const auto& m) { bytes += m.SerializeAsString(); });
  return bytes;
}

TEST(DatagenTest, SameSeedSameBytesOtherSeedOtherBytes) {
  const std::string a = AllBytes(*Make(1, 500, 200));
  const std::string b = AllBytes(*Make(1, 500, 200));
  const std::string c = AllBytes(*Make(2, 500, 200));
  EXPECT_EQ(a, b);
  EXPECT_NE(a, c);
}

TEST(DatagenTest, CountsFollowTheScale) {
  GeneratorOptions options;
  ASSERT_TRUE(ApplyScale("national", &options).ok());
  EXPECT_EQ(options.seekers, 250000u);
  EXPECT_EQ(options.vacancies, 60000u);
  ASSERT_TRUE(ApplyScale("0.1", &options).ok());
  EXPECT_EQ(options.seekers, 25000u);
  EXPECT_FALSE(ApplyScale("huge", &options).ok());
  auto g = Make(3, 321, 123);
  size_t seekers = 0, vacancies = 0;
  g->Seekers([&](const auto&) { ++seekers; });
  g->Vacancies([&](const auto&) { ++vacancies; });
  EXPECT_EQ(seekers, 321u);
  EXPECT_EQ(vacancies, 123u);
}

TEST(DatagenTest, EveryRecordPassesValidation) {
  auto g = Make(4, 3000, 1000);
  int bad = 0;
  g->Employers([&](const auto& e) {
    auto s = ValidateEmployer(e, Data());
    if (!s.ok() && bad++ < 5) ADD_FAILURE() << e.id() << ": " << s;
  });
  g->Seekers([&](const auto& m) {
    auto s = ValidateSeeker(m, Data());
    if (!s.ok() && bad++ < 5) ADD_FAILURE() << m.id() << ": " << s;
  });
  g->Vacancies([&](const auto& m) {
    auto s = ValidateVacancy(m, Data());
    if (!s.ok() && bad++ < 5) ADD_FAILURE() << m.id() << ": " << s;
  });
  EXPECT_EQ(bad, 0);
}

TEST(DatagenTest, DistributionsMatchTheDocumentedShares) {
  auto g = Make(5, 20000, 5000);
  int with_needs = 0, no_car = 0, fleksjob = 0, capital_region = 0, aarhus_jobs = 0, ordinary = 0;
  int n_vac = 0;
  g->Seekers([&](const v1::Seeker& s) {
    with_needs += s.needs_size() > 0;
    no_car += std::find(s.transport_modes().begin(), s.transport_modes().end(), v1::CAR) ==
              s.transport_modes().end();
    fleksjob += s.fleksjob_hours_per_week() > 0;
    const auto* m = Data().geography->FindMunicipality(s.home().municipality());
    capital_region += m != nullptr && m->region == "Region Hovedstaden";
  });
  g->Vacancies([&](const v1::Vacancy& v) {
    ++n_vac;
    aarhus_jobs += v.workplace().municipality() == 751;
    ordinary += v.kind() == v1::ORDINARY;
  });
  EXPECT_NEAR(with_needs / 20000.0, 0.22, 0.02);
  EXPECT_NEAR(no_car / 20000.0, 0.35, 0.02);
  EXPECT_NEAR(fleksjob / 20000.0, 0.06, 0.01);
  // Region Hovedstaden holds about 32% of the population in the table.
  EXPECT_NEAR(capital_region / 20000.0, 0.32, 0.03);
  // Aarhus: ~6.2% of the population, weighted 1.5 for job density.
  EXPECT_GT(aarhus_jobs / double(n_vac), 0.07);
  EXPECT_NEAR(ordinary / double(n_vac), 0.85, 0.02);
}

}  // namespace
}  // namespace jobmatch::datagen

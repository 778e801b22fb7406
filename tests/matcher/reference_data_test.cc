// Loading the shipped reference data and the geography/commute models on
// known places.
#include <cmath>
#include <filesystem>
#include <fstream>

#include "gtest/gtest.h"
#include "tests/matcher/matcher_fixture.h"

namespace jobmatch::matcher {
namespace {

using testing::Data;
using testing::PlaceOf;

TEST(ReferenceDataTest, LoadsFullEscoAndDanishGeography) {
  EXPECT_EQ(Data().taxonomy->occupation_count(), 3007u);
  EXPECT_GT(Data().taxonomy->skill_count(), 13000u);
  EXPECT_TRUE(Data().taxonomy->IsIscoUnitGroup(5322));
  EXPECT_FALSE(Data().taxonomy->IsIscoUnitGroup(5399));
  const OccupationId cleaner = Data().taxonomy->FindOccupation(
      "http://data.europa.eu/esco/occupation/303a1e34-cb16-4054-b323-81e5eec17397");
  ASSERT_NE(cleaner, kNoOccupation);
  EXPECT_EQ(Data().taxonomy->occupation(cleaner).isco, 9112);
  EXPECT_FALSE(Data().taxonomy->occupation(cleaner).essential.empty());
  EXPECT_EQ(Data().geography->municipalities().size(), 98u);
  EXPECT_EQ(Data().geography->FindPostalCode(8000)->municipality, 751);
  EXPECT_TRUE(Data().schemes->IsTargetGroup("jobparat"));
}

TEST(ReferenceDataTest, Jobcentre31FixtureLoadsWithTheSameIdsForUris) {
  auto small = Taxonomy::Load(ReferenceData::SourceTreeDataDir() + "/fixtures/jobcentre31");
  ASSERT_TRUE(small.ok()) << small.status();
  EXPECT_EQ((*small)->occupation_count(), 31u);
  const Taxonomy& full = *Data().taxonomy;
  size_t relations = 0;
  for (OccupationId o = 0; o < (*small)->occupation_count(); ++o) {
    const Occupation& occ = (*small)->occupation(o);
    const OccupationId f = full.FindOccupation(occ.uri);
    ASSERT_NE(f, kNoOccupation) << occ.uri;
    EXPECT_EQ(occ.isco, full.occupation(f).isco);
    // The same expected skill profile, by URI.
    ASSERT_EQ(occ.essential.size(), full.occupation(f).essential.size()) << occ.label;
    for (size_t i = 0; i < occ.essential.size(); ++i) {
      EXPECT_NE(full.FindSkill((*small)->skill(occ.essential[i]).uri), kNoSkill);
    }
    relations += occ.essential.size() + occ.optional.size();
  }
  EXPECT_EQ(relations, 1505u);
}

TEST(ReferenceDataTest, MissingFileFailsNamingIt) {
  auto result = ReferenceData::Load("/nonexistent/data");
  ASSERT_FALSE(result.ok());
  EXPECT_NE(result.status().message().find("/nonexistent/data/esco/isco_groups.tsv.gz"),
            std::string::npos)
      << result.status();
}

TEST(ReferenceDataTest, MalformedLineFailsNamingFileAndLine) {
  const std::string dir = ::testing::TempDir() + "/bad_geo";
  std::filesystem::create_directories(dir + "/geo");
  std::ofstream(dir + "/geo/postal_codes.tsv") << "# header\n8000\tAarhus C\t751\tnot-a-number\t10.2\t1\n";
  std::ofstream(dir + "/geo/municipalities.tsv") << "751\tAarhus\tMidt\t56.1\t10.2\n";
  auto result = Geography::Load(dir);
  ASSERT_FALSE(result.ok());
  EXPECT_NE(result.status().message().find("postal_codes.tsv:2:"), std::string::npos)
      << result.status();
}

TEST(GeographyTest, ProjectedDistanceMatchesGreatCircle) {
  // Copenhagen (1550) to Aarhus (8000): UTM32 hypot vs haversine within 0.5%.
  const auto* a = Data().geography->FindPostalCode(1550);
  const auto* b = Data().geography->FindPostalCode(8000);
  const Place pa = PlaceOf(1550), pb = PlaceOf(8000);
  const double projected = std::hypot(double(pa.x) - pb.x, double(pa.y) - pb.y);
  const double r = 6371000, d2r = M_PI / 180;
  const double dlat = (b->lat - a->lat) * d2r, dlon = (b->lon - a->lon) * d2r;
  const double h = std::sin(dlat / 2) * std::sin(dlat / 2) +
                   std::cos(a->lat * d2r) * std::cos(b->lat * d2r) * std::sin(dlon / 2) *
                       std::sin(dlon / 2);
  const double great_circle = 2 * r * std::asin(std::sqrt(h));
  EXPECT_NEAR(projected / great_circle, 1.0, 0.005);
  EXPECT_GT(great_circle, 150000);
  EXPECT_LT(great_circle, 165000);
}

TEST(CommuteModelTest, AarhusToCopenhagenByCarCrossesWaterInTwoToFourHours) {
  auto e = Data().commute->Estimate(PlaceOf(8000), PlaceOf(1550), TransportMode::kCar);
  ASSERT_TRUE(e.has_value());
  EXPECT_TRUE(e->crosses_water);
  EXPECT_GE(e->minutes, 120);
  EXPECT_LE(e->minutes, 240);
}

TEST(CommuteModelTest, BornholmIsNoDailyCommuteAndWalkingCannotCrossStorebaelt) {
  auto car = Data().commute->Estimate(PlaceOf(3700), PlaceOf(1550), TransportMode::kCar);
  ASSERT_TRUE(car.has_value());
  EXPECT_GT(car->minutes, 150);
  // Nyborg (5800) to Korsør (4220): the bridge is for cars and trains only.
  EXPECT_FALSE(Data().commute->Estimate(PlaceOf(5800), PlaceOf(4220), TransportMode::kWalk));
  EXPECT_TRUE(Data().commute->Estimate(PlaceOf(5800), PlaceOf(4220), TransportMode::kCar));
}

TEST(CommuteModelTest, MonotoneInDistanceAndWalkSlowerThanBikeSlowerThanCar) {
  double previous[kTransportModeCount] = {};
  for (double km = 1; km <= 80; km += 1) {
    for (int m = 1; m < kTransportModeCount; ++m) {
      const double minutes = ModelCommute::LandMinutes(km * 1000, static_cast<TransportMode>(m));
      EXPECT_GE(minutes, previous[m]) << "mode " << m << " at " << km << " km";
      previous[m] = minutes;
    }
    if (km > 5) {
      EXPECT_GE(ModelCommute::LandMinutes(km * 1000, TransportMode::kWalk),
                ModelCommute::LandMinutes(km * 1000, TransportMode::kBicycle));
      EXPECT_GE(ModelCommute::LandMinutes(km * 1000, TransportMode::kBicycle),
                ModelCommute::LandMinutes(km * 1000, TransportMode::kCar));
    }
  }
}

TEST(CommuteModelTest, ReachBoundCoversEveryEstimateWithinTheLimit) {
  // Property behind the index's pruning: if a trip fits in M minutes, its
  // straight-line distance is within MaxReachMetres(M).
  const int codes[] = {1550, 2300, 2630, 3700, 4000, 4220, 5000, 5800, 5960, 6000,
                       6720, 7100, 8000, 8305, 9000, 9940, 4800, 6400, 7400, 8592};
  for (int a : codes) {
    for (int b : codes) {
      const Place pa = PlaceOf(a), pb = PlaceOf(b);
      const double d = std::hypot(double(pa.x) - pb.x, double(pa.y) - pb.y);
      for (int m = 1; m < kTransportModeCount; ++m) {
        auto e = Data().commute->Estimate(pa, pb, static_cast<TransportMode>(m));
        if (!e) continue;
        const int minutes = static_cast<int>(std::ceil(e->minutes));
        EXPECT_LE(d, Data().commute->MaxReachMetres(1u << m, minutes))
            << a << "->" << b << " mode " << m;
      }
    }
  }
}

}  // namespace
}  // namespace jobmatch::matcher

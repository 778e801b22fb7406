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

TEST(CommuteModelTest, LandReachCoversEveryLandTripWithinTheLimit) {
  // LandReachMetres inverts LandMinutes by bisection, which needs
  // LandMinutes to rise with the distance: every distance on a 10 m grid up
  // to 250 km whose minutes fit a limit is within that limit's reach, and
  // the linear bound behind the other-landmass reach holds.
  for (int m = 1; m < kTransportModeCount; ++m) {
    const auto mode = static_cast<TransportMode>(m);
    const double overhead = ModelCommute::LandOverheadMinutes(mode);
    const double speed = ModelCommute::LandTopSpeed(mode);
    double previous = 0;
    for (double d = 0; d <= 250'000; d += 10) {
      const double minutes = ModelCommute::LandMinutes(d, mode);
      ASSERT_GE(minutes, previous) << "mode " << m << " at " << d << " m";
      previous = minutes;
      ASSERT_GE(minutes, overhead + d / speed - 1e-9) << "mode " << m << " at " << d << " m";
      const int limit = static_cast<int>(std::ceil(minutes));
      if (limit > 240) break;
      ASSERT_LE(d, ModelCommute::LandReachMetres(mode, limit)) << "mode " << m << " at " << d;
    }
    // And it is a real tightening: public transport's reach in an hour is
    // well under the plain bound (which a fast crossing sets).
    const double plain = Data().commute->MaxReachMetres(1u << m, 60);
    EXPECT_LE(ModelCommute::LandReachMetres(mode, 60), plain) << "mode " << m;
  }
  const uint8_t pt = 1u << static_cast<int>(TransportMode::kPublicTransport);
  EXPECT_LT(ModelCommute::LandReachMetres(TransportMode::kPublicTransport, 60),
            0.5 * Data().commute->MaxReachMetres(pt, 60));
}

TEST(CommuteModelTest, ReachByLandmassCoversEveryTripBetweenPostalCodes) {
  // The index's per-pair bound: for every pair of Danish postal codes and
  // every mode and limit the seekers may have, a trip the commute rule puts
  // within the limit is within ReachMetres for its landmasses (same or
  // other), and the reach never exceeds MaxReachMetres.
  std::vector<Place> places;
  for (const auto& [code, pc] : Data().geography->postal_codes()) {
    if (!pc.geographic) continue;
    places.push_back(MakePlace(pc.lat, pc.lon, pc.code, pc.municipality));
  }
  ASSERT_GT(places.size(), 500u);
  const int limits[] = {15, 30, 45, 60, 90, 120, 200};
  constexpr int kLimits = std::size(limits);
  CommuteModel::Reach reach_of[kTransportModeCount][kLimits][kLandmassCount];
  for (int m = 1; m < kTransportModeCount; ++m) {
    for (int i = 0; i < kLimits; ++i) {
      for (int l = 0; l < kLandmassCount; ++l) {
        reach_of[m][i][l] = Data().commute->ReachMetres(1u << m, limits[i], Landmass(l));
      }
    }
  }
  size_t within = 0, other_landmass = 0;
  for (const Place& from : places) {
    for (const Place& to : places) {
      const double d = std::hypot(double(from.x) - to.x, double(from.y) - to.y);
      for (int m = 1; m < kTransportModeCount; ++m) {
        auto e = Data().commute->Estimate(from, to, static_cast<TransportMode>(m));
        if (!e) continue;
        for (int i = 0; i < kLimits; ++i) {
          const int limit = limits[i];
          if (e->minutes > limit) continue;
          const CommuteModel::Reach& reach = reach_of[m][i][static_cast<int>(from.landmass)];
          const double bound =
              from.landmass == to.landmass ? reach.same_landmass : reach.other_landmass;
          ASSERT_LE(d, bound) << from.postal_code << "->" << to.postal_code << " mode " << m
                              << " limit " << limit;
          ++within;
          if (from.landmass != to.landmass) ++other_landmass;
        }
      }
    }
  }
  EXPECT_GT(within, 100000u);
  EXPECT_GT(other_landmass, 1000u);
  for (int modes = 1; modes < 32; ++modes) {
    for (int limit : limits) {
      for (int l = 0; l < kLandmassCount; ++l) {
        const auto reach =
            Data().commute->ReachMetres(static_cast<uint8_t>(modes << 1), limit, Landmass(l));
        const double plain = Data().commute->MaxReachMetres(static_cast<uint8_t>(modes << 1), limit);
        EXPECT_LE(reach.same_landmass, plain);
        EXPECT_LE(reach.other_landmass, plain);
      }
    }
  }
}

}  // namespace
}  // namespace jobmatch::matcher

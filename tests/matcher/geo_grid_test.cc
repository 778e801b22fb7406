// The flat grid against brute force: every point within r of the query point
// comes out of the grid (after the exact distance test), and nothing else.
#include "matcher/geo_grid.h"

#include <algorithm>
#include <random>
#include <vector>

#include "gtest/gtest.h"

namespace jobmatch::matcher {
namespace {

struct Point {
  int32_t x, y;
};

TEST(GeoGridTest, WithinRadiusEqualsBruteForceIncludingPointsOutsideTheBox) {
  std::mt19937 rng(42);
  std::vector<Point> points;
  CellPostings postings;
  for (uint32_t i = 0; i < 5000; ++i) {
    // Mostly Denmark, some far outside the covered box (clamped to its border).
    const bool outside = i % 50 == 0;
    const int32_t x = outside ? static_cast<int32_t>(rng() % 2'000'000)
                              : GeoGrid::kMinX + static_cast<int32_t>(rng() % 520'000);
    const int32_t y = outside ? 5'000'000 + static_cast<int32_t>(rng() % 2'000'000)
                              : GeoGrid::kMinY + static_cast<int32_t>(rng() % 440'000);
    points.push_back({x, y});
    postings.Insert(GeoGrid::CellOf(x, y), i);
  }
  postings.Insert(GeoGrid::kEverywhere, 5000);  // e.g. a fully remote job
  for (int q = 0; q < 300; ++q) {
    const int32_t x = GeoGrid::kMinX - 50'000 + static_cast<int32_t>(rng() % 620'000);
    const int32_t y = GeoGrid::kMinY - 50'000 + static_cast<int32_t>(rng() % 540'000);
    const double r = q % 10 == 0 ? 1e7 : 1'000.0 + rng() % 150'000;
    std::vector<uint32_t> want, got;
    for (uint32_t i = 0; i < points.size(); ++i) {
      const double dx = points[i].x - x, dy = points[i].y - y;
      if (dx * dx + dy * dy <= r * r) want.push_back(i);
    }
    bool everywhere = false;
    postings.ForEachNear(x, y, r, [&](uint32_t i) {
      if (i == 5000) {
        everywhere = true;
        return;
      }
      const double dx = points[i].x - x, dy = points[i].y - y;
      if (dx * dx + dy * dy <= r * r) got.push_back(i);
    });
    std::sort(got.begin(), got.end());
    EXPECT_EQ(got, want) << "query " << q << " at " << x << "," << y << " r " << r;
    EXPECT_TRUE(everywhere) << "entries without a place are seen by every query";
  }
}

TEST(GeoGridTest, SmallRadiusReadsFewCells) {
  CellPostings postings;
  uint32_t n = 0;
  for (int32_t x = GeoGrid::kMinX; x < GeoGrid::kMaxX; x += 10'000) {
    for (int32_t y = GeoGrid::kMinY; y < GeoGrid::kMaxY; y += 10'000) {
      postings.Insert(GeoGrid::CellOf(x, y), n++);
    }
  }
  size_t seen = 0;
  postings.ForEachNear(600'000, 6'200'000, 20'000, [&](uint32_t) { ++seen; });
  EXPECT_LE(seen, 36u) << "a 40 km square holds at most 6 x 6 of the 10 km spaced points";
  EXPECT_GE(seen, 9u);
}

TEST(GeoGridTest, EraseRemovesExactlyOneEntry) {
  CellPostings postings;
  postings.Insert(7, 1);
  postings.Insert(7, 2);
  postings.Insert(3, 9);
  EXPECT_TRUE(postings.Erase(7, 1));
  EXPECT_FALSE(postings.Erase(7, 1));
  EXPECT_FALSE(postings.Erase(3, 2));
  std::vector<uint32_t> left;
  postings.ForEach([&](uint32_t i) { left.push_back(i); });
  EXPECT_EQ(left, (std::vector<uint32_t>{9, 2}));
}

}  // namespace
}  // namespace jobmatch::matcher

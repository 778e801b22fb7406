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

// The rows' starts are kept through inserts and erases in any order: after
// each step, every query's entries are those of a list built from scratch.
TEST(GeoGridTest, InsertsAndErasesKeepEveryRowFindable) {
  std::mt19937 rng(7);
  CellPostings postings;
  std::vector<std::pair<uint32_t, uint32_t>> live;  // (cell, index)
  uint32_t next = 0;
  for (int step = 0; step < 4000; ++step) {
    if (live.empty() || rng() % 3 != 0) {
      // A row at either end, a kEverywhere entry now and then.
      const uint32_t cell =
          rng() % 40 == 0 ? GeoGrid::kEverywhere
                          : static_cast<uint32_t>(rng() % (GeoGrid::kRows * GeoGrid::kColumns));
      postings.Insert(cell, next);
      live.push_back({cell, next++});
    } else {
      const size_t k = rng() % live.size();
      ASSERT_TRUE(postings.Erase(live[k].first, live[k].second));
      live.erase(live.begin() + static_cast<std::ptrdiff_t>(k));
    }
    if (step % 50 != 0) continue;
    for (int q = 0; q < 20; ++q) {
      const int32_t x = GeoGrid::kMinX + static_cast<int32_t>(rng() % 520'000);
      const int32_t y = GeoGrid::kMinY + static_cast<int32_t>(rng() % 440'000);
      const double r = q == 0 ? 1e7 : 1'000.0 + rng() % 100'000;
      // Every entry in a cell of the square's rows and columns, and the
      // kEverywhere ones.
      const int32_t ri = static_cast<int32_t>(r) + 1;
      std::vector<uint32_t> want, got;
      for (const auto& [cell, index] : live) {
        if (cell == GeoGrid::kEverywhere) {
          want.push_back(index);
          continue;
        }
        const int32_t row = static_cast<int32_t>(cell) / GeoGrid::kColumns;
        const int32_t column = static_cast<int32_t>(cell) % GeoGrid::kColumns;
        if (row >= GeoGrid::Row(y - ri) && row <= GeoGrid::Row(y + ri) &&
            column >= GeoGrid::Column(x - ri) && column <= GeoGrid::Column(x + ri)) {
          want.push_back(index);
        }
      }
      postings.ForEachNear(x, y, r, [&](uint32_t i) { got.push_back(i); });
      std::sort(want.begin(), want.end());
      std::sort(got.begin(), got.end());
      ASSERT_EQ(got, want) << "step " << step << " query " << q;
    }
  }
}

}  // namespace
}  // namespace jobmatch::matcher

// Small-count suppression: primary (1..min-1 people), secondary (a
// suppressed cell cannot be worked out from a total and the shown cells),
// and a suppressed total that its shown parts would give away.
#include "server/small_cells.h"

#include <set>
#include <vector>

#include "gtest/gtest.h"

namespace jobmatch {
namespace {

// A table of `parts` under a shown total; returns the suppressed parts.
std::set<int> Suppressed(uint64_t min, const std::vector<uint64_t>& parts) {
  SmallCells cells(min);
  uint64_t sum = 0;
  for (uint64_t p : parts) sum += p;
  const int total = cells.AddShown(sum);
  std::set<int> called;
  std::vector<int> ids;
  for (size_t i = 0; i < parts.size(); ++i) {
    ids.push_back(cells.Add(parts[i], [&called, i] { called.insert(static_cast<int>(i)); }));
  }
  cells.Table(total, ids);
  const int n = cells.Apply();
  EXPECT_EQ(n, static_cast<int>(called.size()));
  return called;
}

TEST(SmallCellsTest, NothingSmallNothingSuppressedAndOneMeansOff) {
  EXPECT_TRUE(Suppressed(5, {5, 9, 120}).empty());
  EXPECT_TRUE(Suppressed(5, {0, 9, 120}).empty()) << "a zero describes nobody";
  EXPECT_TRUE(Suppressed(1, {1, 2, 120}).empty());
}

TEST(SmallCellsTest, OneSmallCellTakesTheSmallestOtherWithIt) {
  // 3 alone would be 135 - 12 - 120.
  EXPECT_EQ(Suppressed(5, {3, 12, 120, 40}), (std::set<int>{0, 1}));
}

TEST(SmallCellsTest, SmallCellsTogetherBelowTheThresholdTakeMore) {
  // 1 + 2 = 3 < 5 could be worked out as a pair: one more (the 6).
  EXPECT_EQ(Suppressed(5, {1, 2, 6, 100}), (std::set<int>{0, 1, 2}));
  // 2 + 4 = 6 >= 5: enough.
  EXPECT_EQ(Suppressed(5, {2, 4, 6, 100}), (std::set<int>{0, 1}));
}

TEST(SmallCellsTest, ASuppressedTotalIsNotGivenAwayByItsParts) {
  // Needs groups 2 + 1 under "all" = 3 (suppressed itself); a municipality
  // table under the same total: everything is small, everything goes.
  SmallCells cells(5);
  std::vector<int> out;
  const int all = cells.Add(3, [&] { out.push_back(0); });
  const int with = cells.Add(2, [&] { out.push_back(1); });
  const int without = cells.Add(1, [&] { out.push_back(2); });
  cells.Table(all, {with, without});
  cells.Apply();
  EXPECT_EQ(out.size(), 3u);
  // A total suppressed as secondary, its parts all large: one part goes.
  SmallCells more(5);
  const int grand = more.AddShown(130);
  const int a = more.Add(2, nullptr);
  const int b = more.Add(128, nullptr);  // secondary in the grand table
  more.Table(grand, {a, b});
  const int b1 = more.Add(60, nullptr);
  const int b2 = more.Add(68, nullptr);
  more.Table(b, {b1, b2});
  more.Apply();
  EXPECT_TRUE(more.suppressed(a));
  EXPECT_TRUE(more.suppressed(b));
  EXPECT_TRUE(more.suppressed(b1));
  EXPECT_FALSE(more.suppressed(b2));
}

TEST(SmallCellsTest, ACellInTwoTablesIsSuppressedInBoth) {
  // Target groups x needs: row g1 = 40 (with 3, without 37), g2 = 60 (with
  // 30, without 30); the column "with needs" = 33 of 100. With 3 is small;
  // within g1 it takes "without 37"; within the column it takes "with 30";
  // then g2 has one hidden part and takes "without 30".
  SmallCells cells(5);
  const int all = cells.AddShown(100);
  const int g1 = cells.Add(40, nullptr), g2 = cells.Add(60, nullptr);
  const int with = cells.Add(33, nullptr), without = cells.Add(67, nullptr);
  const int w1 = cells.Add(3, nullptr), wo1 = cells.Add(37, nullptr);
  const int w2 = cells.Add(30, nullptr), wo2 = cells.Add(30, nullptr);
  cells.Table(all, {g1, g2});
  cells.Table(all, {with, without});
  cells.Table(g1, {w1, wo1});
  cells.Table(g2, {w2, wo2});
  cells.Table(with, {w1, w2});
  cells.Table(without, {wo1, wo2});
  cells.Apply();
  for (int c : {w1, wo1, w2, wo2}) EXPECT_TRUE(cells.suppressed(c)) << c;
  for (int c : {g1, g2, with, without}) EXPECT_FALSE(cells.suppressed(c)) << c;
}

}  // namespace
}  // namespace jobmatch

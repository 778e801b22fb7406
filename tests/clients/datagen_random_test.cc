// The generator's sampling: the engine sequence the standard fixes, unbiased
// weighted draws, and reproducible values.
#include "clients/datagen/random.h"

#include <vector>

#include "gtest/gtest.h"

namespace jobmatch::datagen {
namespace {

TEST(DatagenRandomTest, EngineIsTheStandardMt19937_64) {
  // [rand.predef]: the 10000th output of a default-constructed mt19937_64
  // (seed 5489) is 9981545732273789042 on every conforming library.
  Random r(5489);
  uint64_t x = 0;
  for (int i = 0; i < 10000; ++i) x = r.Next();
  EXPECT_EQ(x, 9981545732273789042ULL);
}

TEST(DatagenRandomTest, SameSeedSameValuesOtherSeedOtherValues) {
  Random a(7), b(7), c(8);
  bool differs = false;
  for (int i = 0; i < 100; ++i) {
    const double x = a.Uniform();
    EXPECT_EQ(x, b.Uniform());
    differs |= x != c.Uniform();
  }
  EXPECT_TRUE(differs);
}

TEST(DatagenRandomTest, ValuesStayInRange) {
  Random r(1);
  for (int i = 0; i < 100000; ++i) {
    const double u = r.Uniform();
    ASSERT_GE(u, 0.0);
    ASSERT_LT(u, 1.0);
    ASSERT_LT(r.Below(7), 7u);
    const int k = r.Between(-3, 3);
    ASSERT_GE(k, -3);
    ASSERT_LE(k, 3);
  }
  EXPECT_EQ(r.Below(1), 0u);
}

TEST(DatagenRandomTest, BelowIsUniform) {
  Random r(2);
  std::vector<int> counts(10);
  const int n = 200000;
  for (int i = 0; i < n; ++i) ++counts[r.Below(10)];
  for (int c : counts) EXPECT_NEAR(c / double(n), 0.1, 0.005);
}

TEST(DatagenAliasTableTest, DrawsFollowTheWeights) {
  const std::vector<double> weights = {1, 0, 5, 2, 0.5, 11.5};
  AliasTable table(weights);
  ASSERT_EQ(table.size(), weights.size());
  Random r(3);
  std::vector<int> counts(weights.size());
  const int n = 400000;
  for (int i = 0; i < n; ++i) ++counts[table.Draw(r)];
  for (size_t i = 0; i < weights.size(); ++i) {
    EXPECT_NEAR(counts[i] / double(n), weights[i] / 20.0, 0.004) << "index " << i;
  }
  EXPECT_EQ(counts[1], 0) << "a zero weight is never drawn";
}

TEST(DatagenAliasTableTest, SingleOrEmptyTable) {
  Random r(4);
  AliasTable one({3.0});
  for (int i = 0; i < 10; ++i) EXPECT_EQ(one.Draw(r), 0u);
  EXPECT_TRUE(AliasTable(std::vector<double>{}).empty());
  EXPECT_TRUE(AliasTable({0.0, 0.0}).empty());
}

TEST(DatagenDistributionTest, DrawsValuesByWeight) {
  Distribution<int> d = {{30, 1}, {60, 3}};
  Random r(5);
  int sixty = 0;
  for (int i = 0; i < 100000; ++i) {
    const int x = d.Draw(r);
    ASSERT_TRUE(x == 30 || x == 60);
    sixty += x == 60;
  }
  EXPECT_NEAR(sixty / 100000.0, 0.75, 0.01);
}

}  // namespace
}  // namespace jobmatch::datagen

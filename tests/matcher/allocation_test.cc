// Capacity-aware allocation: respects capacities, spreads seekers instead of
// flooding one vacancy, covers seekers with few options, and stays close to
// the exact optimum on instances small enough to solve exhaustively.
#include "matcher/allocation.h"

#include <random>

#include "gtest/gtest.h"

namespace jobmatch::matcher {
namespace {

TEST(AllocationTest, SpreadsSeekersInsteadOfFloodingTheBestVacancy) {
  // 20 seekers all like vacancy 0 best; vacancies 1-3 are nearly as good.
  AllocationInput in;
  in.seekers = 20;
  in.vacancy_capacity = {3, 3, 3, 3};
  in.per_seeker = 1;
  for (uint32_t s = 0; s < 20; ++s) {
    in.pairs.push_back({s, 0, 0.90});
    for (uint32_t v = 1; v < 4; ++v) in.pairs.push_back({s, v, 0.85 - 0.01 * v});
  }
  const Allocation plain = PlainTopK(in);
  const Allocation spread = Allocate(in);
  EXPECT_EQ(plain.report.share_vacancies_with_suggestion, 0.25);  // all 20 on vacancy 0
  EXPECT_EQ(spread.report.share_vacancies_with_suggestion, 1.0);
  EXPECT_LT(spread.report.gini_suggestions_per_vacancy, plain.report.gini_suggestions_per_vacancy);
  std::vector<int> per_vacancy(4, 0);
  for (const auto& p : spread.chosen) ++per_vacancy[p.vacancy];
  for (int v = 0; v < 4; ++v) EXPECT_LE(per_vacancy[v], in.vacancy_capacity[v]);
  EXPECT_EQ(spread.report.suggestions, 12u);  // total capacity
}

TEST(AllocationTest, SeekerWithOneOptionIsCoveredFirst) {
  // Seeker 2 can only go to vacancy 0 (capacity 1), which seekers 0 and 1
  // score higher on but they have alternatives.
  AllocationInput in;
  in.seekers = 3;
  in.vacancy_capacity = {1, 2};
  in.per_seeker = 1;
  in.pairs = {{0, 0, 0.9}, {0, 1, 0.8}, {1, 0, 0.9}, {1, 1, 0.8}, {2, 0, 0.5}};
  const Allocation a = Allocate(in);
  EXPECT_EQ(a.report.share_seekers_with_suggestion, 1.0);
  bool seeker2_placed = false;
  for (const auto& p : a.chosen) seeker2_placed |= p.seeker == 2 && p.vacancy == 0;
  EXPECT_TRUE(seeker2_placed);
}

// Exact maximum total under the capacities, by exhaustive search.
double Optimum(const AllocationInput& in) {
  const size_t n = in.pairs.size();
  double best = 0;
  for (uint32_t mask = 0; mask < (1u << n); ++mask) {
    std::vector<int> v(in.vacancy_capacity.size(), 0), s(in.seekers, 0);
    double total = 0;
    bool ok = true;
    for (size_t i = 0; i < n && ok; ++i) {
      if (!(mask >> i & 1)) continue;
      const auto& p = in.pairs[i];
      ok = ++v[p.vacancy] <= in.vacancy_capacity[p.vacancy] && ++s[p.seeker] <= in.per_seeker;
      total += p.score;
    }
    if (ok) best = std::max(best, total);
  }
  return best;
}

TEST(AllocationTest, CloseToTheExactOptimumOnSmallInstances) {
  std::mt19937 rng(17);
  double worst = 1, sum = 0;
  const int kInstances = 60;
  for (int t = 0; t < kInstances; ++t) {
    AllocationInput in;
    in.seekers = 5;
    in.vacancy_capacity = {1 + int(rng() % 2), 1 + int(rng() % 2), 1};
    in.per_seeker = 1 + rng() % 2;
    for (uint32_t s = 0; s < 5; ++s) {
      for (uint32_t v = 0; v < 3; ++v) {
        if (rng() % 3 != 0) in.pairs.push_back({s, v, 0.3 + (rng() % 70) / 100.0});
      }
    }
    while (in.pairs.size() > 14) in.pairs.pop_back();
    const double opt = Optimum(in);
    const double got = Allocate(in).report.total_score;
    ASSERT_LE(got, opt + 1e-9);
    const double ratio = opt > 0 ? got / opt : 1;
    worst = std::min(worst, ratio);
    sum += ratio;
  }
  RecordProperty("mean_ratio_to_optimum", std::to_string(sum / kInstances));
  RecordProperty("worst_ratio_to_optimum", std::to_string(worst));
  std::printf("allocation vs exact optimum: mean %.4f, worst %.4f over %d instances\n",
              sum / kInstances, worst, kInstances);
  EXPECT_GE(worst, 0.5);  // the greedy b-matching guarantee
  EXPECT_GE(sum / kInstances, 0.9);
}

TEST(AllocationTest, GiniOfEvenAndConcentratedCounts) {
  EXPECT_DOUBLE_EQ(Gini({2, 2, 2, 2}), 0.0);
  EXPECT_NEAR(Gini({0, 0, 0, 8}), 0.75, 1e-12);  // (n-1)/n for all on one of n
}

}  // namespace
}  // namespace jobmatch::matcher

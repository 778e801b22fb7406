// Capacity-aware allocation: respects capacities, spreads seekers instead of
// flooding one vacancy, covers seekers with few options, and stays close to
// the exact optimum on instances small enough to solve exhaustively.
#include "matcher/allocation.h"

#include <algorithm>
#include <random>
#include <string>
#include <vector>

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

// The allocation as first written (vectors per seeker, one std::sort of all
// pairs), kept verbatim as the reference the faster implementation must
// equal pair for pair.
namespace reference {
bool Better(const CandidatePair& a, const CandidatePair& b) {
  if (a.score != b.score) return a.score > b.score;
  if (a.seeker != b.seeker) return a.seeker < b.seeker;
  return a.vacancy < b.vacancy;
}

std::vector<CandidatePair> Allocate(const AllocationInput& input) {
  std::vector<int> vacancy_left = input.vacancy_capacity;
  std::vector<int> seeker_left(input.seekers, input.per_seeker);
  std::vector<std::vector<CandidatePair>> chosen_by_seeker(input.seekers);
  auto holds = [&](uint32_t s, uint32_t v) {
    for (const auto& p : chosen_by_seeker[s]) {
      if (p.vacancy == v) return true;
    }
    return false;
  };
  std::vector<CandidatePair> all = input.pairs;
  std::sort(all.begin(), all.end(), Better);
  for (const auto& p : all) {
    if (seeker_left[p.seeker] <= 0 || vacancy_left[p.vacancy] <= 0 || holds(p.seeker, p.vacancy)) {
      continue;
    }
    --seeker_left[p.seeker];
    --vacancy_left[p.vacancy];
    chosen_by_seeker[p.seeker].push_back(p);
  }
  std::vector<std::vector<uint32_t>> holders(input.vacancy_capacity.size());
  for (uint32_t o = 0; o < input.seekers; ++o) {
    for (const auto& q : chosen_by_seeker[o]) holders[q.vacancy].push_back(o);
  }
  std::vector<std::vector<CandidatePair>> by_seeker(input.seekers);
  for (const auto& p : input.pairs) by_seeker[p.seeker].push_back(p);
  for (auto& list : by_seeker) std::sort(list.begin(), list.end(), Better);
  for (uint32_t s = 0; s < input.seekers; ++s) {
    if (!chosen_by_seeker[s].empty() || by_seeker[s].empty() || input.per_seeker <= 0) continue;
    bool placed = false;
    for (const auto& p : by_seeker[s]) {
      if (vacancy_left[p.vacancy] > 0) {
        --vacancy_left[p.vacancy];
        chosen_by_seeker[s].push_back(p);
        holders[p.vacancy].push_back(s);
        placed = true;
        break;
      }
    }
    for (size_t i = 0; !placed && i < by_seeker[s].size(); ++i) {
      const CandidatePair& p = by_seeker[s][i];
      double best_loss = 0;
      uint32_t victim = UINT32_MAX;
      size_t victim_pos = 0;
      const CandidatePair* move_to = nullptr;
      for (uint32_t o : holders[p.vacancy]) {
        for (size_t j = 0; j < chosen_by_seeker[o].size(); ++j) {
          const CandidatePair& q = chosen_by_seeker[o][j];
          if (q.vacancy != p.vacancy) continue;
          if (chosen_by_seeker[o].size() >= 2 && (victim == UINT32_MAX || q.score < best_loss)) {
            best_loss = q.score;
            victim = o;
            victim_pos = j;
            move_to = nullptr;
          }
          for (const auto& alt : by_seeker[o]) {
            if (vacancy_left[alt.vacancy] <= 0 || holds(o, alt.vacancy)) continue;
            const double loss = q.score - alt.score;
            if (victim == UINT32_MAX || loss < best_loss) {
              best_loss = loss;
              victim = o;
              victim_pos = j;
              move_to = &alt;
            }
          }
        }
      }
      if (victim == UINT32_MAX) continue;
      chosen_by_seeker[victim].erase(chosen_by_seeker[victim].begin() + victim_pos);
      auto& at_p = holders[p.vacancy];
      at_p.erase(std::find(at_p.begin(), at_p.end(), victim));
      if (move_to != nullptr) {
        --vacancy_left[move_to->vacancy];
        chosen_by_seeker[victim].push_back(*move_to);
        holders[move_to->vacancy].push_back(victim);
      } else {
        ++seeker_left[victim];
      }
      chosen_by_seeker[s].push_back(p);
      at_p.push_back(s);
      placed = true;
    }
    if (placed) --seeker_left[s];
  }
  std::vector<CandidatePair> chosen;
  for (auto& list : chosen_by_seeker) chosen.insert(chosen.end(), list.begin(), list.end());
  std::sort(chosen.begin(), chosen.end(), Better);
  return chosen;
}

std::vector<CandidatePair> PlainTopK(const AllocationInput& input) {
  std::vector<std::vector<CandidatePair>> by_seeker(input.seekers);
  for (const auto& p : input.pairs) by_seeker[p.seeker].push_back(p);
  std::vector<CandidatePair> chosen;
  for (auto& list : by_seeker) {
    std::sort(list.begin(), list.end(), Better);
    for (size_t i = 0; i < list.size() && i < static_cast<size_t>(input.per_seeker); ++i) {
      chosen.push_back(list[i]);
    }
  }
  std::sort(chosen.begin(), chosen.end(), Better);
  return chosen;
}
}  // namespace reference

// A random instance with many equal scores (a grid of `levels` values),
// scarce places (so the coverage repair runs), some seekers with one
// candidate, and now and then the same pair twice.
AllocationInput RandomInstance(std::mt19937* rng, uint32_t seekers, uint32_t vacancies,
                               int max_pairs, int levels) {
  AllocationInput in;
  in.seekers = seekers;
  in.per_seeker = 1 + static_cast<int>((*rng)() % 3);
  for (uint32_t v = 0; v < vacancies; ++v) {
    in.vacancy_capacity.push_back(static_cast<int>((*rng)() % 4));  // 0..3 places
  }
  for (uint32_t s = 0; s < seekers; ++s) {
    const int n = (*rng)() % 5 == 0 ? 1 : static_cast<int>((*rng)() % (max_pairs + 1));
    for (int i = 0; i < n; ++i) {
      const auto v = static_cast<uint32_t>((*rng)() % vacancies);
      const double score = static_cast<double>((*rng)() % (levels + 1)) / levels;
      in.pairs.push_back({s, v, score});
      if ((*rng)() % 50 == 0) in.pairs.push_back({s, v, score});
    }
  }
  std::shuffle(in.pairs.begin(), in.pairs.end(), *rng);
  return in;
}

void ExpectSamePairs(const std::vector<CandidatePair>& got,
                     const std::vector<CandidatePair>& want, const std::string& what) {
  ASSERT_EQ(got.size(), want.size()) << what;
  for (size_t i = 0; i < got.size(); ++i) {
    ASSERT_EQ(got[i].seeker, want[i].seeker) << what << " at " << i;
    ASSERT_EQ(got[i].vacancy, want[i].vacancy) << what << " at " << i;
    ASSERT_EQ(got[i].score, want[i].score) << what << " at " << i;
  }
}

TEST(AllocationTest, EqualsTheFirstImplementationPairForPair) {
  std::mt19937 rng(2026);
  // Small instances (std::sort path) with few score levels: ties everywhere.
  for (int t = 0; t < 300; ++t) {
    const AllocationInput in =
        RandomInstance(&rng, 1 + rng() % 40, 1 + rng() % 15, 6, 1 + static_cast<int>(rng() % 8));
    ExpectSamePairs(Allocate(in).chosen, reference::Allocate(in), "allocate " + std::to_string(t));
    ExpectSamePairs(PlainTopK(in).chosen, reference::PlainTopK(in), "plain " + std::to_string(t));
  }
  // Large instances (the bucketed sort of more than 2^18 pairs), with fine
  // and with coarse score levels.
  for (int levels : {1000, 7, 1 << 24}) {
    const AllocationInput in = RandomInstance(&rng, 80'000, 8'000, 10, levels);
    ASSERT_GT(in.pairs.size(), size_t{1} << 18);
    const Allocation got = Allocate(in);
    ExpectSamePairs(got.chosen, reference::Allocate(in), "large allocate");
    ExpectSamePairs(PlainTopK(in).chosen, reference::PlainTopK(in), "large plain");
    EXPECT_GT(got.report.suggestions, 0u);
  }
}

TEST(AllocationTest, GiniOfEvenAndConcentratedCounts) {
  EXPECT_DOUBLE_EQ(Gini({2, 2, 2, 2}), 0.0);
  EXPECT_NEAR(Gini({0, 0, 0, 8}), 0.75, 1e-12);  // (n-1)/n for all on one of n
}

}  // namespace
}  // namespace jobmatch::matcher

// The nightly pass's memo of a seeker's coverage of each distinct essential
// skill list (matcher/skill_list_memo.h), against the scorer without it.
#include "matcher/skill_list_memo.h"

#include <algorithm>
#include <map>
#include <random>
#include <vector>

#include "gtest/gtest.h"
#include "tests/matcher/random_world.h"

namespace jobmatch::matcher {
namespace {

using testing::Data;
using testing::Now;
using testing::RandomWorld;
using testing::TestScorer;

// Vacancies whose essential lists are often equal (the occupation's
// profile), sometimes cut short, reordered or empty: equal, nearly equal and
// different lists side by side.
RandomWorld ListWorld(uint32_t seed) {
  RandomWorld w(150, 400, seed);
  std::mt19937 rng(seed + 1);
  const Taxonomy& t = *Data().taxonomy;
  for (VacancyProfile& v : w.vacancies) {
    switch (rng() % 6) {
      case 0:
        if (!v.essential_skills.empty()) v.essential_skills.pop_back();
        break;
      case 1:
        std::reverse(v.essential_skills.begin(), v.essential_skills.end());
        break;
      case 2:
        v.essential_skills.clear();
        break;
      default:
        break;
    }
    if (rng() % 2 == 0 && v.esco != kNoOccupation) v.optional_skills = t.occupation(v.esco).optional;
    PrepareVacancy(t, &v);
  }
  return w;
}

TEST(SkillListNumberingTest, EqualListsGetEqualNumbersAndOnlyThey) {
  const RandomWorld w = ListWorld(41);
  SkillListNumbering numbering;
  std::map<std::vector<SkillId>, uint32_t> reference;  // first number given to each list
  std::vector<uint32_t> numbers;
  std::vector<const std::vector<SkillId>*> lists;
  for (const VacancyProfile& v : w.vacancies) {
    for (const auto* list : {&v.essential_skills, &v.optional_skills}) {
      const uint32_t n = numbering.Number(*list);
      reference.emplace(*list, n);
      numbers.push_back(n);
      lists.push_back(list);
    }
  }
  EXPECT_EQ(numbering.distinct(), reference.size());
  // Not vacuous: many lists repeat, and many differ.
  EXPECT_LT(numbering.distinct(), lists.size() / 2);
  EXPECT_GT(numbering.distinct(), 20u);
  for (size_t i = 0; i < lists.size(); ++i) {
    EXPECT_LT(numbers[i], numbering.distinct());
    EXPECT_EQ(numbers[i], reference.at(*lists[i]));
    for (size_t j = i + 1; j < lists.size(); ++j) {
      EXPECT_EQ(numbers[i] == numbers[j], *lists[i] == *lists[j]) << i << " " << j;
    }
  }
}

// Every pair bounded and evaluated through the memo (in the pass's way:
// Load, bound, Keep; Load, Evaluate), each vacancy visited twice in a random
// order, equals the scorer on the sorted vectors, bit for bit.
void CheckAgainstSortedVectors(const RandomWorld& w, const Policy& policy) {
  const Scorer& scorer = TestScorer();
  SkillListNumbering numbering;
  std::vector<uint32_t> number;
  for (const VacancyProfile& v : w.vacancies) number.push_back(numbering.Number(v.essential_skills));
  EssentialCoverageMemo memo(numbering.distinct());
  SeekerSkillBits bits;
  std::vector<uint32_t> order;
  for (uint32_t b = 0; b < w.vacancies.size(); ++b) {
    order.push_back(b);
    order.push_back(b);
  }
  std::mt19937 rng(7);
  size_t pairs = 0, recalled = 0, feasible = 0;
  for (const SeekerProfile& s : w.seekers) {
    bits.Assign(scorer.taxonomy(), s, /*remember_coverage=*/true);
    memo.NextSeeker();
    std::vector<bool> seen(numbering.distinct(), false);
    std::shuffle(order.begin(), order.end(), rng);
    for (uint32_t b : order) {
      const VacancyProfile& v = w.vacancies[b];
      memo.Load(number[b], v.essential_skills, bits);
      // A list this seeker met before is recalled, not summed again.
      if (seen[number[b]] && !v.essential_skills.empty()) {
        ASSERT_NE(bits.Recall(0, v.essential_skills, policy.narrower_skill_credit,
                              policy.sibling_skill_credit, /*need_levels=*/false),
                  nullptr);
        ++recalled;
      }
      seen[number[b]] = true;
      const Scorer::Bound bound = scorer.UpperBound(s, v, policy, &bits, nullptr);
      memo.Keep(number[b], v.essential_skills, policy, bits);
      const Scorer::Bound plain_bound = scorer.UpperBound(s, v, policy, nullptr, nullptr);
      EXPECT_EQ(bound.total, plain_bound.total) << s.id << " " << v.id;
      EXPECT_EQ(bound.seeker_view_total, plain_bound.seeker_view_total) << s.id << " " << v.id;
      memo.Load(number[b], v.essential_skills, bits);
      const Score score = scorer.Evaluate(s, v, policy, Now(), Scorer::Detail::kTotals, &bits);
      const Score plain = scorer.Evaluate(s, v, policy, Now(), Scorer::Detail::kTotals);
      ASSERT_EQ(score.feasible(), plain.feasible()) << s.id << " " << v.id;
      EXPECT_EQ(score.total, plain.total) << s.id << " " << v.id;
      EXPECT_EQ(score.seeker_view_total, plain.seeker_view_total) << s.id << " " << v.id;
      ++pairs;
      if (plain.feasible()) ++feasible;
    }
  }
  EXPECT_EQ(pairs, 2 * w.seekers.size() * w.vacancies.size());
  // Not vacuous: most pairs recall a list, and many are feasible.
  EXPECT_GT(recalled, pairs / 2);
  EXPECT_GT(feasible, 1000u);
}

TEST(EssentialCoverageMemoTest, BoundsAndScoresEqualTheSortedVectors) {
  CheckAgainstSortedVectors(ListWorld(43), Policy());
}

TEST(EssentialCoverageMemoTest, BoundsAndScoresEqualTheSortedVectorsUnderOtherCredits) {
  Policy policy;
  policy.narrower_skill_credit = 0.6;
  policy.sibling_skill_credit = 0.2;
  policy.qualification_floor = 0.7;
  CheckAgainstSortedVectors(ListWorld(47), policy);
}

}  // namespace
}  // namespace jobmatch::matcher

// Issue 13 §1 in the matcher: functional needs and health-based limits
// decide feasibility only; every ranking of seekers against each other (live
// and stored vacancy lists, the allocation, the fairness audit) uses the
// needs-blind total.
#include <algorithm>
#include <random>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "matcher/allocation.h"
#include "matcher/match_index.h"
#include "matcher/rematch_report.h"
#include "tests/matcher/matcher_fixture.h"

namespace jobmatch::matcher {
namespace {

using testing::Data;
using testing::Evaluate;
using testing::MakeSeeker;
using testing::MakeVacancy;
using testing::Now;
using testing::TestScorer;

TEST(NeedsNeutralTest, AHealthBasedCommuteLimitCostsNoScore) {
  SeekerProfile standard = MakeSeeker("a", 8200, 9112);
  standard.max_commute_minutes = 90;
  SeekerProfile health = standard;
  health.id = "b";
  health.max_commute_minutes = 30;
  health.commute_limit_reason = CommuteLimitReason::kHealth;
  const VacancyProfile job = MakeVacancy("v", 8000, 9112);
  const Score a = Evaluate(standard, job), b = Evaluate(health, job);
  ASSERT_TRUE(a.feasible());
  ASSERT_TRUE(b.feasible());
  ASSERT_LT(a.commute->minutes, 30);
  EXPECT_EQ(a.total, b.total);
  EXPECT_EQ(a.seeker_view_total, b.seeker_view_total);
  // The limit still decides feasibility.
  health.max_commute_minutes = static_cast<int>(a.commute->minutes) - 1;
  EXPECT_EQ(Evaluate(health, job).blocker, Reason::kCommuteTooLong);
}

TEST(NeedsNeutralTest, ASoftNeedChangesOnlyTheSeekersOwnView) {
  const SeekerProfile plain = MakeSeeker("a", 8200, 9112);
  SeekerProfile with_need = plain;
  with_need.needs.push_back({Accommodation::kQuietWorkspace, false});
  const VacancyProfile job = MakeVacancy("v", 8000, 9112);  // status unknown
  const Score a = Evaluate(plain, job), b = Evaluate(with_need, job);
  EXPECT_EQ(a.total, b.total);
  EXPECT_EQ(a.total, a.seeker_view_total);  // no need applies: the view is the total
  EXPECT_LT(b.seeker_view_total, b.total);  // unknown status: lower in their own view only
  EXPECT_TRUE(Scorer::HasOwnView(with_need));
  EXPECT_FALSE(Scorer::HasOwnView(plain));
}

// A random world with needs, avoided demands and health-based limits.
struct World {
  std::vector<SeekerProfile> seekers;
  std::vector<VacancyProfile> vacancies;
  explicit World(uint32_t seed) {
    const int groups[] = {9112, 9111, 5322, 9412};
    const int codes[] = {8000, 8200, 8210, 8260, 8600, 8660, 7100, 8305};
    std::mt19937 rng(seed);
    auto pick = [&](auto& a) { return a[rng() % std::size(a)]; };
    for (int i = 0; i < 300; ++i) {
      SeekerProfile s = MakeSeeker("s" + std::to_string(1000 + i), pick(codes), pick(groups));
      std::shuffle(s.skills.begin(), s.skills.end(), rng);
      s.skills.resize(s.skills.size() * (40 + rng() % 60) / 100);
      s.max_commute_minutes = 20 + rng() % 70;
      switch (rng() % 6) {
        case 0: s.needs.push_back({static_cast<Accommodation>(1 + rng() % 14), rng() % 2 == 0}); break;
        case 1: s.excluded_demands_soft = static_cast<uint16_t>(1u << (1 + rng() % 11)); break;
        case 2: s.commute_limit_reason = CommuteLimitReason::kHealth; break;
        case 3: s.max_hours_per_day = 6; break;
        default: break;
      }
      PrepareSeeker(*Data().taxonomy, &s);
      seekers.push_back(std::move(s));
    }
    for (int i = 0; i < 60; ++i) {
      VacancyProfile v = MakeVacancy("v" + std::to_string(100 + i), pick(codes), pick(groups));
      for (int a = 1; a < kAccommodationCount; ++a) {
        v.accommodations[a] = static_cast<AccommodationStatus>(rng() % 5);
      }
      v.demands_occasional = static_cast<uint16_t>(1u << (1 + rng() % 11));
      v.flexible_hours = rng() % 2 == 0;
      vacancies.push_back(std::move(v));
    }
  }
};

TEST(NeedsNeutralTest, BulkNeedsBlindListsEqualBruteForceByTotal) {
  World w(13);
  MatchIndex index(&TestScorer(), Policy());
  for (const auto& s : w.seekers) index.UpsertSeeker(s);
  for (const auto& v : w.vacancies) index.UpsertVacancy(v);
  BulkTopKOptions options;
  options.k = 5;
  options.now = Now();
  auto bulk = index.BulkTopK(options);
  ASSERT_TRUE(bulk.ok());
  size_t own_view = 0, differing = 0;
  for (size_t i = 0; i < bulk->vacancies_for_seeker.size(); ++i) {
    const SeekerProfile seeker = *index.GetSeeker(bulk->vacancies_for_seeker[i].first);
    std::vector<std::pair<double, std::string>> want;
    for (const auto& v : w.vacancies) {
      const Score s = TestScorer().Evaluate(seeker, v, Policy(), Now(), Scorer::Detail::kTotals);
      if (s.feasible()) want.push_back({-s.total, v.id});
    }
    std::sort(want.begin(), want.end());
    if (want.size() > options.k) want.resize(options.k);
    const std::vector<RankedId>& got = bulk->NeedsBlindVacancies(i);
    ASSERT_EQ(got.size(), want.size()) << seeker.id;
    for (size_t r = 0; r < want.size(); ++r) {
      EXPECT_EQ(got[r].id, want[r].second) << seeker.id << " rank " << r + 1;
      EXPECT_EQ(got[r].score, -want[r].first);
    }
    if (Scorer::HasOwnView(seeker)) {
      ++own_view;
      const auto& own = bulk->vacancies_for_seeker[i].second;
      for (size_t r = 0; r < own.size() && r < got.size(); ++r) {
        if (own[r].id != got[r].id) {
          ++differing;
          break;
        }
      }
    }
  }
  EXPECT_GT(own_view, 50u);
  EXPECT_GT(differing, 0u) << "no seeker's own view differs: the test proves nothing";

  // The fairness audit finds no ranking gap.
  std::vector<ReportSeeker> report_seekers;
  for (const auto& [id, ranked] : bulk->vacancies_for_seeker) {
    const SeekerProfile s = *index.GetSeeker(id);
    ReportSeeker r;
    r.known = true;
    r.has_functional_needs = HasNeedsOrHealthLimit(s);
    r.skills = s.skills.size();
    r.max_commute_minutes = s.max_commute_minutes;
    report_seekers.push_back(r);
  }
  const RematchReport report = BuildRematchReport(*bulk, report_seekers);
  EXPECT_EQ(report.fairness.ranking_inversions, 0u);
  EXPECT_GT(report.fairness.raw_with_needs.seekers, 100u);
  EXPECT_GT(report.fairness.raw_with_needs.in_vacancy_list, 0u);
}

// Removing a seeker's needs and health-based limits never moves them up in
// a vacancy's list among the vacancies feasible both ways, and never changes
// their needs-blind score there.
TEST(NeedsNeutralTest, RemovingNeedsNeverMovesASeekerUpInAVacancyList) {
  World w(29);
  MatchIndex index(&TestScorer(), Policy());
  for (const auto& s : w.seekers) index.UpsertSeeker(s);
  for (const auto& v : w.vacancies) index.UpsertVacancy(v);
  MatchQuery query;
  query.limit = 1000;
  query.now = Now();
  size_t checked = 0;
  for (const SeekerProfile& original : w.seekers) {
    if (!HasNeedsOrHealthLimit(original)) continue;
    SeekerProfile plain = original;
    plain.needs.clear();
    plain.excluded_demands_hard = plain.excluded_demands_soft = 0;
    plain.commute_limit_reason = CommuteLimitReason::kStandardRule;
    plain.max_hours_per_day = 0;
    for (const VacancyProfile& v : w.vacancies) {
      const Score with = TestScorer().Evaluate(original, v, Policy(), Now(), Scorer::Detail::kTotals);
      const Score without = TestScorer().Evaluate(plain, v, Policy(), Now(), Scorer::Detail::kTotals);
      if (!with.feasible() || !without.feasible()) continue;
      EXPECT_EQ(with.total, without.total) << original.id << " " << v.id;
      auto before = index.TopSeekersForVacancy(v.id, query);
      ASSERT_TRUE(before.ok());
      index.UpsertSeeker(plain);
      auto after = index.TopSeekersForVacancy(v.id, query);
      index.UpsertSeeker(original);
      ASSERT_TRUE(after.ok());
      auto rank = [&](const MatchResult& r) {
        for (const auto& m : r.matches) if (m.id == original.id) return m.rank;
        return size_t{0};
      };
      EXPECT_EQ(rank(*before), rank(*after)) << original.id << " " << v.id;
      ++checked;
    }
  }
  EXPECT_GT(checked, 100u);
}

// The allocation twins: one place; the seeker with a SOFT need is
// the better fit on the needs-blind total and gets it.
TEST(NeedsNeutralTest, AllocationRanksSeekersByTheNeedsBlindTotal) {
  SeekerProfile with_need = MakeSeeker("a-need", 8000, 9112);
  with_need.needs.push_back({Accommodation::kQuietWorkspace, false});
  const SeekerProfile twin = MakeSeeker("b-twin", 8200, 9112);
  VacancyProfile job = MakeVacancy("v", 8000, 9112);
  job.openings = 1;
  ASSERT_GT(Evaluate(with_need, job).total, Evaluate(twin, job).total);
  ASSERT_LT(Evaluate(with_need, job).seeker_view_total, Evaluate(twin, job).seeker_view_total);
  MatchIndex index(&TestScorer(), Policy());
  index.UpsertSeeker(with_need);
  index.UpsertSeeker(twin);
  index.UpsertVacancy(job);
  BulkTopKOptions options;
  options.k = 10;
  options.now = Now();
  auto bulk = index.BulkTopK(options);
  ASSERT_TRUE(bulk.ok());
  AllocationInputOptions input_options;
  input_options.capacity = [](const std::string&) { return 1; };
  input_options.per_seeker = 1;
  const IndexedAllocationInput input = AllocationInputFrom(*bulk, input_options);
  const Allocation allocation = Allocate(input.input);
  ASSERT_EQ(allocation.chosen.size(), 1u);
  EXPECT_EQ(*input.seekers[allocation.chosen[0].seeker], "a-need");
  EXPECT_EQ(allocation.chosen[0].score, Evaluate(with_need, job).total);
}

}  // namespace
}  // namespace jobmatch::matcher

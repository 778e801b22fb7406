// Ties between equal scores: a seed's pseudo-random order of the ids, the same
// in live queries, the bulk pass and brute force; a different one for the
// next seed.
#include "matcher/tie_order.h"

#include <algorithm>
#include <set>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "matcher/match_index.h"
#include "tests/matcher/matcher_fixture.h"

namespace jobmatch::matcher {
namespace {

using testing::MakeSeeker;
using testing::MakeVacancy;
using testing::Now;
using testing::TestScorer;

std::vector<std::string> Ids(const char* prefix, int n) {
  std::vector<std::string> ids;
  for (int i = 0; i < n; ++i) ids.push_back(prefix + std::to_string(i));
  return ids;
}

std::vector<std::string> InTieOrder(std::vector<std::string> ids, uint64_t seed) {
  std::sort(ids.begin(), ids.end(),
            [seed](const std::string& a, const std::string& b) { return TieBefore(a, b, seed); });
  return ids;
}

TEST(TieOrderTest, SeedZeroIsIdOrderOtherSeedsShuffleAndAreStable) {
  const std::vector<std::string> ids = Ids("s", 30);
  std::vector<std::string> by_id = ids;
  std::sort(by_id.begin(), by_id.end());
  EXPECT_EQ(InTieOrder(ids, 0), by_id);
  std::set<std::vector<std::string>> orders;
  std::set<std::string> firsts;
  for (uint64_t seed = 1; seed <= 40; ++seed) {
    const auto order = InTieOrder(ids, seed);
    EXPECT_EQ(order, InTieOrder(ids, seed)) << "the same seed gives the same order";
    orders.insert(order);
    firsts.insert(order.front());
  }
  EXPECT_EQ(orders.size(), 40u) << "every seed orders differently";
  EXPECT_GT(firsts.size(), 12u) << "many different ids come first over 40 seeds";
  // A hash stable across processes and builds: a fixed value.
  EXPECT_EQ(TieKey("s1", 1), TieKey("s1", 1));
  EXPECT_NE(TieKey("s1", 1), TieKey("s1", 2));
}

TEST(TieOrderTest, TheSeedChangesByTheDay) {
  const absl::Time midnight = Now();  // 00:00 UTC
  EXPECT_EQ(DaySeed(midnight), DaySeed(midnight + absl::Hours(23) + absl::Minutes(59)));
  EXPECT_NE(DaySeed(midnight), DaySeed(midnight - absl::Seconds(1)));
  std::set<uint64_t> seeds;
  for (int day = 0; day < 365; ++day) {
    const uint64_t seed = DaySeed(midnight + absl::Hours(24 * day));
    EXPECT_NE(seed, 0u);
    seeds.insert(seed);
  }
  EXPECT_EQ(seeds.size(), 365u);
}

// Twins: every pair scores the same, so only the tie order decides.
TEST(TieOrderTest, LiveAndBulkListsFollowTheSeedsOrderAndAgree) {
  MatchIndex index(&TestScorer(), Policy());
  for (const auto& id : Ids("s", 25)) index.UpsertSeeker(MakeSeeker(id, 8000, 9112));
  for (const auto& id : Ids("v", 25)) index.UpsertVacancy(MakeVacancy(id, 8000, 9112));
  std::set<std::string> first_seekers;
  for (uint64_t seed : {0ull, 7ull, 8ull, 99ull, 12345ull}) {
    SCOPED_TRACE(seed);
    MatchQuery q;
    q.limit = 10;
    q.now = Now();
    q.tie_seed = seed;
    auto seekers = index.TopSeekersForVacancy("v3", q);
    auto vacancies = index.TopVacanciesForSeeker("s3", q);
    ASSERT_TRUE(seekers.ok() && vacancies.ok());
    const auto want_seekers = InTieOrder(Ids("s", 25), seed);
    const auto want_vacancies = InTieOrder(Ids("v", 25), seed);
    ASSERT_EQ(seekers->matches.size(), 10u);
    ASSERT_EQ(vacancies->matches.size(), 10u);
    for (size_t i = 0; i < 10; ++i) {
      EXPECT_EQ(seekers->matches[i].id, want_seekers[i]);
      EXPECT_EQ(vacancies->matches[i].id, want_vacancies[i]);
      EXPECT_EQ(seekers->matches[i].score.total, seekers->matches[0].score.total) << "all tie";
    }
    first_seekers.insert(seekers->matches[0].id);
    // The second page continues the same order.
    q.offset = 10;
    auto page2 = index.TopSeekersForVacancy("v3", q);
    ASSERT_TRUE(page2.ok());
    ASSERT_EQ(page2->matches.size(), 10u);
    EXPECT_EQ(page2->matches[0].id, want_seekers[10]);
    // The bulk pass with the same seed lists the same, in both directions.
    for (int threads : {1, 2}) {
      BulkTopKOptions options;
      options.k = 10;
      options.threads = threads;
      options.now = Now();
      options.tie_seed = seed;
      auto bulk = index.BulkTopK(options);
      ASSERT_TRUE(bulk.ok());
      for (const auto& [vacancy_id, ranked] : bulk->seekers_for_vacancy) {
        ASSERT_EQ(ranked.size(), 10u);
        for (size_t i = 0; i < 10; ++i) EXPECT_EQ(ranked[i].id, want_seekers[i]) << vacancy_id;
      }
      for (const auto& [seeker_id, ranked] : bulk->vacancies_for_seeker) {
        ASSERT_EQ(ranked.size(), 10u);
        for (size_t i = 0; i < 10; ++i) EXPECT_EQ(ranked[i].id, want_vacancies[i]) << seeker_id;
      }
    }
  }
  EXPECT_GE(first_seekers.size(), 3u) << "different seeds put different twins first";
}

}  // namespace
}  // namespace jobmatch::matcher

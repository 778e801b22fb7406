// Cell-key perturbation of the nightly report's counts (matcher/cell_key.h):
// two nights' reports compared. The same people give the same published
// counts; one person more or less in a cell cannot be read off exactly.
#include "matcher/cell_key.h"

#include <cmath>
#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "matcher/rematch_report.h"

namespace jobmatch::matcher {
namespace {

// The server keys record keys with HMAC-SHA256 under a stored secret; a
// keyed mix stands in for it here (the matcher knows no cryptography).
uint32_t RecordKey(uint64_t secret, const std::string& id) {
  uint64_t x = secret ^ std::hash<std::string>()(id);
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return static_cast<uint32_t>((x ^ (x >> 31)) >> 32);
}

// A night: seekers by id, each with a municipality and a needs flag.
struct Person {
  std::string id;
  int municipality;
  bool needs;
  bool matched;
};

RematchReport Night(const std::vector<Person>& people, uint64_t secret) {
  BulkTopKResult result;
  std::vector<ReportSeeker> seekers;
  for (const Person& p : people) {
    std::vector<RankedId> ranked;
    if (p.matched) ranked.push_back({"v", 0.5});
    result.vacancies_for_seeker.emplace_back(p.id, ranked);
    ReportSeeker r;
    r.known = true;
    r.municipality = p.municipality;
    r.target_group = p.needs ? "aktivitetsparat" : "jobparat";
    r.has_functional_needs = p.needs;
    r.skills = 8;
    r.max_commute_minutes = 60;
    r.record_key = RecordKey(secret, p.id);
    seekers.push_back(r);
  }
  return BuildRematchReport(result, seekers, /*perturb_counts=*/true);
}

std::vector<Person> World(int n) {
  std::vector<Person> people;
  for (int i = 0; i < n; ++i) {
    people.push_back({"s-" + std::to_string(i), 100 + i % 40, i % 7 == 0, i % 3 != 0});
  }
  return people;
}

std::map<std::string, uint64_t> Seekers(const RematchReport& r) {
  std::map<std::string, uint64_t> by_key;
  for (const CoverageRow& row : r.by_municipality) by_key[row.key] = row.seekers;
  return by_key;
}

TEST(CellKeyTest, ThePerturbationIsSmallUnbiasedAndKeepsZeroAndOne) {
  std::map<int, int> seen;
  double sum = 0;
  const int kCells = 100000;
  for (int i = 0; i < kCells; ++i) {
    const uint32_t key = RecordKey(7, std::to_string(i));
    const int d = CellKeyPerturbation(key);
    ASSERT_GE(d, -2);
    ASSERT_LE(d, 2);
    ++seen[d];
    sum += d;
    EXPECT_EQ(PerturbedCount(0, key), 0u);
    EXPECT_GE(PerturbedCount(1, key), 1u);
    EXPECT_EQ(PerturbedCount(100, key), static_cast<uint64_t>(100 + d));
  }
  EXPECT_LT(std::abs(sum / kCells), 0.02);
  // 0.1, 0.2, 0.4, 0.2, 0.1
  EXPECT_NEAR(seen[0] / double(kCells), 0.4, 0.01);
  EXPECT_NEAR(seen[-2] / double(kCells), 0.1, 0.01);
  EXPECT_NEAR(seen[2] / double(kCells), 0.1, 0.01);
}

TEST(CellKeyTest, TheSamePeopleGiveTheSameCountsOnEveryNightInAnyOrder) {
  std::vector<Person> people = World(4000);
  const RematchReport first = Night(people, 42);
  std::reverse(people.begin(), people.end());
  const RematchReport second = Night(people, 42);
  EXPECT_EQ(Seekers(first), Seekers(second));
  EXPECT_EQ(first.seekers, 4000u);  // the national total is exact
  EXPECT_EQ(first.fairness.raw_with_needs.seekers, second.fairness.raw_with_needs.seekers);
  // Perturbed: not every published count is the true one.
  int off = 0;
  for (const CoverageRow& row : first.by_municipality) off += row.seekers != 100;
  EXPECT_GT(off, 10) << "4000 seekers over 40 municipalities: 100 each";
}

// The attack: a seeker added to (or erased from) one municipality between
// two nights; the reader compares the two reports. Every municipality the
// change did not touch publishes the same count both nights, so the changed
// one is the question: by how much did it change? The published difference
// is 1 (or -1) only about a quarter of the time, and every other value from
// -3 to +5 occurs: the reader cannot tell a one-person change from no change,
// two, or three.
TEST(CellKeyTest, OnePersonsChangeBetweenTwoNightsCannotBeReadOffExactly) {
  const std::vector<Person> base = World(4000);
  const std::map<std::string, uint64_t> before = Seekers(Night(base, 42));
  std::map<int64_t, int> added_diffs, erased_diffs;
  const int kTrials = 400;
  for (int t = 0; t < kTrials; ++t) {
    const int municipality = 100 + t % 40;
    const std::string key = std::to_string(municipality);
    // One more.
    std::vector<Person> more = base;
    more.push_back({"new-" + std::to_string(t), municipality, t % 2 == 0, true});
    const std::map<std::string, uint64_t> after = Seekers(Night(more, 42));
    for (const auto& [k, n] : after) {
      if (k != key) {
        ASSERT_EQ(n, before.at(k)) << "an untouched municipality changed";
      }
    }
    ++added_diffs[static_cast<int64_t>(after.at(key)) - static_cast<int64_t>(before.at(key))];
    // One fewer (an erasure): seeker t of that municipality... any one of it.
    std::vector<Person> fewer;
    bool dropped = false;
    for (size_t i = 0; i < base.size(); ++i) {
      if (!dropped && base[i].municipality == municipality && static_cast<int>(i) >= t) {
        dropped = true;
        continue;
      }
      fewer.push_back(base[i]);
    }
    ASSERT_TRUE(dropped);
    const std::map<std::string, uint64_t> erased = Seekers(Night(fewer, 42));
    ++erased_diffs[static_cast<int64_t>(erased.at(key)) - static_cast<int64_t>(before.at(key))];
  }
  for (const auto* diffs : {&added_diffs, &erased_diffs}) {
    const int64_t change = diffs == &added_diffs ? 1 : -1;
    const int exact = diffs->count(change) ? diffs->at(change) : 0;
    EXPECT_LT(exact, kTrials / 2) << "the true change shows in most trials";
    EXPECT_GT(diffs->count(0) ? diffs->at(0) : 0, kTrials / 20)
        << "a one-person change must often look like none";
    EXPECT_GE(diffs->size(), 6u) << "the differences take many values";
    for (const auto& [d, n] : *diffs) {
      EXPECT_LE(std::abs(d), 5) << "at most 1 + 2 + 2";
    }
  }
  std::string shown;
  for (const auto& [d, n] : added_diffs) shown += std::to_string(d) + ":" + std::to_string(n) + " ";
  std::printf("published difference for one seeker added (difference:trials): %s\n", shown.c_str());
}

}  // namespace
}  // namespace jobmatch::matcher

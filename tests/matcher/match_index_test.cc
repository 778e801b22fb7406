// The index against brute-force scoring of every pair, incremental updates,
// paging, filters, deadlines and "why not".
#include "matcher/match_index.h"

#include <algorithm>
#include <mutex>
#include <random>
#include <set>
#include <thread>

#include "absl/time/clock.h"
#include "gtest/gtest.h"
#include "tests/matcher/matcher_fixture.h"
#include "tests/matcher/random_world.h"

namespace jobmatch::matcher {
namespace {

using testing::Data;
using testing::MakeSeeker;
using testing::MakeVacancy;
using testing::Now;
using testing::TestScorer;

using testing::RandomWorld;
using testing::kPostalCodes;

std::vector<std::pair<std::string, double>> BruteForce(const RandomWorld& w, const Policy& policy,
                                                       const SeekerProfile* seeker,
                                                       const VacancyProfile* vacancy, size_t k) {
  std::vector<std::pair<std::string, double>> all;
  if (seeker != nullptr) {
    for (const auto& v : w.vacancies) {
      const Score s = TestScorer().Evaluate(*seeker, v, policy, Now(), Scorer::Detail::kTotals);
      if (s.feasible()) all.push_back({v.id, s.seeker_view_total});
    }
  } else {
    for (const auto& sk : w.seekers) {
      const Score s = TestScorer().Evaluate(sk, *vacancy, policy, Now(), Scorer::Detail::kTotals);
      if (s.feasible()) all.push_back({sk.id, s.total});
    }
  }
  std::sort(all.begin(), all.end(), [](const auto& a, const auto& b) {
    return a.second != b.second ? a.second > b.second : a.first < b.first;
  });
  if (all.size() > k) all.resize(k);
  return all;
}

MatchQuery Query(size_t limit) {
  MatchQuery q;
  q.limit = limit;
  q.now = Now();
  return q;
}

// Every seeker's top-10 from the index equals brute force over `world`:
// the same ids in the same order with the same scores. Counts the seekers
// with a non-empty list in *nonempty.
void ExpectSeekerListsAsBruteForce(const MatchIndex& index, const RandomWorld& world,
                                   const Policy& policy, size_t* nonempty) {
  *nonempty = 0;
  for (const auto& s : world.seekers) {
    auto got = index.TopVacanciesForSeeker(s.id, Query(10));
    ASSERT_TRUE(got.ok());
    auto want = BruteForce(world, policy, &s, nullptr, 10);
    ASSERT_EQ(got->matches.size(), want.size()) << s.id;
    for (size_t i = 0; i < want.size(); ++i) {
      EXPECT_EQ(got->matches[i].id, want[i].first) << s.id << " rank " << i + 1;
      EXPECT_EQ(got->matches[i].score.seeker_view_total, want[i].second);
    }
    *nonempty += !want.empty();
  }
}

// The same for every vacancy's top-10.
void ExpectVacancyListsAsBruteForce(const MatchIndex& index, const RandomWorld& world,
                                    const Policy& policy, size_t* nonempty) {
  *nonempty = 0;
  for (const auto& v : world.vacancies) {
    auto got = index.TopSeekersForVacancy(v.id, Query(10));
    ASSERT_TRUE(got.ok());
    auto want = BruteForce(world, policy, nullptr, &v, 10);
    ASSERT_EQ(got->matches.size(), want.size()) << v.id;
    for (size_t i = 0; i < want.size(); ++i) {
      EXPECT_EQ(got->matches[i].id, want[i].first) << v.id << " rank " << i + 1;
      EXPECT_EQ(got->matches[i].score.total, want[i].second);
    }
    *nonempty += !want.empty();
  }
}

void ExpectSameAsBruteForce(const Policy& policy) {
  RandomWorld world(400, 300, 7);
  MatchIndex index(&TestScorer(), policy);
  for (const auto& s : world.seekers) index.UpsertSeeker(s);
  for (const auto& v : world.vacancies) index.UpsertVacancy(v);
  size_t nonempty = 0, vacancies_nonempty = 0;
  ExpectSeekerListsAsBruteForce(index, world, policy, &nonempty);
  ExpectVacancyListsAsBruteForce(index, world, policy, &vacancies_nonempty);
  EXPECT_GT(nonempty, world.seekers.size() / 4) << "the world is too sparse to prove anything";
  if (policy.admit_substitutes) {
    // Some listed pairs are there only as substitutes (no shared ISCO minor
    // group), so the postings of substitutes' groups are exercised.
    size_t substitutes = 0;
    for (const auto& s : world.seekers) {
      const absl::StatusOr<MatchResult> listed = index.TopVacanciesForSeeker(s.id, Query(10));
      ASSERT_TRUE(listed.ok());
      for (const Match& m : listed->matches) {
        const auto v = index.GetVacancy(m.id);
        bool shares = false;
        for (const auto& goal : s.occupations) {
          shares |= IscoSharedDigits(goal.isco, v->isco) >= policy.occupation_breadth;
        }
        substitutes += !shares;
      }
    }
    EXPECT_GT(substitutes, 0u);
  }
}

TEST(MatchIndexTest, SameResultsAsBruteForceOnGeneratedData) { ExpectSameAsBruteForce(Policy()); }

TEST(MatchIndexTest, SameResultsAsBruteForceWithBroadenedOccupations) {
  Policy broad;
  broad.occupation_breadth = 2;
  ExpectSameAsBruteForce(broad);
}

TEST(MatchIndexTest, SameResultsAsBruteForceWithoutSubstitutes) {
  Policy strict;
  strict.admit_substitutes = false;
  ExpectSameAsBruteForce(strict);
}

TEST(MatchIndexTest, BriefListsAreTheFullListsWithoutTheSkillLists) {
  // MatchQuery::skill_lists = false (a brief request): the same matches in
  // the same order with the same scores, parts and texts, the vacancies'
  // openings carried along, and no per-skill lists -- on both sides, for
  // every seeker and vacancy of a generated world.
  RandomWorld world(400, 300, 7);
  for (size_t i = 0; i < world.vacancies.size(); ++i) {
    world.vacancies[i].openings = 1 + static_cast<int>(i % 7);
  }
  MatchIndex index(&TestScorer(), Policy());
  for (const auto& s : world.seekers) index.UpsertSeeker(s);
  for (const auto& v : world.vacancies) index.UpsertVacancy(v);
  MatchQuery brief = Query(10);
  brief.skill_lists = false;
  size_t compared = 0, lists_left_out = 0;
  auto expect_same = [&](const MatchResult& full, const MatchResult& short_list) {
    ASSERT_EQ(short_list.matches.size(), full.matches.size());
    for (size_t i = 0; i < full.matches.size(); ++i) {
      const Match& f = full.matches[i];
      const Match& b = short_list.matches[i];
      EXPECT_EQ(b.id, f.id);
      EXPECT_EQ(b.rank, f.rank);
      EXPECT_EQ(b.openings, f.openings);
      EXPECT_EQ(b.score.total, f.score.total);
      EXPECT_EQ(b.score.seeker_view_total, f.score.seeker_view_total);
      ASSERT_EQ(b.score.parts.size(), f.score.parts.size());
      for (size_t p = 0; p < f.score.parts.size(); ++p) {
        EXPECT_EQ(b.score.parts[p].contribution, f.score.parts[p].contribution);
        EXPECT_EQ(b.score.parts[p].evidence, f.score.parts[p].evidence);
      }
      EXPECT_TRUE(b.score.matched_skills.empty() && b.score.missing_skills.empty() &&
                  b.score.missing_optional_skills.empty() && b.score.development_skills.empty());
      lists_left_out += !f.score.matched_skills.empty();
      ++compared;
    }
  };
  for (const auto& s : world.seekers) {
    const absl::StatusOr<MatchResult> full = index.TopVacanciesForSeeker(s.id, Query(10));
    const absl::StatusOr<MatchResult> short_list = index.TopVacanciesForSeeker(s.id, brief);
    ASSERT_TRUE(full.ok() && short_list.ok());
    expect_same(*full, *short_list);
    for (const Match& m : full->matches) {
      EXPECT_EQ(m.openings, index.GetVacancy(m.id)->openings) << m.id;
    }
  }
  for (const auto& v : world.vacancies) {
    const absl::StatusOr<MatchResult> full = index.TopSeekersForVacancy(v.id, Query(10));
    const absl::StatusOr<MatchResult> short_list = index.TopSeekersForVacancy(v.id, brief);
    ASSERT_TRUE(full.ok() && short_list.ok());
    expect_same(*full, *short_list);
    for (const Match& m : full->matches) EXPECT_EQ(m.openings, v.openings) << v.id;
  }
  EXPECT_GT(compared, 2000u);
  EXPECT_GT(lists_left_out, 1000u);
}

TEST(MatchIndexTest, QueryBreadthBroadensOneSearchOnly) {
  MatchIndex index(&TestScorer(), Policy());
  index.UpsertSeeker(MakeSeeker("s", 8200, 9112));        // building cleaner
  index.UpsertVacancy(MakeVacancy("window", 8000, 9123));  // window cleaner: same sub-major
  EXPECT_TRUE(index.TopVacanciesForSeeker("s", Query(10))->matches.empty());
  MatchQuery broad = Query(10);
  broad.occupation_breadth = 2;
  auto r = index.TopVacanciesForSeeker("s", broad);
  ASSERT_TRUE(r.ok());
  ASSERT_EQ(r->matches.size(), 1u);
  EXPECT_EQ(r->matches[0].id, "window");
  auto v = index.TopSeekersForVacancy("window", broad);
  ASSERT_TRUE(v.ok());
  EXPECT_EQ(v->matches.size(), 1u);
  EXPECT_EQ(index.WhyNot("s", "window", true, broad)->kind, WhyNotResult::Kind::kInList);
  EXPECT_EQ(index.WhyNot("s", "window", true, Query(10))->kind, WhyNotResult::Kind::kInfeasible);
  EXPECT_EQ(index.policy().occupation_breadth, 3) << "the index's policy is unchanged";
  broad.occupation_breadth = 5;
  EXPECT_EQ(index.TopVacanciesForSeeker("s", broad).status().code(),
            absl::StatusCode::kInvalidArgument);
}

TEST(MatchIndexTest, UpdatesAndRemovalsTakeEffectWithoutRebuild) {
  MatchIndex index(&TestScorer(), Policy());
  index.UpsertSeeker(MakeSeeker("s", 8200, 9112));
  index.UpsertVacancy(MakeVacancy("v1", 8000, 9112));
  index.UpsertVacancy(MakeVacancy("v2", 8000, 5322));
  auto r = index.TopVacanciesForSeeker("s", Query(10));
  ASSERT_TRUE(r.ok());
  ASSERT_EQ(r->matches.size(), 1u);
  EXPECT_EQ(r->matches[0].id, "v1");
  // v2 changes occupation to the seeker's: now both.
  index.UpsertVacancy(MakeVacancy("v2", 8000, 9112));
  EXPECT_EQ(index.TopVacanciesForSeeker("s", Query(10))->matches.size(), 2u);
  EXPECT_TRUE(index.RemoveVacancy("v1"));
  r = index.TopVacanciesForSeeker("s", Query(10));
  ASSERT_EQ(r->matches.size(), 1u);
  EXPECT_EQ(r->matches[0].id, "v2");
  EXPECT_FALSE(index.RemoveVacancy("v1"));
  EXPECT_TRUE(index.RemoveSeeker("s"));
  EXPECT_EQ(index.TopVacanciesForSeeker("s", Query(10)).status().code(),
            absl::StatusCode::kNotFound);
  EXPECT_EQ(index.seeker_count(), 0u);
  EXPECT_EQ(index.vacancy_count(), 1u);
}

// What the server's scope and view read for every list entry equals the
// profile it is read from, after moves and consent changes, and is absent
// for a removed seeker.
TEST(MatchIndexTest, SeekerScopeEqualsTheProfileThroughUpdatesAndRemovals) {
  RandomWorld world(400, 1, 23);
  MatchIndex index(&TestScorer(), Policy());
  for (const SeekerProfile& s : world.seekers) index.UpsertSeeker(s);
  std::mt19937 rng(5);
  for (int round = 0; round < 600; ++round) {
    SeekerProfile s = world.seekers[rng() % world.seekers.size()];
    s.home = testing::PlaceOf(kPostalCodes[rng() % std::size(kPostalCodes)]);
    s.consent_share_needs = (rng() % 2) == 0;
    if (round % 7 == 0) {
      index.RemoveSeeker(s.id);
      EXPECT_FALSE(index.SeekerScope(s.id).has_value()) << s.id;
      if (round % 14 == 0) continue;
    }
    index.UpsertSeeker(s);
  }
  size_t present = 0, consenting = 0;
  std::set<int> municipalities;
  for (const SeekerProfile& w : world.seekers) {
    const std::optional<SeekerProfile> profile = index.GetSeeker(w.id);
    const std::optional<MatchIndex::SeekerScopeFacts> facts = index.SeekerScope(w.id);
    ASSERT_EQ(profile.has_value(), facts.has_value()) << w.id;
    if (!profile) continue;
    ++present;
    EXPECT_EQ(facts->municipality, profile->home.municipality) << w.id;
    EXPECT_EQ(facts->consent_share_needs, profile->consent_share_needs) << w.id;
    consenting += facts->consent_share_needs;
    municipalities.insert(facts->municipality);
  }
  // The data exercised both answers and several places.
  EXPECT_GT(present, 100u);
  EXPECT_LT(present, world.seekers.size());
  EXPECT_GT(consenting, 0u);
  EXPECT_LT(consenting, present);
  EXPECT_GT(municipalities.size(), 3u);
}

TEST(MatchIndexTest, SeekersChangedManyTimesKeepTheirSkillsForTheBound) {
  // A vacancy's scan bounds seekers from the skills kept with their bucket
  // entries (matcher/seeker_postings.h), which every change and removal
  // rewrites in place. After many changes (3 x 65,536 changed skills) and
  // removals, the lists still equal brute force over the final profiles.
  RandomWorld world(400, 300, 11);
  MatchIndex index(&TestScorer(), Policy());
  for (const auto& v : world.vacancies) index.UpsertVacancy(v);
  const std::vector<SeekerProfile> original = world.seekers;
  size_t changed_skills = 0;
  for (size_t round = 0; changed_skills < 3 * 65536; ++round) {
    for (size_t i = 0; i < world.seekers.size(); ++i) {
      SeekerProfile& s = world.seekers[i];
      s.skills = original[(i + round) % original.size()].skills;
      PrepareSeeker(TestScorer().taxonomy(), &s);
      changed_skills += s.skills.size();
      index.UpsertSeeker(s);
    }
  }
  for (size_t i = 0; i < 50; ++i) {
    ASSERT_TRUE(index.RemoveSeeker(world.seekers.back().id));
    world.seekers.pop_back();
  }
  size_t nonempty = 0;
  ExpectVacancyListsAsBruteForce(index, world, Policy(), &nonempty);
  EXPECT_GT(nonempty, world.vacancies.size() / 4);
}

TEST(MatchIndexTest, VacanciesChangedManyTimesKeepTheirSkillsForTheBound) {
  // The same for a seeker's scan, which bounds vacancies from the index's
  // vacancy skill pool (essential, then optional skills): after enough
  // changes to compact it, and removals, the lists still equal brute force.
  RandomWorld world(300, 400, 12);
  MatchIndex index(&TestScorer(), Policy());
  for (const auto& s : world.seekers) index.UpsertSeeker(s);
  for (const auto& v : world.vacancies) index.UpsertVacancy(v);
  const std::vector<VacancyProfile> original = world.vacancies;
  const Taxonomy& taxonomy = TestScorer().taxonomy();
  // Until just after a compaction (the pool's capacity falls, which the
  // index's memory shows), so the vacancies not changed since then are
  // read through the offsets the compaction gave them.
  size_t changed_skills = 0;
  size_t bytes = index.MemoryBytes();
  bool compacted = false;
  for (size_t round = 0; !compacted; ++round) {
    for (size_t i = 0; i < world.vacancies.size() && !compacted; ++i) {
      VacancyProfile& v = world.vacancies[i];
      const VacancyProfile& from = original[(i + round) % original.size()];
      v.essential_skills = from.essential_skills;
      // Optional skills on every other round: both parts of the pool move.
      v.optional_skills.clear();
      if (round % 2 == 1 && from.esco != kNoOccupation) {
        v.optional_skills = taxonomy.occupation(from.esco).optional;
      }
      PrepareVacancy(taxonomy, &v);
      changed_skills += v.essential_skills.size() + v.optional_skills.size() + 1;
      index.UpsertVacancy(v);
      const size_t now_bytes = index.MemoryBytes();
      compacted = changed_skills > 65536 && now_bytes + 65536 * sizeof(SkillId) < bytes;
      bytes = now_bytes;
    }
  }
  ASSERT_TRUE(compacted);
  for (size_t i = 0; i < 50; ++i) {
    ASSERT_TRUE(index.RemoveVacancy(world.vacancies.back().id));
    world.vacancies.pop_back();
  }
  size_t nonempty = 0;
  ExpectSeekerListsAsBruteForce(index, world, Policy(), &nonempty);
  EXPECT_GT(nonempty, world.seekers.size() / 4);
}

TEST(MatchIndexTest, VacanciesWithTheirOwnEssentialListsChangedManyTimesRankAsBruteForce) {
  // A seeker's scan reads each vacancy's essential skills from the index's
  // pool of distinct lists: vacancies given lists of their own (a random
  // part of their occupation's), changed until the lists no vacancy lists
  // any more outweigh the rest and the pool is compacted, then some removed:
  // every seeker's list still equals brute force.
  RandomWorld world(300, 400, 13);
  MatchIndex index(&TestScorer(), Policy());
  for (const auto& s : world.seekers) index.UpsertSeeker(s);
  for (const auto& v : world.vacancies) index.UpsertVacancy(v);
  const Taxonomy& taxonomy = TestScorer().taxonomy();
  std::mt19937 rng(14);
  size_t dropped = 0;
  size_t bytes = index.MemoryBytes();
  bool compacted = false;
  while (!compacted) {
    for (size_t i = 0; i < world.vacancies.size() && !compacted; ++i) {
      VacancyProfile& v = world.vacancies[i];
      if (v.esco == kNoOccupation || taxonomy.occupation(v.esco).essential.empty()) continue;
      dropped += v.essential_skills.size();
      v.essential_skills = taxonomy.occupation(v.esco).essential;
      std::shuffle(v.essential_skills.begin(), v.essential_skills.end(), rng);
      v.essential_skills.resize(1 + rng() % v.essential_skills.size());
      PrepareVacancy(taxonomy, &v);
      index.UpsertVacancy(v);
      const size_t now_bytes = index.MemoryBytes();
      compacted = dropped > 65536 && now_bytes + 32768 * sizeof(SkillId) < bytes;
      bytes = now_bytes;
    }
  }
  for (size_t i = 0; i < 50; ++i) {
    ASSERT_TRUE(index.RemoveVacancy(world.vacancies.back().id));
    world.vacancies.pop_back();
  }
  size_t nonempty = 0;
  ExpectSeekerListsAsBruteForce(index, world, Policy(), &nonempty);
  EXPECT_GT(nonempty, world.seekers.size() / 4);
}

TEST(MatchIndexTest, VacanciesMovedRekeyedAndReplacedRankAsBruteForce) {
  // A seeker's scan runs the key rules and the bound on the copies of each
  // vacancy's key and terms its cell entry carries: after rounds of moves,
  // changes of every key field and of the terms, removals and new vacancies
  // in freed slots, every seeker's list still equals brute force.
  RandomWorld world(300, 400, 21);
  MatchIndex index(&TestScorer(), Policy());
  for (const auto& s : world.seekers) index.UpsertSeeker(s);
  for (const auto& v : world.vacancies) index.UpsertVacancy(v);
  std::mt19937 rng(22);
  const Taxonomy& taxonomy = TestScorer().taxonomy();
  int next_id = 0;
  for (int round = 0; round < 3; ++round) {
    for (VacancyProfile& v : world.vacancies) {
      switch (rng() % 8) {
        case 0: v.workplace = testing::PlaceOf(kPostalCodes[rng() % std::size(kPostalCodes)]); break;
        case 1: v.open = !v.open; break;
        case 2:
          v.kind = static_cast<VacancyKind>(1 + rng() % 7);
          if (IsDevelopmentPlacement(v.kind)) v.duration_weeks = static_cast<int>(rng() % 60);
          break;
        case 3: v.hours_per_week = 10 + static_cast<int>(rng() % 30); break;
        case 4: v.remote_share_percent = v.remote_share_percent >= 100 ? 0 : 100; break;
        case 5: v.valid_until = Now() + absl::Hours(static_cast<int>(rng() % 48) - 24); break;
        case 6:
          v.min_education_level = static_cast<int>(rng() % 7);
          v.optional_skills.clear();
          if (v.esco != kNoOccupation && rng() % 2 == 0) {
            v.optional_skills = taxonomy.occupation(v.esco).optional;
          }
          PrepareVacancy(taxonomy, &v);
          break;
        default: continue;
      }
      index.UpsertVacancy(v);
    }
    // Some go, and as many new ones take their slots.
    for (int i = 0; i < 40; ++i) {
      const size_t at = rng() % world.vacancies.size();
      ASSERT_TRUE(index.RemoveVacancy(world.vacancies[at].id));
      VacancyProfile fresh = world.vacancies[rng() % world.vacancies.size()];
      fresh.id = "new" + std::to_string(next_id++);
      fresh.workplace = testing::PlaceOf(kPostalCodes[rng() % std::size(kPostalCodes)]);
      world.vacancies[at] = fresh;
      index.UpsertVacancy(fresh);
    }
    size_t nonempty = 0;
    ExpectSeekerListsAsBruteForce(index, world, Policy(), &nonempty);
    EXPECT_GT(nonempty, world.seekers.size() / 4) << "round " << round;
  }
}

TEST(MatchIndexTest, PagingContinuesTheRankingWithoutGapsOrRepeats) {
  RandomWorld world(1, 300, 11);
  MatchIndex index(&TestScorer(), Policy());
  SeekerProfile s = MakeSeeker("me", 8200, 9112);
  s.max_commute_minutes = 240;
  index.UpsertSeeker(s);
  for (const auto& v : world.vacancies) index.UpsertVacancy(v);
  auto all = index.TopVacanciesForSeeker("me", Query(30));
  ASSERT_TRUE(all.ok());
  ASSERT_GT(all->matches.size(), 12u);
  MatchQuery page2 = Query(6);
  page2.offset = 6;
  auto second = index.TopVacanciesForSeeker("me", page2);
  ASSERT_TRUE(second.ok());
  for (size_t i = 0; i < second->matches.size(); ++i) {
    EXPECT_EQ(second->matches[i].id, all->matches[6 + i].id);
    EXPECT_EQ(second->matches[i].rank, 7 + i);
  }
}

TEST(MatchIndexTest, FiltersByKindMunicipalityAndMinimumScore) {
  MatchIndex index(&TestScorer(), Policy());
  index.UpsertSeeker(MakeSeeker("s", 8200, 9112));
  VacancyProfile praktik = MakeVacancy("praktik", 8000, 9112);
  praktik.kind = VacancyKind::kVirksomhedspraktik;
  index.UpsertVacancy(praktik);
  index.UpsertVacancy(MakeVacancy("skanderborg", 8660, 9112));
  MatchQuery q = Query(10);
  q.filters.vacancy_kinds = 1u << static_cast<int>(VacancyKind::kVirksomhedspraktik);
  auto r = index.TopVacanciesForSeeker("s", q);
  ASSERT_EQ(r->matches.size(), 1u);
  EXPECT_EQ(r->matches[0].id, "praktik");
  q = Query(10);
  q.filters.municipalities = {746};  // Skanderborg
  r = index.TopVacanciesForSeeker("s", q);
  ASSERT_EQ(r->matches.size(), 1u);
  EXPECT_EQ(r->matches[0].id, "skanderborg");
  q = Query(10);
  q.filters.min_score = 0.99;
  EXPECT_TRUE(index.TopVacanciesForSeeker("s", q)->matches.empty());
}

TEST(MatchIndexTest, PastDeadlineStopsScoring) {
  RandomWorld world(1, 1200, 3);
  MatchIndex index(&TestScorer(), Policy());
  SeekerProfile s = MakeSeeker("s", 8200, 9112);
  index.UpsertSeeker(s);
  for (auto v : world.vacancies) {
    v.isco = 9112;
    index.UpsertVacancy(v);
  }
  MatchQuery q = Query(10);
  q.deadline = absl::Now() - absl::Seconds(1);
  EXPECT_EQ(index.TopVacanciesForSeeker("s", q).status().code(),
            absl::StatusCode::kDeadlineExceeded);
}

TEST(MatchIndexTest, CancellationCallbackStopsScoring) {
  RandomWorld world(1, 1200, 3);
  MatchIndex index(&TestScorer(), Policy());
  index.UpsertSeeker(MakeSeeker("s", 8200, 9112));
  for (auto v : world.vacancies) {
    v.isco = 9112;
    v.esco = kNoOccupation;
    // Past the candidate step's one-sided rules, so that enough are scored
    // for the callback to be asked twice.
    v.kind = VacancyKind::kOrdinary;
    v.open = true;
    v.required_licences = 0;
    v.starts = absl::InfinitePast();
    index.UpsertVacancy(v);
  }
  // A list long enough that the score bound stops nothing early.
  MatchQuery q = Query(1000);
  int calls = 0;
  q.cancelled = [&calls] { return ++calls >= 2; };
  EXPECT_EQ(index.TopVacanciesForSeeker("s", q).status().code(), absl::StatusCode::kCancelled);
  EXPECT_EQ(calls, 2);
}

TEST(MatchIndexTest, ConcurrentQueriesAndUpdatesStayConsistent) {
  RandomWorld world(300, 300, 17);
  MatchIndex index(&TestScorer(), Policy());
  for (const auto& s : world.seekers) index.UpsertSeeker(s);
  for (const auto& v : world.vacancies) index.UpsertVacancy(v);
  std::atomic<bool> stop{false};
  std::atomic<size_t> queries{0}, bad{0};
  auto reader = [&](int t) {
    std::mt19937 rng(t);
    while (!stop) {
      const auto& s = world.seekers[rng() % world.seekers.size()];
      auto r = index.TopVacanciesForSeeker(s.id, Query(10));
      if (r.ok()) {
        for (size_t i = 1; i < r->matches.size(); ++i) {
          // Every list is ranked, whatever writers do meanwhile.
          bad += r->matches[i].score.seeker_view_total >
                 r->matches[i - 1].score.seeker_view_total;
        }
      }
      const auto& v = world.vacancies[rng() % world.vacancies.size()];
      auto w = index.TopSeekersForVacancy(v.id, Query(10));
      bad += !w.ok() && w.status().code() != absl::StatusCode::kNotFound;
      ++queries;
    }
  };
  std::vector<std::thread> readers;
  for (int t = 0; t < 3; ++t) readers.emplace_back(reader, t);
  // The writer: remove, re-add and move records while the readers query; it
  // goes on until the readers have queried meanwhile (on a loaded machine
  // they may get no time slice during the first rounds).
  std::mt19937 rng(99);
  const absl::Time give_up = absl::Now() + absl::Seconds(60);
  for (int round = 0; round < 400 || (queries < 50 && absl::Now() < give_up); ++round) {
    VacancyProfile v = world.vacancies[rng() % world.vacancies.size()];
    index.RemoveVacancy(v.id);
    v.workplace = testing::PlaceOf(kPostalCodes[rng() % std::size(kPostalCodes)]);
    index.UpsertVacancy(v);
    SeekerProfile s = world.seekers[rng() % world.seekers.size()];
    if (round % 2 == 0) index.RemoveSeeker(s.id);
    index.UpsertSeeker(s);
  }
  stop = true;
  for (auto& t : readers) t.join();
  EXPECT_EQ(bad.load(), 0u);
  EXPECT_GE(queries.load(), 50u);
  EXPECT_EQ(index.seeker_count(), world.seekers.size());
  EXPECT_EQ(index.vacancy_count(), world.vacancies.size());
  // After the writes the index still equals brute force over what it holds.
  for (int k = 0; k < 20; ++k) {
    const SeekerProfile s = *index.GetSeeker(world.seekers[k].id);
    std::vector<std::pair<std::string, double>> want;
    for (const auto& vv : world.vacancies) {
      const VacancyProfile v = *index.GetVacancy(vv.id);
      const Score sc = TestScorer().Evaluate(s, v, Policy(), Now(), Scorer::Detail::kTotals);
      if (sc.feasible()) want.push_back({v.id, sc.seeker_view_total});
    }
    std::sort(want.begin(), want.end(), [](const auto& a, const auto& b) {
      return a.second != b.second ? a.second > b.second : a.first < b.first;
    });
    if (want.size() > 10) want.resize(10);
    auto got = index.TopVacanciesForSeeker(s.id, Query(10));
    ASSERT_TRUE(got.ok());
    ASSERT_EQ(got->matches.size(), want.size());
    for (size_t i = 0; i < want.size(); ++i) EXPECT_EQ(got->matches[i].id, want[i].first);
  }
}

TEST(MatchIndexTest, WhyNotNamesTheConstraintOrTheCutoff) {
  MatchIndex index(&TestScorer(), Policy());
  index.UpsertSeeker(MakeSeeker("near", 8200, 9112));
  SeekerProfile far = MakeSeeker("far", 9000, 9112);  // Aalborg
  index.UpsertSeeker(far);
  SeekerProfile weaker = MakeSeeker("weaker", 8210, 9112);
  weaker.skills.resize(weaker.skills.size() / 3);
  index.UpsertSeeker(weaker);
  index.UpsertVacancy(MakeVacancy("v", 8000, 9112));

  auto why = index.WhyNot("far", "v", /*seeker_side=*/false, Query(5));
  ASSERT_TRUE(why.ok());
  EXPECT_EQ(why->kind, WhyNotResult::Kind::kInfeasible);
  EXPECT_NE(why->explanation.find("COMMUTE_TOO_LONG"), std::string::npos) << why->explanation;

  why = index.WhyNot("weaker", "v", false, Query(1));
  ASSERT_TRUE(why.ok());
  EXPECT_EQ(why->kind, WhyNotResult::Kind::kBelowCutoff);
  EXPECT_GT(why->cutoff, why->score.total);

  why = index.WhyNot("near", "v", false, Query(1));
  EXPECT_EQ(why->kind, WhyNotResult::Kind::kInList);
  EXPECT_EQ(why->rank, 1u);
}

}  // namespace
}  // namespace jobmatch::matcher

namespace jobmatch::matcher {
namespace {

TEST(MatchIndexBulkTest, BulkTopKEqualsLiveQueriesInBothDirections) {
  RandomWorld world(300, 250, 21);
  MatchIndex index(&TestScorer(), Policy());
  for (const auto& s : world.seekers) index.UpsertSeeker(s);
  for (const auto& v : world.vacancies) index.UpsertVacancy(v);
  index.RemoveSeeker("s3");
  BulkTopKOptions options;
  options.k = 7;
  options.threads = 3;
  options.now = Now();
  size_t last_progress = 0;
  std::mutex progress_mu;
  options.progress = [&](size_t done, size_t) {
    std::lock_guard<std::mutex> lock(progress_mu);
    last_progress = std::max(last_progress, done);
  };
  auto bulk = index.BulkTopK(options);
  ASSERT_TRUE(bulk.ok()) << bulk.status();
  EXPECT_EQ(bulk->vacancies_for_seeker.size(), 299u);
  EXPECT_EQ(bulk->seekers_for_vacancy.size(), 250u);
  EXPECT_GE(last_progress, 299u);
  EXPECT_GT(bulk->feasible_pairs, 0u);
  size_t compared = 0;
  for (const auto& [seeker_id, ranked] : bulk->vacancies_for_seeker) {
    auto live = index.TopVacanciesForSeeker(seeker_id, Query(7));
    ASSERT_TRUE(live.ok());
    ASSERT_EQ(live->matches.size(), ranked.size()) << seeker_id;
    for (size_t i = 0; i < ranked.size(); ++i) {
      EXPECT_EQ(live->matches[i].id, ranked[i].id) << seeker_id << " rank " << i + 1;
      EXPECT_EQ(live->matches[i].score.seeker_view_total, ranked[i].score);
      ++compared;
    }
  }
  for (const auto& [vacancy_id, ranked] : bulk->seekers_for_vacancy) {
    auto live = index.TopSeekersForVacancy(vacancy_id, Query(7));
    ASSERT_TRUE(live.ok());
    ASSERT_EQ(live->matches.size(), ranked.size()) << vacancy_id;
    for (size_t i = 0; i < ranked.size(); ++i) {
      EXPECT_EQ(live->matches[i].id, ranked[i].id) << vacancy_id << " rank " << i + 1;
      EXPECT_EQ(live->matches[i].score.total, ranked[i].score);
      ++compared;
    }
  }
  EXPECT_GT(compared, 500u);
}

// Bulk lists equal the live queries' for every seeker and vacancy.
void ExpectBulkEqualsLive(const MatchIndex& index, size_t k, int threads) {
  BulkTopKOptions options;
  options.k = k;
  options.threads = threads;
  options.now = Now();
  auto bulk = index.BulkTopK(options);
  ASSERT_TRUE(bulk.ok()) << bulk.status();
  for (const auto& [seeker_id, ranked] : bulk->vacancies_for_seeker) {
    auto live = index.TopVacanciesForSeeker(seeker_id, Query(k));
    ASSERT_TRUE(live.ok());
    ASSERT_EQ(live->matches.size(), ranked.size()) << seeker_id;
    for (size_t i = 0; i < ranked.size(); ++i) {
      EXPECT_EQ(live->matches[i].id, ranked[i].id) << seeker_id << " rank " << i + 1;
      EXPECT_EQ(live->matches[i].score.seeker_view_total, ranked[i].score);
    }
  }
  for (const auto& [vacancy_id, ranked] : bulk->seekers_for_vacancy) {
    auto live = index.TopSeekersForVacancy(vacancy_id, Query(k));
    ASSERT_TRUE(live.ok());
    ASSERT_EQ(live->matches.size(), ranked.size()) << vacancy_id;
    for (size_t i = 0; i < ranked.size(); ++i) {
      EXPECT_EQ(live->matches[i].id, ranked[i].id) << vacancy_id << " rank " << i + 1;
      EXPECT_EQ(live->matches[i].score.total, ranked[i].score);
    }
  }
}

TEST(MatchIndexBulkTest, TiesAtTheCutoffBreakByIdAsInLiveQueries) {
  // Identical seekers and identical vacancies in one place: every pair has
  // the same score, so each list's k-th entry ties with all the others and
  // only the ids decide. The ids sort differently from their insertion
  // order ("s10" < "s9"), and removals and re-insertions reuse slots, so
  // the pass's order, the slot order and the id order all differ.
  MatchIndex index(&TestScorer(), Policy());
  for (int i = 0; i < 40; ++i) {
    index.UpsertSeeker(MakeSeeker("s" + std::to_string(39 - i), 8000, 9112));
    index.UpsertVacancy(MakeVacancy("v" + std::to_string((i * 7) % 40), 8000, 9112));
  }
  for (int i = 0; i < 40; i += 3) {
    index.RemoveSeeker("s" + std::to_string(i));
    index.RemoveVacancy("v" + std::to_string(i));
  }
  for (int i = 0; i < 40; i += 6) {
    index.UpsertSeeker(MakeSeeker("s" + std::to_string(i), 8000, 9112));
    index.UpsertVacancy(MakeVacancy("v" + std::to_string(i), 8000, 9112));
  }
  // A few that tie among themselves a little lower (a longer commute).
  for (int i = 0; i < 5; ++i) index.UpsertSeeker(MakeSeeker("t" + std::to_string(i), 8660, 9112));
  for (size_t k : {1, 5, 20}) {
    for (int threads : {1, 2, 3}) {
      SCOPED_TRACE(::testing::Message() << "k=" << k << " threads=" << threads);
      ExpectBulkEqualsLive(index, k, threads);
    }
  }
}

TEST(MatchIndexBulkTest, CancelStopsThePass) {
  RandomWorld world(2000, 50, 5);
  MatchIndex index(&TestScorer(), Policy());
  for (const auto& s : world.seekers) index.UpsertSeeker(s);
  for (const auto& v : world.vacancies) index.UpsertVacancy(v);
  std::atomic<bool> cancel{true};
  BulkTopKOptions options;
  options.now = Now();
  options.cancel = &cancel;
  EXPECT_EQ(index.BulkTopK(options).status().code(), absl::StatusCode::kCancelled);
}

}  // namespace
}  // namespace jobmatch::matcher

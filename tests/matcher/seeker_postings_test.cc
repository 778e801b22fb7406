// A group's seeker postings (matcher/seeker_postings.h) against brute force:
// the entries of the buckets a vacancy's scan reads, after each entry's own
// reach test, are exactly the seekers whose reach takes in the workplace --
// after inserts, erases and re-inserts (each entry's skills still its own), with homes on several landmasses
// and outside Denmark's box, and for fully remote jobs.
#include "matcher/seeker_postings.h"

#include <algorithm>
#include <random>
#include <vector>

#include "gtest/gtest.h"
#include "matcher/candidate_scan.h"

namespace jobmatch::matcher {
namespace {

bool Reaches(const SeekerEntry& e, int32_t x, int32_t y, Landmass at) {
  return CandidateStep<false>::WithinReach(e.x, e.y, e.landmass == at, e.same_reach2,
                                           e.other_reach2, x, y);
}

SeekerEntry RandomEntry(std::mt19937* rng, uint32_t index) {
  SeekerEntry e;
  e.index = index;
  const bool outside = index % 40 == 0;  // clamped into border squares
  e.x = outside ? static_cast<int32_t>((*rng)() % 3'000'000) - 500'000
                : 440'000 + static_cast<int32_t>((*rng)() % 460'000);
  e.y = outside ? 4'000'000 + static_cast<int32_t>((*rng)() % 4'000'000)
                : 6'040'000 + static_cast<int32_t>((*rng)() % 370'000);
  e.landmass = static_cast<Landmass>((*rng)() % 4);
  // Mostly local reach, some long (car, an hour), a few none at all.
  const double same = (*rng)() % 10 == 0 ? 0.0 : 2'000.0 + (*rng)() % ((*rng)() % 5 == 0 ? 120'000 : 25'000);
  const double other = (*rng)() % 3 == 0 ? 0.0 : same * ((*rng)() % 100) / 100.0;
  e.same_reach2 = same * same;
  e.other_reach2 = other * other;
  e.terms.education_level = static_cast<int32_t>(index);  // a marker the copy must keep
  e.terms.skill_count = index % 7;                          // see SkillsOf
  return e;
}

// An entry's skills: its own, so that a scan can tell them apart.
std::vector<SkillId> SkillsOf(const SeekerEntry& e) {
  std::vector<SkillId> skills;
  for (uint32_t j = 0; j < e.terms.skill_count; ++j) skills.push_back(e.index * 10 + j);
  return skills;
}

void Insert(SeekerPostings* postings, const SeekerEntry& e) {
  const std::vector<SkillId> skills = SkillsOf(e);
  postings->Insert(e, skills.data());
}

// The seekers a vacancy at (x, y) on `at` can have, as the scan finds them.
std::vector<uint32_t> Scan(const SeekerPostings& postings, int32_t x, int32_t y, Landmass at,
                           bool remote, size_t* read = nullptr) {
  std::vector<uint32_t> got;
  postings.ForEachBucketInReach(x, y, at, remote, [&](const SeekerEntry* e, const SeekerEntry* end,
                                                      const SkillId* skills,
                                                      const SeekerReach* reach) {
    for (; e != end; ++e, ++reach) {
      if (read != nullptr) ++*read;
      EXPECT_EQ(reach->x, e->x) << "seeker " << e->index << "'s compact copy is its own";
      EXPECT_EQ(reach->y, e->y) << "seeker " << e->index << "'s compact copy is its own";
      if (Reaches(*e, x, y, at)) {
        EXPECT_TRUE(SeekerPostings::MayReach(*reach, x, y))
            << "seeker " << e->index << " reaches " << x << "," << y << " but MayReach says no";
      }
      EXPECT_EQ(e->terms.education_level, static_cast<int32_t>(e->index))
          << "the entry's copy is its own";
      EXPECT_EQ(std::vector<SkillId>(skills + e->terms.skills_at,
                                     skills + e->terms.skills_at + e->terms.skill_count),
                SkillsOf(*e))
          << "seeker " << e->index << "'s skills, after the bucket's erasures";
      if (remote || Reaches(*e, x, y, at)) got.push_back(e->index);
    }
  });
  std::sort(got.begin(), got.end());
  return got;
}

TEST(SeekerPostingsTest, CompactReachIsNeverBelowEitherReach) {
  // The float copy rounds up: a reach whose square a float cannot hold
  // exactly (most of them) must not shrink, or MayReach would drop a
  // seeker on the edge of their reach.
  std::mt19937 rng(9);
  int inexact = 0;
  for (uint32_t i = 0; i < 20000; ++i) {
    const SeekerEntry e = RandomEntry(&rng, i);
    const double reach2 = static_cast<double>(SeekerPostings::ReachOf(e).reach2);
    EXPECT_GE(reach2, e.same_reach2) << "entry " << i;
    EXPECT_GE(reach2, e.other_reach2) << "entry " << i;
    inexact += static_cast<double>(static_cast<float>(std::max(e.same_reach2, e.other_reach2))) <
               std::max(e.same_reach2, e.other_reach2);
  }
  EXPECT_GT(inexact, 1000) << "the data has squares a float rounds down";
}

TEST(SeekerPostingsTest, BucketsInReachHoldExactlyTheSeekersWhoReachTheWorkplace) {
  std::mt19937 rng(18);
  std::vector<SeekerEntry> all;  // by index; alive[i] says whether posted
  std::vector<bool> alive;
  SeekerPostings postings;
  for (uint32_t i = 0; i < 6000; ++i) {
    all.push_back(RandomEntry(&rng, i));
    alive.push_back(true);
    Insert(&postings, all.back());
  }
  // Erase a third, move some (erase, then insert elsewhere), as upserts do.
  for (uint32_t i = 0; i < 6000; i += 3) {
    ASSERT_TRUE(postings.Erase(i, all[i].x, all[i].y));
    EXPECT_FALSE(postings.Erase(i, all[i].x, all[i].y)) << "erased once";
    alive[i] = false;
    if (i % 2 == 0) {
      all[i] = RandomEntry(&rng, i);
      Insert(&postings, all[i]);
      alive[i] = true;
    }
  }
  size_t expected_size = 0;
  for (bool a : alive) expected_size += a;
  EXPECT_EQ(postings.size(), expected_size);

  size_t skipped_some = 0;
  for (int q = 0; q < 400; ++q) {
    const int32_t x = 400'000 + static_cast<int32_t>(rng() % 520'000);
    const int32_t y = 6'000'000 + static_cast<int32_t>(rng() % 440'000);
    const Landmass at = static_cast<Landmass>(rng() % 4);
    const bool remote = q % 25 == 0;
    std::vector<uint32_t> want;
    for (uint32_t i = 0; i < all.size(); ++i) {
      if (alive[i] && (remote || Reaches(all[i], x, y, at))) want.push_back(i);
    }
    size_t read = 0;
    EXPECT_EQ(Scan(postings, x, y, at, remote, &read), want)
        << "query " << q << " at " << x << "," << y;
    if (remote) {
      EXPECT_EQ(read, postings.size()) << "a fully remote job reads every bucket";
    } else if (read < postings.size()) {
      ++skipped_some;
    }
  }
  EXPECT_GT(skipped_some, 300u) << "far buckets are skipped whole";
}

TEST(SeekerPostingsTest, ABucketKeepsTheReachOfThoseLeftInIt) {
  // Two seekers in one bucket: one who reaches far, one who does not. Once
  // the far-reaching one is gone, the bucket is skipped for a far workplace.
  SeekerPostings postings;
  SeekerEntry near, far;
  near.index = 1;
  far.index = 2;
  near.terms.education_level = 1;
  far.terms.education_level = 2;
  near.x = far.x = 600'000;
  near.y = far.y = 6'200'000;
  near.same_reach2 = 5'000.0 * 5'000.0;
  far.same_reach2 = 90'000.0 * 90'000.0;
  Insert(&postings, near);
  Insert(&postings, far);
  ASSERT_EQ(postings.bucket_count(), 1u);
  size_t read = 0;
  EXPECT_EQ(Scan(postings, 660'000, 6'200'000, Landmass::kJutland, false, &read),
            std::vector<uint32_t>{2});
  EXPECT_EQ(read, 2u);
  ASSERT_TRUE(postings.Erase(2, far.x, far.y));
  read = 0;
  EXPECT_TRUE(Scan(postings, 660'000, 6'200'000, Landmass::kJutland, false, &read).empty());
  EXPECT_EQ(read, 0u) << "the bucket's reach shrank with the far-reaching seeker gone";
  // On another landmass the seeker's other-landmass reach counts.
  read = 0;
  EXPECT_TRUE(Scan(postings, 601'000, 6'200'000, Landmass::kFunen, false, &read).empty());
  EXPECT_EQ(read, 0u) << "no reach to another landmass";
  EXPECT_EQ(Scan(postings, 601'000, 6'200'000, Landmass::kJutland, false),
            std::vector<uint32_t>{1});
  ASSERT_TRUE(postings.Erase(1, near.x, near.y));
  EXPECT_EQ(postings.bucket_count(), 0u) << "an empty bucket goes";
}

}  // namespace
}  // namespace jobmatch::matcher

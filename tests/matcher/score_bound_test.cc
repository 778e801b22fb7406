// Scorer::UpperBound, the bound the scans prune with: never below
// Evaluate's totals, for every pair of generated data, every skill path and
// several policies; and tight enough to prune.
#include <algorithm>
#include <random>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "gtest/gtest.h"
#include "matcher/scorer.h"
#include "tests/matcher/matcher_fixture.h"
#include "tests/matcher/random_world.h"

namespace jobmatch::matcher {
namespace {

using testing::Data;
using testing::Now;
using testing::RandomWorld;
using testing::TestScorer;

// RandomWorld with more of what the bound reads varied: seekers without
// recorded skills, education levels, hour ranges, avoided demands;
// vacancies with optional skills, a minimum education and demands.
RandomWorld VariedWorld() {
  RandomWorld w(500, 400, 29);
  std::mt19937 rng(31);
  const Taxonomy& t = *Data().taxonomy;
  for (SeekerProfile& s : w.seekers) {
    if (rng() % 8 == 0) s.skills.clear();
    if (rng() % 2 == 0) {
      // Far enough to reach most of the vacancies: many feasible pairs.
      s.transport_modes |= 1u << static_cast<int>(TransportMode::kCar);
      s.max_commute_minutes = 120 + static_cast<int>(rng() % 120);
    }
    s.education_level = static_cast<int>(rng() % 8);
    s.min_hours_per_week = 10 + static_cast<int>(rng() % 20);
    s.max_hours_per_week = s.min_hours_per_week + static_cast<int>(rng() % 15);
    if (rng() % 6 == 0) s.excluded_demands_soft = static_cast<uint16_t>(rng() & 0x0FFE);
    PrepareSeeker(t, &s);
  }
  for (VacancyProfile& v : w.vacancies) {
    if (rng() % 2 == 0 && v.esco != kNoOccupation) v.optional_skills = t.occupation(v.esco).optional;
    if (rng() % 3 == 0) v.min_education_level = static_cast<int>(rng() % 7);
    if (rng() % 4 == 0) v.demands_occasional = static_cast<uint16_t>(rng() & 0x0FFE);
    if (rng() % 10 == 0) v.essential_skills.clear();
    PrepareVacancy(t, &v);
  }
  return w;
}

struct Checked {
  size_t pairs = 0;        // feasible pairs of covered vacancies
  size_t below_one = 0;    // whose bound on the total is below 1
  size_t not_covered = 0;  // feasible pairs of vacancies the bound leaves out
  size_t development = 0;  // of them, development placements with the development part
  size_t development_below_one = 0;
  size_t development_tighter = 0;  // whose bound from terms is below the record's
  size_t violations = 0;   // a bound below a total (each reported)
};

Checked CheckEveryPair(const RandomWorld& w, const Policy& policy) {
  const Scorer& scorer = TestScorer();
  Checked checked;
  SeekerSkillBits bits;
  VacancySkillLookup lookup;
  for (const VacancyProfile& v : w.vacancies) {
    lookup.Assign(scorer.taxonomy(), v);
    for (const SeekerProfile& s : w.seekers) {
      bits.Assign(scorer.taxonomy(), s);
      const Score score = scorer.Evaluate(s, v, policy, Now(), Scorer::Detail::kTotals);
      if (!score.feasible()) continue;
      if (!Scorer::BoundCovers(v)) {
        ++checked.not_covered;
        continue;
      }
      ++checked.pairs;
      // Each skill path the scans use, with the commute unknown and known.
      const auto trip = scorer.CommuteIfWithinLimit(s.home, v.workplace, s.transport_modes,
                                                    s.max_commute_minutes);
      const bool remote = v.remote_share_percent >= 100;
      const CommuteEstimate* known = remote ? nullptr : &*trip;
      const Scorer::Bound bounds[] = {
          scorer.UpperBound(s, v, policy, nullptr, nullptr),
          scorer.UpperBound(s, v, policy, &bits, nullptr),
          scorer.UpperBound(s, v, policy, nullptr, &lookup),
          scorer.UpperBound(s, v, policy, &bits, nullptr, true, known),
          scorer.UpperBound(s, v, policy, nullptr, &lookup, true, known),
      };
      auto check = [&](double bound, double total, const char* what) {
        if (bound >= total) return;
        if (++checked.violations <= 10) {
          ADD_FAILURE() << what << ": bound " << bound << " < " << total << " for " << s.id
                        << " / " << v.id;
        }
      };
      for (const Scorer::Bound& b : bounds) {
        check(b.total, score.total, "total");
        check(b.seeker_view_total, score.seeker_view_total, "seeker_view_total");
      }
      // From the seeker's terms (what a vacancy's scan reads instead of the
      // record): the lookup path's bound up to the rounding of the credits'
      // sums, and never below the totals.
      const Scorer::Bound from_terms =
          scorer.UpperBound(TermsOf(s), s.skills.data(), v, policy, lookup);
      // For a development placement at most that: its development part
      // counts only the missing essential skills related to one held.
      if (HasDevelopmentPart(v)) {
        EXPECT_LE(from_terms.total, bounds[2].total + 1e-12) << s.id << " / " << v.id;
        if (from_terms.total < bounds[2].total - 1e-12) ++checked.development_tighter;
      } else {
        EXPECT_NEAR(from_terms.total, bounds[2].total, 1e-12) << s.id << " / " << v.id;
        EXPECT_NEAR(from_terms.seeker_view_total, bounds[2].seeker_view_total, 1e-12)
            << s.id << " / " << v.id;
      }
      check(from_terms.total, score.total, "total, terms");
      check(from_terms.seeker_view_total, score.seeker_view_total, "seeker view, terms");
      // From the vacancy's terms and pooled skills (what a seeker's scan
      // reads instead of the record): the bits path's bound exactly.
      const std::vector<SkillId> essential = v.essential_skills, optional = v.optional_skills;
      const Scorer::Bound from_vacancy_terms =
          scorer.UpperBound(s, TermsOf(v), essential.data(), optional.data(), policy, bits);
      EXPECT_EQ(from_vacancy_terms.total, bounds[1].total) << s.id << " / " << v.id;
      EXPECT_EQ(from_vacancy_terms.seeker_view_total, bounds[1].seeker_view_total)
          << s.id << " / " << v.id;
      if (HasDevelopmentPart(v)) {
        ++checked.development;
        if (bounds[0].total < 1.0) ++checked.development_below_one;
      }
      // Scored by the fast paths too (the scans' Evaluate calls).
      const Score fast = scorer.Evaluate(s, v, policy, Now(), Scorer::Detail::kTotals, &bits,
                                         std::nullopt, nullptr, known);
      check(bounds[1].total, fast.total, "total, bits");
      check(bounds[3].seeker_view_total, fast.seeker_view_total, "seeker view, bits, trip");
      const Score by_lookup = scorer.Evaluate(s, v, policy, Now(), Scorer::Detail::kTotals,
                                              nullptr, std::nullopt, &lookup, known);
      EXPECT_EQ(by_lookup.total, score.total) << "the lookup's credits exactly, " << s.id
                                              << " / " << v.id;
      check(bounds[2].total, by_lookup.total, "total, lookup");
      check(bounds[4].total, by_lookup.total, "total, lookup, trip");
      if (bounds[0].total < 1.0) ++checked.below_one;
    }
  }
  return checked;
}

// Expects the same totals and the same parts, texts included, bit for bit.
void ExpectSameTotalsAndParts(const Score& a, const Score& b, const std::string& pair) {
  EXPECT_EQ(a.total, b.total) << pair;
  EXPECT_EQ(a.seeker_view_total, b.seeker_view_total) << pair;
  EXPECT_EQ(a.requirements_fit, b.requirements_fit) << pair;
  EXPECT_EQ(a.preference_fit, b.preference_fit) << pair;
  ASSERT_EQ(a.parts.size(), b.parts.size()) << pair;
  for (size_t i = 0; i < b.parts.size(); ++i) {
    EXPECT_EQ(a.parts[i].reason, b.parts[i].reason) << pair;
    EXPECT_EQ(a.parts[i].value, b.parts[i].value) << pair;
    EXPECT_EQ(a.parts[i].weight, b.parts[i].weight) << pair;
    EXPECT_EQ(a.parts[i].contribution, b.parts[i].contribution) << pair;
    EXPECT_EQ(a.parts[i].evidence, b.parts[i].evidence) << pair;
  }
}

// Expects `fast` (through a lookup or bits) to explain the pair exactly as
// `plain` (through the sorted vectors); counts the partial credits seen.
void ExpectSameExplanation(const Score& fast, const Score& plain, const std::string& pair,
                           size_t* partial) {
  ExpectSameTotalsAndParts(fast, plain, pair);
  ASSERT_EQ(fast.matched_skills.size(), plain.matched_skills.size()) << pair;
  for (size_t i = 0; i < plain.matched_skills.size(); ++i) {
    EXPECT_EQ(fast.matched_skills[i].skill, plain.matched_skills[i].skill) << pair;
    EXPECT_EQ(fast.matched_skills[i].via, plain.matched_skills[i].via) << pair;
    EXPECT_EQ(fast.matched_skills[i].credit, plain.matched_skills[i].credit) << pair;
    *partial += plain.matched_skills[i].via != plain.matched_skills[i].skill;
  }
  EXPECT_EQ(fast.missing_skills, plain.missing_skills) << pair;
  EXPECT_EQ(fast.missing_optional_skills, plain.missing_optional_skills) << pair;
  EXPECT_EQ(fast.development_skills, plain.development_skills) << pair;
}

TEST(ScoreBoundTest, ExplanationsThroughTheLookupEqualTheSortedVectors) {
  // A vacancy's list is explained through its skill lookup: the same
  // values, matched skills (with the seeker's skill named for a partial
  // credit), missing skills and evidence as through the sorted vectors.
  const RandomWorld w = VariedWorld();
  const Scorer& scorer = TestScorer();
  VacancySkillLookup lookup;
  size_t explained = 0, partial = 0;
  for (const VacancyProfile& v : w.vacancies) {
    lookup.Assign(scorer.taxonomy(), v);
    for (const SeekerProfile& s : w.seekers) {
      const Score plain = scorer.Evaluate(s, v, Policy(), Now(), Scorer::Detail::kExplain);
      if (!plain.feasible()) continue;
      const Score fast = scorer.Evaluate(s, v, Policy(), Now(), Scorer::Detail::kExplain, nullptr,
                                         std::nullopt, &lookup);
      ++explained;
      ExpectSameExplanation(fast, plain, s.id + " / " + v.id, &partial);
    }
  }
  EXPECT_GT(explained, 2000u);
  EXPECT_GT(partial, 100u);  // partial credits, whose `via` the lookup names
}

TEST(ScoreBoundTest, ExplanationsThroughTheSeekerBitsEqualTheSortedVectors) {
  // A seeker's list is explained through their credit levels: the same
  // values, matched skills (with the seeker's skill named for a partial
  // credit: SeekerSkillBits::Via), missing skills and evidence as through
  // the sorted vectors.
  const RandomWorld w = VariedWorld();
  const Scorer& scorer = TestScorer();
  SeekerSkillBits bits;
  size_t explained = 0, partial = 0;
  for (const SeekerProfile& s : w.seekers) {
    bits.Assign(scorer.taxonomy(), s);
    for (const VacancyProfile& v : w.vacancies) {
      const Score plain = scorer.Evaluate(s, v, Policy(), Now(), Scorer::Detail::kExplain);
      if (!plain.feasible()) continue;
      const Score fast =
          scorer.Evaluate(s, v, Policy(), Now(), Scorer::Detail::kExplain, &bits);
      ++explained;
      ExpectSameExplanation(fast, plain, s.id + " / " + v.id, &partial);
    }
  }
  EXPECT_GT(explained, 2000u);
  EXPECT_GT(partial, 100u);  // partial credits, whose `via` the bits name
}

// `brief` is `full` without its per-skill lists and per-mode commutes:
// everything else an explanation shows is the same, bit for bit.
void ExpectBriefOf(const Score& brief, const Score& full, const std::string& pair) {
  EXPECT_EQ(brief.verdict, full.verdict) << pair;
  EXPECT_EQ(brief.blocker, full.blocker) << pair;
  EXPECT_EQ(brief.blocker_detail, full.blocker_detail) << pair;
  ExpectSameTotalsAndParts(brief, full, pair);
  ASSERT_EQ(brief.commute.has_value(), full.commute.has_value()) << pair;
  if (full.commute) {
    EXPECT_EQ(brief.commute->minutes, full.commute->minutes) << pair;
    EXPECT_EQ(brief.commute->mode, full.commute->mode) << pair;
  }
  EXPECT_EQ(brief.support_schemes, full.support_schemes) << pair;
  EXPECT_EQ(brief.needs_met, full.needs_met) << pair;
  EXPECT_EQ(brief.needs_to_check, full.needs_to_check) << pair;
  EXPECT_EQ(brief.fortrinsadgang, full.fortrinsadgang) << pair;
  EXPECT_EQ(brief.placement_rule, full.placement_rule) << pair;
  EXPECT_TRUE(brief.matched_skills.empty()) << pair;
  EXPECT_TRUE(brief.missing_skills.empty()) << pair;
  EXPECT_TRUE(brief.missing_optional_skills.empty()) << pair;
  EXPECT_TRUE(brief.development_skills.empty()) << pair;
  EXPECT_TRUE(brief.commute_by_mode.empty()) << pair;
}

TEST(ScoreBoundTest, BriefExplanationsAreTheFullOnesWithoutTheirLists) {
  // Scorer::Detail::kParts (a brief answer) through each way a pair is
  // explained -- the sorted vectors, a seeker's credit levels, a vacancy's
  // skill lookup -- against kExplain through the sorted vectors, for every
  // pair of a varied world, infeasible ones included.
  const RandomWorld w = VariedWorld();
  const Scorer& scorer = TestScorer();
  SeekerSkillBits bits;
  size_t feasible = 0, infeasible = 0, with_lists = 0, placements = 0;
  for (const SeekerProfile& s : w.seekers) {
    bits.Assign(scorer.taxonomy(), s);
    for (const VacancyProfile& v : w.vacancies) {
      const Score full = scorer.Evaluate(s, v, Policy(), Now(), Scorer::Detail::kExplain);
      const std::string pair = s.id + " / " + v.id;
      ExpectBriefOf(scorer.Evaluate(s, v, Policy(), Now(), Scorer::Detail::kParts), full, pair);
      ExpectBriefOf(scorer.Evaluate(s, v, Policy(), Now(), Scorer::Detail::kParts, &bits), full,
                    pair);
      ++(full.feasible() ? feasible : infeasible);
      with_lists += !full.matched_skills.empty() || !full.missing_skills.empty();
      placements += !full.development_skills.empty();
    }
    if (HasFailure()) return;
  }
  VacancySkillLookup lookup;
  for (const VacancyProfile& v : w.vacancies) {
    lookup.Assign(scorer.taxonomy(), v);
    for (const SeekerProfile& s : w.seekers) {
      ExpectBriefOf(scorer.Evaluate(s, v, Policy(), Now(), Scorer::Detail::kParts, nullptr,
                                    std::nullopt, &lookup),
                    scorer.Evaluate(s, v, Policy(), Now(), Scorer::Detail::kExplain),
                    s.id + " / " + v.id);
    }
    if (HasFailure()) return;
  }
  // The lists were there to leave out, and every kind of pair was seen.
  EXPECT_GT(feasible, 2000u);
  EXPECT_GT(infeasible, 2000u);
  EXPECT_GT(with_lists, 2000u);
  EXPECT_GT(placements, 50u);
}

TEST(ScoreBoundTest, EssentialCreditsKeptPerDistinctListGiveTheSameBounds) {
  // A seeker's scan sums each distinct essential list once (EssentialCredits,
  // by its place in a pool of distinct lists) and reuses the sum for every
  // other vacancy listing it: the same bounds, bit for bit, as summing each
  // vacancy's list, development placements' level counts included.
  const RandomWorld w = VariedWorld();
  const Scorer& scorer = TestScorer();
  absl::flat_hash_map<std::vector<SkillId>, uint32_t> places;
  for (const VacancyProfile& v : w.vacancies) {
    places.try_emplace(v.essential_skills, static_cast<uint32_t>(places.size()));
  }
  ASSERT_LT(places.size(), w.vacancies.size() / 2) << "too few shared lists to prove anything";
  SeekerSkillBits bits;
  EssentialCredits credits;
  size_t development = 0;
  for (const SeekerProfile& s : w.seekers) {
    bits.Assign(scorer.taxonomy(), s);
    credits.Clear();
    for (const VacancyProfile& v : w.vacancies) {
      VacancyTerms terms = TermsOf(v);
      terms.essential_at = places.at(v.essential_skills);
      const Scorer::Bound summed = scorer.UpperBound(
          s, terms, v.essential_skills.data(), v.optional_skills.data(), Policy(), bits);
      const Scorer::Bound kept =
          scorer.UpperBound(s, terms, v.essential_skills.data(), v.optional_skills.data(),
                            Policy(), bits, &credits);
      ASSERT_EQ(kept.total, summed.total) << s.id << " / " << v.id;
      ASSERT_EQ(kept.seeker_view_total, summed.seeker_view_total) << s.id << " / " << v.id;
      development += HasDevelopmentPart(v);
    }
  }
  EXPECT_GT(development, 1000u);
}

TEST(ScoreBoundTest, NeverBelowTheTotalsOfAnyPair) {
  const RandomWorld w = VariedWorld();
  const Checked checked = CheckEveryPair(w, Policy());
  EXPECT_EQ(checked.violations, 0u);
  EXPECT_GT(checked.pairs, 2000u);
  // Not vacuous: the bound is below the maximum for most pairs.
  EXPECT_GT(checked.below_one, checked.pairs * 9 / 10);
}

TEST(ScoreBoundTest, NeverBelowTheTotalsUnderOtherPolicies) {
  const RandomWorld w = VariedWorld();
  Policy broad;
  broad.occupation_breadth = 2;
  Policy skills_only;
  skills_only.requirements_share = 1.0;
  Policy preferences_only;
  preferences_only.requirements_share = 0.0;
  Policy no_floor;
  no_floor.qualification_floor = 0;
  Policy strict_floor;
  strict_floor.qualification_floor = 0.9;
  strict_floor.admit_substitutes = false;
  for (const Policy& p : {broad, skills_only, preferences_only, no_floor, strict_floor}) {
    ASSERT_TRUE(p.Validate().ok());
    const Checked checked = CheckEveryPair(w, p);
    EXPECT_EQ(checked.violations, 0u);
    EXPECT_GT(checked.pairs, 2000u);
  }
}

TEST(ScoreBoundTest, CoversEveryKindDevelopmentPlacementsIncluded) {
  // The bound knows every part, the development part of development
  // placements too: every kind of the generated data is covered, the
  // development placements' pairs are among those checked above, and their
  // bound is not vacuous (below 1 for most).
  const RandomWorld w = VariedWorld();
  for (const VacancyProfile& v : w.vacancies) EXPECT_TRUE(Scorer::BoundCovers(v)) << v.id;
  const Checked checked = CheckEveryPair(w, Policy());
  EXPECT_EQ(checked.violations, 0u);
  EXPECT_EQ(checked.not_covered, 0u);
  EXPECT_GT(checked.development, 100u);
  EXPECT_GT(checked.development_below_one, checked.development / 2);
  EXPECT_GT(checked.development_tighter, checked.development / 10)
      << "the terms' bound relates missing skills (of " << checked.development << ")";
}

}  // namespace
}  // namespace jobmatch::matcher

namespace jobmatch::matcher {
namespace {

// The levels the taxonomy gives a seeker's skills for a required skill t:
// 0 held, 1 a narrower skill of t held, 2 a skill sharing a broader concept
// with t held, 3 none.
int LevelFor(const Taxonomy& t, const std::vector<SkillId>& skills, SkillId r) {
  auto held = [&](SkillId k) { return std::binary_search(skills.begin(), skills.end(), k); };
  if (held(r)) return 0;
  for (const SkillId* c = t.NarrowerBegin(r); c != t.NarrowerEnd(r); ++c) {
    if (held(*c)) return 1;
  }
  for (const SkillId* p = t.BroaderBegin(r); p != t.BroaderEnd(r); ++p) {
    for (const SkillId* c = t.NarrowerBegin(*p); c != t.NarrowerEnd(*p); ++c) {
      if (held(*c)) return 2;
    }
  }
  return 3;
}

// The lookup's credits (Credits, what Evaluate scores with) against the
// taxonomy's levels added in list order: the same sums bit for bit and the
// same counts by level; the bound's (CreditsByBits, what a vacancy's scan
// bounds each candidate with) the same counts and sums up to rounding --
// for vacancies of up to several hundred required skills (several words of
// bits) and seekers holding the required skills, narrower or related ones,
// or none.
TEST(ScoreBoundTest, CreditsByBitsEqualCreditsForEveryListLength) {
  const Taxonomy& t = *Data().taxonomy;
  std::mt19937 rng(71);
  VacancySkillLookup lookup;
  Policy policy;
  size_t compared = 0, partial = 0, multi_word = 0;
  for (int v_i = 0; v_i < 120; ++v_i) {
    VacancyProfile v = testing::MakeVacancy("v" + std::to_string(v_i), 8000, 5223);
    // Skills of random occupations: from none to a few hundred.
    const size_t want_ess = v_i % 10 == 0 ? 0 : rng() % (v_i % 3 == 0 ? 300 : 60);
    const size_t want_opt = rng() % (v_i % 4 == 0 ? 150 : 20);
    v.essential_skills.clear();
    v.optional_skills.clear();
    while (v.essential_skills.size() < want_ess || v.optional_skills.size() < want_opt) {
      const auto& occ = t.occupation(static_cast<OccupationId>(rng() % t.occupation_count()));
      for (SkillId s : occ.essential) {
        if (v.essential_skills.size() < want_ess) v.essential_skills.push_back(s);
      }
      for (SkillId s : occ.optional) {
        if (v.optional_skills.size() < want_opt) v.optional_skills.push_back(s);
      }
    }
    PrepareVacancy(t, &v);
    lookup.Assign(t, v);
    multi_word += v.essential_skills.size() + v.optional_skills.size() > 64;
    for (int s_i = 0; s_i < 40; ++s_i) {
      // Some of the vacancy's skills, some narrower or broader ones, some
      // of another occupation.
      std::vector<SkillId> skills;
      for (SkillId r : v.essential_skills) {
        const int pick = static_cast<int>(rng() % 8);
        if (pick == 0) skills.push_back(r);
        if (pick == 1 && t.NarrowerBegin(r) != t.NarrowerEnd(r)) skills.push_back(*t.NarrowerBegin(r));
        if (pick == 2 && t.BroaderBegin(r) != t.BroaderEnd(r)) {
          const SkillId p = *t.BroaderBegin(r);
          if (t.NarrowerBegin(p) != t.NarrowerEnd(p)) skills.push_back(*(t.NarrowerEnd(p) - 1));
        }
      }
      const auto& other = t.occupation(static_cast<OccupationId>(rng() % t.occupation_count()));
      skills.insert(skills.end(), other.essential.begin(), other.essential.end());
      std::sort(skills.begin(), skills.end());
      skills.erase(std::unique(skills.begin(), skills.end()), skills.end());
      double e1 = -1, o1 = -1, e2 = -2, o2 = -2;
      int l1[4] = {0, 0, 0, 0}, l2[4] = {0, 0, 0, 0};
      lookup.Credits(skills.data(), skills.data() + skills.size(), policy, &e1, &o1, l1);
      lookup.CreditsByBits(skills.data(), skills.data() + skills.size(), policy, &e2, &o2, l2);
      const double credit_of[4] = {1.0, policy.narrower_skill_credit,
                                   policy.sibling_skill_credit, 0.0};
      double e0 = 0, o0 = 0;
      int l0[4] = {0, 0, 0, 0};
      for (SkillId r : v.essential_skills) {
        const int level = LevelFor(t, skills, r);
        e0 += credit_of[level];
        ++l0[level];
      }
      for (SkillId r : v.optional_skills) o0 += credit_of[LevelFor(t, skills, r)];
      EXPECT_EQ(e1, e0) << v.id << " seeker " << s_i;
      EXPECT_EQ(o1, o0) << v.id << " seeker " << s_i;
      EXPECT_NEAR(e2, e0, 1e-12) << v.id << " seeker " << s_i;
      EXPECT_NEAR(o2, o0, 1e-12) << v.id << " seeker " << s_i;
      for (int l = 0; l < 4; ++l) {
        EXPECT_EQ(l1[l], l0[l]) << v.id << " level " << l;
        EXPECT_EQ(l2[l], l0[l]) << v.id << " level " << l;
      }
      partial += l1[1] + l1[2] > 0;
      ++compared;
    }
  }
  EXPECT_EQ(compared, 120u * 40u);
  EXPECT_GT(multi_word, 20u) << "lists longer than one word of bits";
  EXPECT_GT(partial, 500u) << "partial credits (narrower, sibling) compared";
}

}  // namespace
}  // namespace jobmatch::matcher

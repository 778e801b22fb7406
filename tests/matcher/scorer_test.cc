// One test per rule of the scorer, and scenarios a job consultant would
// recognise.
#include "matcher/scorer.h"

#include <algorithm>

#include "gtest/gtest.h"
#include "tests/matcher/matcher_fixture.h"

namespace jobmatch::matcher {
namespace {

using testing::Data;
using testing::Evaluate;
using testing::MakeSeeker;
using testing::MakeVacancy;
using testing::Modes;

constexpr int kCleaner = 9112;       // building cleaners
constexpr int kCareWorker = 5322;    // home-based personal care workers
constexpr int kAarhusC = 8000;
constexpr int kAarhusN = 8200;

double PartValue(const Score& s, Reason r) {
  for (const auto& p : s.parts) {
    if (p.reason == r) return p.value;
  }
  return -1;
}

TEST(ScorerTest, FullMatchNearbyIsFeasibleWithHighScore) {
  const Score s = Evaluate(MakeSeeker("s", kAarhusN, kCleaner), MakeVacancy("v", kAarhusC, kCleaner));
  ASSERT_TRUE(s.feasible()) << s.blocker_detail;
  EXPECT_EQ(s.verdict, Verdict::kFeasible);
  EXPECT_GT(s.total, 0.8);
  EXPECT_DOUBLE_EQ(PartValue(s, Reason::kEssentialSkills), 1.0);
  EXPECT_TRUE(s.missing_skills.empty());
  ASSERT_TRUE(s.commute.has_value());
  EXPECT_LT(s.commute->minutes, 30);
  double sum = 0;
  for (const auto& p : s.parts) {
    if (p.reason != Reason::kNeedsFit) sum += p.contribution;
  }
  EXPECT_NEAR(sum, s.total, 1e-9) << "contributions must add up to the total";
}

TEST(ScorerTest, EachHardConstraintExcludesAndNamesItself) {
  const SeekerProfile base = MakeSeeker("s", kAarhusN, kCleaner);
  const VacancyProfile job = MakeVacancy("v", kAarhusC, kCleaner);
  struct Case {
    const char* name;
    std::function<void(SeekerProfile*, VacancyProfile*)> change;
    Reason expected;
  };
  const Case cases[] = {
      {"paused seeker", [](SeekerProfile* s, VacancyProfile*) { s->active = false; },
       Reason::kSeekerInactive},
      {"filled vacancy", [](SeekerProfile*, VacancyProfile* v) { v->open = false; },
       Reason::kVacancyClosed},
      {"expired", [](SeekerProfile*, VacancyProfile* v) { v->valid_until = testing::Now() - absl::Hours(1); },
       Reason::kVacancyExpired},
      {"unrelated occupation", [](SeekerProfile*, VacancyProfile* v) { v->isco = 2512; },
       Reason::kOccupationUnrelated},
      {"kind not accepted",
       [](SeekerProfile* s, VacancyProfile* v) {
         s->acceptable_kinds = 1u << static_cast<int>(VacancyKind::kOrdinary);
         v->kind = VacancyKind::kLoentilskud;
       },
       Reason::kKindNotAccepted},
      {"fleksjob without visitation", [](SeekerProfile*, VacancyProfile* v) { v->kind = VacancyKind::kFleksjob; },
       Reason::kFleksjobRequiresVisitation},
      {"licence", [](SeekerProfile*, VacancyProfile* v) { v->required_licences = 1u << 1; },
       Reason::kLicenceMissing},
      {"language", [](SeekerProfile*, VacancyProfile* v) { v->required_languages.push_back({PackLanguageCode("de"), 4}); },
       Reason::kLanguageMissing},
      {"commute", [](SeekerProfile* s, VacancyProfile*) { s->max_commute_minutes = 5; },
       Reason::kCommuteTooLong},
      {"hard need", [](SeekerProfile* s, VacancyProfile* v) {
         s->needs.push_back({Accommodation::kStepFreeAccess, true});
         v->accommodations[static_cast<int>(Accommodation::kStepFreeAccess)] = AccommodationStatus::kNotPossible;
       },
       Reason::kHardNeedUnmet},
      {"excluded demand", [](SeekerProfile* s, VacancyProfile* v) {
         s->excluded_demands_hard = 1u << static_cast<int>(WorkDemand::kHeavyLifting);
         v->demands_essential = 1u << static_cast<int>(WorkDemand::kHeavyLifting);
       },
       Reason::kDemandExcluded},
      {"hours per day", [](SeekerProfile* s, VacancyProfile*) { s->max_hours_per_day = 4; },
       Reason::kHoursIncompatible},
  };
  ASSERT_TRUE(Evaluate(base, job).feasible());
  for (const Case& c : cases) {
    SeekerProfile s = base;
    VacancyProfile v = job;
    c.change(&s, &v);
    const Score score = Evaluate(s, v);
    EXPECT_FALSE(score.feasible()) << c.name;
    ASSERT_TRUE(score.blocker.has_value()) << c.name;
    EXPECT_EQ(*score.blocker, c.expected) << c.name << ": got " << ReasonName(*score.blocker);
    EXPECT_FALSE(score.blocker_detail.empty()) << c.name;
    EXPECT_EQ(score.total, 0) << c.name;
  }
}

TEST(ScorerTest, WheelchairUserAndWorkplaceWithoutStepFreeAccess) {
  SeekerProfile s = MakeSeeker("wheelchair", kAarhusN, kCleaner);
  s.needs.push_back({Accommodation::kStepFreeAccess, true});
  VacancyProfile v = MakeVacancy("v", kAarhusC, kCleaner);
  auto& step_free = v.accommodations[static_cast<int>(Accommodation::kStepFreeAccess)];

  step_free = AccommodationStatus::kNotPossible;
  EXPECT_EQ(Evaluate(s, v).blocker, Reason::kHardNeedUnmet);

  step_free = AccommodationStatus::kPossibleWithScheme;
  Score with_scheme = Evaluate(s, v);
  EXPECT_EQ(with_scheme.verdict, Verdict::kFeasibleWithSupport);
  EXPECT_NE(std::find(with_scheme.support_schemes.begin(), with_scheme.support_schemes.end(),
                      "hjaelpemidler"),
            with_scheme.support_schemes.end());

  step_free = AccommodationStatus::kUnknown;
  Score unknown = Evaluate(s, v);
  EXPECT_TRUE(unknown.feasible());
  EXPECT_EQ(unknown.needs_to_check.size(), 1u) << "unknown flags 'check with the employer'";

  step_free = AccommodationStatus::kInPlace;
  Score in_place = Evaluate(s, v);
  EXPECT_EQ(in_place.verdict, Verdict::kFeasible);
  // In the seeker's own view, a known accommodation ranks above an unknown one.
  EXPECT_GT(in_place.seeker_view_total, unknown.seeker_view_total);
}

TEST(ScorerTest, NeedsNeverChangeTheScoreAmongCandidatesForAVacancy) {
  VacancyProfile v = MakeVacancy("v", kAarhusC, kCleaner);
  v.accommodations[static_cast<int>(Accommodation::kStepFreeAccess)] = AccommodationStatus::kInPlace;
  v.accommodations[static_cast<int>(Accommodation::kQuietWorkspace)] = AccommodationStatus::kPossibleWithScheme;
  v.demands_occasional = 1u << static_cast<int>(WorkDemand::kHeavyLifting);
  v.accommodations[static_cast<int>(Accommodation::kLiftingAids)] = AccommodationStatus::kPossible;
  const SeekerProfile without = MakeSeeker("s", kAarhusN, kCleaner);
  SeekerProfile with = without;
  with.needs = {{Accommodation::kStepFreeAccess, true}, {Accommodation::kQuietWorkspace, false}};
  with.excluded_demands_hard = 1u << static_cast<int>(WorkDemand::kHeavyLifting);
  const Score a = Evaluate(without, v), b = Evaluate(with, v);
  ASSERT_TRUE(a.feasible());
  ASSERT_TRUE(b.feasible());
  EXPECT_EQ(b.verdict, Verdict::kFeasibleWithSupport);
  EXPECT_EQ(a.total, b.total);  // bit for bit
  EXPECT_EQ(a.requirements_fit, b.requirements_fit);
}

TEST(ScorerTest, FleksjobSeekerFitsFleksjobNotFullTimeOrdinaryJob) {
  SeekerProfile s = MakeSeeker("flex", kAarhusN, kCleaner);
  s.fleksjob_hours_per_week = 15;
  VacancyProfile ordinary = MakeVacancy("v", kAarhusC, kCleaner);
  EXPECT_EQ(Evaluate(s, ordinary).blocker, Reason::kHoursIncompatible);
  VacancyProfile flex = ordinary;
  flex.kind = VacancyKind::kFleksjob;
  flex.hours_per_week = 15;
  EXPECT_TRUE(Evaluate(s, flex).feasible());
}

TEST(ScorerTest, SeekerWithoutCarSixtyKilometresAwayIsOutOfReach) {
  SeekerProfile s = MakeSeeker("nocar", 8600, kCleaner);  // Silkeborg
  s.transport_modes = Modes({TransportMode::kPublicTransport, TransportMode::kBicycle});
  s.max_commute_minutes = 45;
  VacancyProfile v = MakeVacancy("v", 7100, kCleaner);  // Vejle, ~60 km
  const Score score = Evaluate(s, v);
  EXPECT_EQ(score.blocker, Reason::kCommuteTooLong) << score.blocker_detail;
  s.transport_modes |= Modes({TransportMode::kCar});
  s.max_commute_minutes = 75;
  EXPECT_TRUE(Evaluate(s, v).feasible());
}

TEST(ScorerTest, SiblingSkillEarnsPartialCredit) {
  const VacancyProfile v = MakeVacancy("v", kAarhusC, kCleaner);
  // Find an essential skill that no other essential skill already covers by
  // sharing a broader concept, and a sibling of it the vacancy does not list.
  const Taxonomy& t = *Data().taxonomy;
  SeekerProfile full = MakeSeeker("s", kAarhusN, kCleaner);
  SkillId target = kNoSkill, sibling = kNoSkill;
  SeekerProfile without;
  for (SkillId e : v.essential_skills) {
    without = full;
    without.skills.erase(std::find(without.skills.begin(), without.skills.end(), e));
    PrepareSeeker(t, &without);
    bool covered = std::binary_search(without.skill_parents.begin(), without.skill_parents.end(), e);
    for (SkillId p : t.skill(e).broader) {
      covered |= std::binary_search(without.skill_parents.begin(), without.skill_parents.end(), p);
    }
    if (covered) continue;
    for (SkillId parent : t.skill(e).broader) {
      for (SkillId k = 0; k < t.skill_count() && sibling == kNoSkill; ++k) {
        if (k != e && !t.skill(k).is_group &&
            std::binary_search(t.skill(k).broader.begin(), t.skill(k).broader.end(), parent) &&
            !std::binary_search(v.essential_skills.begin(), v.essential_skills.end(), k)) {
          sibling = k;
        }
      }
      if (sibling != kNoSkill) break;
    }
    if (sibling != kNoSkill) {
      target = e;
      break;
    }
  }
  ASSERT_NE(target, kNoSkill);
  SeekerProfile with_sibling = without;
  with_sibling.skills.push_back(sibling);
  PrepareSeeker(t, &with_sibling);
  const Score a = Evaluate(without, v), b = Evaluate(with_sibling, v);
  EXPECT_GT(b.total, a.total);
  EXPECT_NE(std::find(a.missing_skills.begin(), a.missing_skills.end(), target),
            a.missing_skills.end()) << "the gap names the missing skill";
}

TEST(ScorerTest, SoftPartsMoveTheScoreTheRightWay) {
  const SeekerProfile s = MakeSeeker("s", kAarhusN, kCleaner);
  const VacancyProfile near = MakeVacancy("near", kAarhusC, kCleaner);
  const VacancyProfile far = MakeVacancy("far", 8660, kCleaner);  // Skanderborg
  EXPECT_GT(Evaluate(s, near).total, Evaluate(s, far).total) << "commute";

  SeekerProfile fewer = s;
  fewer.skills.resize(fewer.skills.size() / 2);
  PrepareSeeker(*Data().taxonomy, &fewer);
  EXPECT_GT(Evaluate(s, near).total, Evaluate(fewer, near).total) << "skills";

  VacancyProfile long_hours = near;
  long_hours.hours_per_week = 45;
  EXPECT_GT(Evaluate(s, near).total, Evaluate(s, long_hours).total) << "hours";

  VacancyProfile needs_education = near;
  needs_education.min_education_level = 6;
  EXPECT_GT(Evaluate(s, near).total, Evaluate(s, needs_education).total) << "education";

  VacancyProfile related = MakeVacancy("related", kAarhusC, 9111);  // same minor group
  EXPECT_LT(PartValue(Evaluate(s, related), Reason::kOccupationFit),
            PartValue(Evaluate(s, near), Reason::kOccupationFit)) << "occupation";
}

TEST(ScorerTest, BroadenedPolicyAdmitsRelatedOccupations) {
  const SeekerProfile s = MakeSeeker("s", kAarhusN, kCleaner);
  const VacancyProfile kitchen = MakeVacancy("v", kAarhusC, 9412);  // kitchen helpers, 94x
  Policy narrow;
  EXPECT_EQ(Evaluate(s, kitchen, narrow).blocker, Reason::kOccupationUnrelated);
  Policy broad;
  broad.occupation_breadth = 2;
  EXPECT_FALSE(Evaluate(s, kitchen, broad).feasible());  // 91 vs 94: different sub-major
  const VacancyProfile window = MakeVacancy("w", kAarhusC, 9123);  // same sub-major 91
  EXPECT_EQ(Evaluate(s, window, narrow).blocker, Reason::kOccupationUnrelated);
  EXPECT_TRUE(Evaluate(s, window, broad).feasible());
}

TEST(TaxonomyTest, SubstitutesAreSymmetricAndCrossIscoGroups) {
  const Taxonomy& t = *Data().taxonomy;
  const OccupationId cook = testing::OccupationLabelled("cook");
  const OccupationId pizzaiolo = testing::OccupationLabelled("pizzaiolo");
  ASSERT_NE(cook, kNoOccupation);
  ASSERT_NE(pizzaiolo, kNoOccupation);
  EXPECT_NE(t.occupation(cook).isco / 100, t.occupation(pizzaiolo).isco / 100);
  EXPECT_GE(t.SubstituteSimilarity(cook, pizzaiolo), Taxonomy::kSubstituteMinSimilarity);
  EXPECT_EQ(t.SubstituteSimilarity(cook, pizzaiolo), t.SubstituteSimilarity(pizzaiolo, cook));
  size_t pairs = 0;
  for (OccupationId a = 0; a < t.occupation_count(); ++a) {
    for (const Substitute& s : t.Substitutes(a)) {
      ASSERT_NE(s.occupation, a);
      ASSERT_EQ(t.SubstituteSimilarity(s.occupation, a), s.similarity) << a << " " << s.occupation;
      ++pairs;
    }
  }
  EXPECT_GT(pairs, 1000u);
  EXPECT_EQ(t.SubstituteSimilarity(cook, cook), 0);
  EXPECT_TRUE(t.Substitutes(kNoOccupation).empty());
}

TEST(ScorerTest, SubstituteOccupationGetsPartialCreditUnlessThePolicyExcludesIt) {
  // A cook is a substitute for a pizzaiolo (ISCO 5120 vs 9411: no shared digit).
  const OccupationId cook = testing::OccupationLabelled("cook");
  const OccupationId pizzaiolo = testing::OccupationLabelled("pizzaiolo");
  const Taxonomy& t = *Data().taxonomy;
  SeekerProfile s = MakeSeeker("cook", kAarhusN, t.occupation(cook).isco);
  s.occupations = {{t.occupation(cook).isco, cook}};
  s.skills = t.occupation(cook).essential;
  PrepareSeeker(t, &s);
  VacancyProfile pizza = MakeVacancy("pizza", kAarhusC, t.occupation(pizzaiolo).isco);
  pizza.esco = pizzaiolo;
  pizza.essential_skills.clear();
  pizza.optional_skills.clear();
  PrepareVacancy(t, &pizza);
  VacancyProfile kitchen = MakeVacancy("kitchen", kAarhusC, t.occupation(cook).isco);
  kitchen.esco = cook;
  kitchen.essential_skills.clear();
  kitchen.optional_skills.clear();
  PrepareVacancy(t, &kitchen);

  const Score sub = Evaluate(s, pizza);
  ASSERT_TRUE(sub.feasible()) << sub.blocker_detail;
  const double fit = PartValue(sub, Reason::kOccupationFit);
  EXPECT_GE(fit, 0.5);
  EXPECT_LE(fit, 0.8);
  EXPECT_LT(fit, PartValue(Evaluate(s, kitchen), Reason::kOccupationFit));
  bool named = false;
  for (const auto& p : sub.parts) named |= p.evidence.find("substitute") != std::string::npos;
  EXPECT_TRUE(named) << "the explanation says why an unrelated ISCO code is admitted";

  Policy strict;
  strict.admit_substitutes = false;
  EXPECT_EQ(Evaluate(s, pizza, strict).blocker, Reason::kOccupationUnrelated);
  // Without the ESCO occupation on the seeker's goal there is no substitute.
  SeekerProfile isco_only = s;
  isco_only.occupations = {{t.occupation(cook).isco, kNoOccupation}};
  EXPECT_EQ(Evaluate(isco_only, pizza).blocker, Reason::kOccupationUnrelated);
}

TEST(ScorerTest, CommuteEvidenceNamesModeDailyMinutesAndTheLimitsReason) {
  SeekerProfile s = MakeSeeker("s", kAarhusN, kCleaner);
  s.transport_modes = Modes({TransportMode::kBicycle, TransportMode::kWalk});
  s.commute_limit_reason = CommuteLimitReason::kHealth;
  const Score score = Evaluate(s, MakeVacancy("v", kAarhusC, kCleaner));
  ASSERT_TRUE(score.commute.has_value());
  EXPECT_EQ(score.commute->mode, TransportMode::kBicycle);
  ASSERT_EQ(score.commute_by_mode.size(), 2u) << "one estimate per allowed mode";
  EXPECT_EQ(score.commute_by_mode[0].mode, TransportMode::kWalk);
  EXPECT_GT(score.commute_by_mode[0].minutes, score.commute_by_mode[1].minutes);
  EXPECT_GE(score.commute->daily_minutes, 2 * score.commute->minutes);
  std::string evidence;
  for (const auto& p : score.parts) {
    if (p.reason == Reason::kCommute) evidence = p.evidence;
  }
  EXPECT_NE(evidence.find("BICYCLE"), std::string::npos) << evidence;
  EXPECT_NE(evidence.find("HEALTH"), std::string::npos) << evidence;
  EXPECT_NE(evidence.find("not yet validated"), std::string::npos) << evidence;
}

TEST(ScorerTest, DeterministicForTheSameInput) {
  const SeekerProfile s = MakeSeeker("s", kAarhusN, kCareWorker);
  const VacancyProfile v = MakeVacancy("v", 8210, kCareWorker);
  const Score a = Evaluate(s, v), b = Evaluate(s, v);
  EXPECT_EQ(a.total, b.total);
  EXPECT_EQ(a.parts.size(), b.parts.size());
}

TEST(PolicyTest, ValidateNamesTheField) {
  Policy p;
  EXPECT_TRUE(p.Validate().ok());
  p.requirements_share = 1.5;
  EXPECT_NE(p.Validate().message().find("policy.requirements_share"), std::string::npos);
  p = Policy();
  p.occupation_breadth = 1;
  EXPECT_NE(p.Validate().message().find("policy.occupation_breadth"), std::string::npos);
}

}  // namespace
}  // namespace jobmatch::matcher

namespace jobmatch::matcher {
namespace {

// The levels a seeker's skill bits give, straight from the sorted vectors.
uint8_t LevelFromVectors(const SeekerProfile& s, SkillId t) {
  auto has = [](const std::vector<SkillId>& v, SkillId id) {
    return std::binary_search(v.begin(), v.end(), id);
  };
  if (has(s.skills, t)) return 0;
  if (has(s.skill_parents, t)) return 1;
  for (SkillId b : Data().taxonomy->skill(t).broader) {
    if (has(s.skill_parents, b)) return 2;
  }
  return 3;
}

TEST(SeekerSkillBitsTest, LevelsEqualTheSortedVectorsForEverySkillAcrossReassignments) {
  // Two seekers of different trades, assigned in turn to the same bits: a
  // level remembered from the first must never answer for the second.
  const SeekerProfile cook = MakeSeeker("cook", kAarhusC, 5120);
  const SeekerProfile cleaner = MakeSeeker("cleaner", kAarhusC, kCleaner);
  const Taxonomy& taxonomy = *Data().taxonomy;
  SeekerSkillBits bits;
  size_t held = 0, partial = 0;
  for (const SeekerProfile* s : {&cook, &cleaner, &cook}) {
    bits.Assign(taxonomy, *s);
    for (SkillId t = 0; t < taxonomy.skill_count(); ++t) {
      const uint8_t want = LevelFromVectors(*s, t);
      ASSERT_EQ(bits.Level(t), want) << s->id << " skill " << t;
      ASSERT_EQ(bits.Level(t), want) << s->id << " skill " << t << ", asked again";
      held += want == 0;
      partial += want == 1 || want == 2;
    }
  }
  EXPECT_GT(held, 0u);
  EXPECT_GT(partial, 0u);
}

// DevelopmentPotential's test for a skill the seeker lacks, straight from the
// sorted vectors: a broader concept of t, or one of theirs, is a narrow group
// (two levels below a root) over one of the seeker's skills' broader concepts
// or theirs.
bool RelatedFromVectors(const SeekerProfile& s, SkillId t) {
  const Taxonomy& taxonomy = *Data().taxonomy;
  auto narrow = [&](SkillId g) {
    for (SkillId p : taxonomy.skill(g).broader) {
      if (!taxonomy.skill(p).broader.empty()) return true;
    }
    return false;
  };
  std::vector<SkillId> groups;
  for (SkillId p : s.skill_parents) {
    if (narrow(p)) groups.push_back(p);
    for (SkillId g : taxonomy.skill(p).broader) {
      if (narrow(g)) groups.push_back(g);
    }
  }
  auto in_groups = [&](SkillId g) {
    return std::find(groups.begin(), groups.end(), g) != groups.end();
  };
  for (SkillId b : taxonomy.skill(t).broader) {
    if (in_groups(b)) return true;
    for (SkillId g : taxonomy.skill(b).broader) {
      if (in_groups(g)) return true;
    }
  }
  return false;
}

TEST(SeekerSkillBitsTest, LevelsAndRelatedStayRightOverManyReassignments) {
  // More reassignments than the one-byte generations of the level table
  // (63 before it is cleared), alternating trades, and a seeker without
  // skills: every level and every Related answer is the current seeker's.
  const SeekerProfile cook = MakeSeeker("cook", kAarhusC, 5120);
  const SeekerProfile cleaner = MakeSeeker("cleaner", kAarhusC, kCleaner);
  SeekerProfile none = MakeSeeker("none", kAarhusC, kCleaner);
  none.skills.clear();
  none.skill_parents.clear();
  const Taxonomy& taxonomy = *Data().taxonomy;
  SeekerSkillBits bits;
  size_t related = 0, unrelated = 0;
  for (int round = 0; round < 150; ++round) {
    const SeekerProfile& s = round % 3 == 0 ? cook : round % 3 == 1 ? cleaner : none;
    bits.Assign(taxonomy, s);
    // Every skill in the first rounds and around the wrap, a sample elsewhere.
    const SkillId step = round < 3 || (round >= 60 && round < 66) ? 1 : 97;
    for (SkillId t = static_cast<SkillId>(round % step); t < taxonomy.skill_count(); t += step) {
      ASSERT_EQ(bits.Level(t), LevelFromVectors(s, t)) << s.id << " skill " << t << " round " << round;
      if (bits.Level(t) != 3) continue;
      const bool want = RelatedFromVectors(s, t);
      ASSERT_EQ(bits.Related(t), want) << s.id << " skill " << t << " round " << round;
      (want ? related : unrelated) += 1;
    }
  }
  EXPECT_GT(related, 0u);
  EXPECT_GT(unrelated, 0u);
}

TEST(SeekerSkillBitsTest, ViaIsTheFirstRelatedSkillForEveryPartialCredit) {
  // For every skill the seeker holds only partly, Via names the first of
  // their skills (in their order) that is narrower than it or shares a
  // broader concept with it, as a search of the sorted vectors does; across
  // reassignments, a seeker without skills included.
  const SeekerProfile cook = MakeSeeker("cook", kAarhusC, 5120);
  const SeekerProfile cleaner = MakeSeeker("cleaner", kAarhusC, kCleaner);
  SeekerProfile none = MakeSeeker("none", kAarhusC, kCleaner);
  none.skills.clear();
  none.skill_parents.clear();
  const Taxonomy& taxonomy = *Data().taxonomy;
  auto has = [](const std::vector<SkillId>& v, SkillId id) {
    return std::binary_search(v.begin(), v.end(), id);
  };
  SeekerSkillBits bits;
  size_t named = 0, not_first = 0;
  const SeekerProfile* const in_turn[] = {&cook, &cleaner, &none, &cook};
  for (const SeekerProfile* s : in_turn) {
    bits.Assign(taxonomy, *s);
    for (SkillId t = 0; t < taxonomy.skill_count(); ++t) {
      const uint8_t level = LevelFromVectors(*s, t);
      if (level != 1 && level != 2) continue;
      SkillId want = kNoSkill;
      for (SkillId k : s->skills) {
        const auto& up = taxonomy.skill(k).broader;
        bool related = has(up, t);
        for (SkillId b : taxonomy.skill(t).broader) related |= has(up, b);
        if (related) {
          want = k;
          break;
        }
      }
      ASSERT_NE(want, kNoSkill) << s->id << " skill " << t;
      ASSERT_EQ(bits.Via(t), want) << s->id << " skill " << t;
      ++named;
      not_first += want != s->skills.front();
    }
  }
  EXPECT_GT(named, 100u);
  EXPECT_GT(not_first, 0u);  // the first related skill, not just the first skill
}

TEST(SeekerSkillBitsTest, RememberedCoverageGivesTheSameScoresInAnyOrder) {
  // The nightly pass bounds a pair, then evaluates it, with the coverage
  // remembered in between: in any order of pairs and of bound and Evaluate,
  // and across seekers, every total equals Evaluate without bits.
  const Scorer& scorer = testing::TestScorer();
  const Policy policy;
  std::vector<VacancyProfile> vacancies;
  for (int isco : {5120, kCleaner, 5120, kCleaner}) {
    vacancies.push_back(MakeVacancy("v" + std::to_string(vacancies.size()), kAarhusC, isco));
  }
  vacancies[2].kind = VacancyKind::kVirksomhedspraktik;  // scored with DEVELOPMENT_POTENTIAL
  const SeekerProfile seekers[] = {MakeSeeker("cook", kAarhusC, 5120),
                                   MakeSeeker("cleaner", kAarhusC, kCleaner)};
  SeekerSkillBits bits;
  int compared = 0;
  for (int round = 0; round < 2; ++round) {
    for (const SeekerProfile& s : seekers) {
      bits.Assign(*Data().taxonomy, s, /*remember_coverage=*/true);
      for (size_t i = 0; i < 2 * vacancies.size(); ++i) {
        const VacancyProfile& v = vacancies[(i * (round + 1)) % vacancies.size()];
        if (i % 2 == 0) (void)scorer.UpperBound(s, v, policy, &bits, nullptr);
        const Score plain = scorer.Evaluate(s, v, policy, testing::Now(), Scorer::Detail::kTotals);
        const Score fast =
            scorer.Evaluate(s, v, policy, testing::Now(), Scorer::Detail::kTotals, &bits);
        ASSERT_EQ(fast.total, plain.total) << s.id << " " << v.id;
        ASSERT_EQ(fast.seeker_view_total, plain.seeker_view_total) << s.id << " " << v.id;
        compared += plain.feasible();
      }
    }
  }
  EXPECT_GT(compared, 0);
}

TEST(ScorerTest, TheCommuteTestsTripGivesTheSameScore) {
  // Seekers at growing distances with different modes: wherever the commute
  // test passes, Evaluate given its trip equals Evaluate estimating it; where
  // it fails, Evaluate excludes the pair for its commute.
  const Scorer& scorer = testing::TestScorer();
  const int postal_codes[] = {8000, 8200, 8600, 7100, 6000, 5000, 4000, 2300, 9000};
  const uint8_t modes[] = {Modes({TransportMode::kCar}), Modes({TransportMode::kPublicTransport}),
                           Modes({TransportMode::kBicycle, TransportMode::kWalk}),
                           Modes({TransportMode::kCar, TransportMode::kPublicTransport})};
  const VacancyProfile v = MakeVacancy("v", kAarhusC, kCleaner);
  int within = 0, outside = 0;
  for (int pc : postal_codes) {
    for (uint8_t m : modes) {
      for (int minutes : {20, 45, 90}) {
        SeekerProfile s = MakeSeeker("s", pc, kCleaner);
        s.transport_modes = m;
        s.max_commute_minutes = minutes;
        const auto trip =
            scorer.CommuteIfWithinLimit(s.home, v.workplace, s.transport_modes, minutes);
        const Score plain =
            scorer.Evaluate(s, v, Policy(), testing::Now(), Scorer::Detail::kTotals);
        if (!trip.has_value()) {
          ++outside;
          EXPECT_EQ(plain.blocker, Reason::kCommuteTooLong) << pc << " " << minutes;
          continue;
        }
        ++within;
        const Score given = scorer.Evaluate(s, v, Policy(), testing::Now(),
                                            Scorer::Detail::kTotals, nullptr, std::nullopt,
                                            nullptr, &*trip);
        EXPECT_TRUE(given.feasible());
        EXPECT_EQ(given.total, plain.total) << pc << " " << minutes;
        EXPECT_EQ(given.seeker_view_total, plain.seeker_view_total) << pc << " " << minutes;
      }
    }
  }
  EXPECT_GT(within, 10);
  EXPECT_GT(outside, 10);
}

}  // namespace
}  // namespace jobmatch::matcher
// The one-sided prefilters against Evaluate: tests/matcher/hard_constraints_test.cc.

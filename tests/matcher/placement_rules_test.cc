// Development placements: the versioned rules table (eligibility by target
// group and employer sector, longest duration, validity dates) and the
// DEVELOPMENT_POTENTIAL part of the one Evaluate.
#include "matcher/placement_rules.h"

#include <fstream>

#include "gtest/gtest.h"
#include "matcher/match_index.h"
#include "tests/matcher/matcher_fixture.h"
#include "tests/storage/temp_dir.h"

namespace jobmatch::matcher {
namespace {

using testing::Data;
using testing::Evaluate;
using testing::MakeSeeker;
using testing::MakeVacancy;
using testing::Now;
using testing::SiblingSkills;
using testing::TestScorer;

const PlacementRules& Shipped() { return Data().schemes->placement_rules(); }

absl::Time Day(int y, int m, int d) {
  return absl::FromCivil(absl::CivilDay(y, m, d), absl::UTCTimeZone());
}

absl::StatusOr<PlacementRules> LoadText(const std::string& rows) {
  jobmatch::testing::TempDir dir;
  const std::string path = dir.path() + "/placement_rules.tsv";
  std::ofstream(path) << "# version\ttest-1\n" << rows;
  return PlacementRules::Load(path, [](std::string_view code) {
    return code == "jobparat" || code == "aktivitetsparat";
  });
}

const ScorePart* PartOf(const Score& s, Reason r) {
  for (const ScorePart& p : s.parts) {
    if (p.reason == r) return &p;
  }
  return nullptr;
}

TEST(PlacementRulesTest, ShippedTableChoosesTheRuleByTargetGroupSectorAndDay) {
  EXPECT_EQ(Shipped().version(), "2026-12");
  const PlacementRule* r =
      Shipped().Applicable(VacancyKind::kVirksomhedspraktik, "jobparat", false, Now());
  ASSERT_NE(r, nullptr);
  EXPECT_EQ(r->Name(), "vp-jobparat v1");
  EXPECT_EQ(r->max_weeks, 4);
  EXPECT_NE(r->source.find("aktiv beskæftigelsesindsats"), std::string::npos);
  r = Shipped().Applicable(VacancyKind::kVirksomhedspraktik, "sygedagpenge", false, Now());
  ASSERT_NE(r, nullptr);
  EXPECT_EQ(r->id, "vp-13-uger");
  EXPECT_EQ(r->max_weeks, 13);
  // Self-supporting: no virksomhedspraktik or løntilskud rule covers them.
  EXPECT_EQ(Shipped().Applicable(VacancyKind::kVirksomhedspraktik, "selvforsoerger", false, Now()),
            nullptr);
  EXPECT_EQ(Shipped().Applicable(VacancyKind::kLoentilskud, "selvforsoerger", true, Now()), nullptr);
  // Løntilskud for the job-ready depends on the employer's sector.
  EXPECT_EQ(Shipped().Applicable(VacancyKind::kLoentilskud, "jobparat", true, Now())->id,
            "lt-jobparat-offentlig");
  EXPECT_EQ(Shipped().Applicable(VacancyKind::kLoentilskud, "jobparat", false, Now())->id,
            "lt-jobparat-privat");
  // Voksenlærling: every seeker, also one without a recorded target group;
  // no maximum duration.
  r = Shipped().Applicable(VacancyKind::kVoksenlaerling, "", false, Now());
  ASSERT_NE(r, nullptr);
  EXPECT_EQ(r->max_weeks, 0);
  EXPECT_EQ(Shipped().Applicable(VacancyKind::kIgu, "jobparat", false, Now())->max_weeks, 104);
  // Before the act came into force, no rule applies.
  EXPECT_EQ(
      Shipped().Applicable(VacancyKind::kVirksomhedspraktik, "jobparat", false, Day(2019, 6, 1)),
      nullptr);
}

TEST(PlacementRulesTest, AVersionedRuleAppliesOnlyOnTheDaysItIsValid) {
  auto rules = LoadText(
      "vp\t1\tVIRKSOMHEDSPRAKTIK\tjobparat\tany\t4\t2020-01-01\t2026-12-31\tLAB v1\n"
      "vp\t2\tVIRKSOMHEDSPRAKTIK\tjobparat\tany\t8\t2027-01-01\t\tLAB v2\n");
  ASSERT_TRUE(rules.ok()) << rules.status();
  EXPECT_EQ(rules->Applicable(VacancyKind::kVirksomhedspraktik, "jobparat", false,
                              Day(2026, 12, 31) + absl::Hours(23))
                ->Name(),
            "vp v1");
  EXPECT_EQ(
      rules->Applicable(VacancyKind::kVirksomhedspraktik, "jobparat", false, Day(2027, 1, 1))->Name(),
      "vp v2");
  EXPECT_EQ(rules->rules()[1].table_version, "test-1");
}

TEST(PlacementRulesTest, MalformedRowsNameTheColumnAndRule) {
  struct Case {
    const char* row;
    const char* message;
  } cases[] = {
      {"vp\t1\tORDINARY\tjobparat\tany\t4\t2020-01-01\t\tLAB\n", "kind: must be"},
      {"vp\t1\tIGU\tnobody\tany\t4\t2020-01-01\t\tLAB\n", "target_groups: 'nobody'"},
      {"vp\t1\tIGU\tjobparat\tsome\t4\t2020-01-01\t\tLAB\n", "employer: must be"},
      {"vp\t1\tIGU\tjobparat\tany\t-1\t2020-01-01\t\tLAB\n", "max_weeks: must be"},
      {"vp\t1\tIGU\tjobparat\tany\t4\t1.1.2020\t\tLAB\n", "valid_from: must be a date"},
      {"vp\t1\tIGU\tjobparat\tany\t4\t2020-01-01\t2019-01-01\tLAB\n", "valid_to: must not be"},
      {"vp\t1\tIGU\tjobparat\tany\t4\t2020-01-01\t\t\n", "source: must name"},
      {"vp\t1\tIGU\tjobparat\tany\t4\t2020-01-01\t\tA\n"
       "vp\t2\tIGU\tjobparat\tany\t8\t2021-01-01\t\tB\n",
       "versions of vp overlap"},
      {"vp\t1\tIGU\tjobparat\tany\t4\n", "expected 9 columns"},
  };
  for (const Case& c : cases) {
    auto rules = LoadText(c.row);
    ASSERT_FALSE(rules.ok()) << c.row;
    EXPECT_EQ(rules.status().code(), absl::StatusCode::kDataLoss);
    EXPECT_NE(rules.status().message().find(c.message), std::string::npos)
        << rules.status() << " for " << c.row;
  }
}

// A virksomhedspraktik and an ordinary job for the same occupation, and two
// seekers: one who holds its essential skills, one who holds a close
// (sibling) skill of each instead.
struct DevelopmentPair {
  VacancyProfile praktik = MakeVacancy("praktik", 8000, 5120);
  VacancyProfile job = MakeVacancy("job", 8000, 5120);
  SeekerProfile ready = MakeSeeker("ready", 8200, 5120);
  SeekerProfile close = MakeSeeker("close", 8200, 5120);
  DevelopmentPair() {
    praktik.kind = VacancyKind::kVirksomhedspraktik;
    praktik.duration_weeks = 4;
    ready.skills = praktik.essential_skills;
    close.skills = SiblingSkills(praktik.essential_skills);
    PrepareSeeker(*Data().taxonomy, &ready);
    PrepareSeeker(*Data().taxonomy, &close);
  }
};

TEST(DevelopmentPotentialTest, ACloseSeekerRanksAboveAReadyOneForAPlacementOnly) {
  DevelopmentPair p;
  ASSERT_FALSE(p.close.skills.empty());
  const Score ready = Evaluate(p.ready, p.praktik);
  const Score close = Evaluate(p.close, p.praktik);
  ASSERT_TRUE(ready.feasible()) << ready.blocker_detail;
  ASSERT_TRUE(close.feasible()) << close.blocker_detail;
  EXPECT_GT(close.total, ready.total);
  // The ordinary job with the same skills ranks them the other way round.
  EXPECT_GT(Evaluate(p.ready, p.job).total, Evaluate(p.close, p.job).total);

  const ScorePart* dev = PartOf(close, Reason::kDevelopmentPotential);
  ASSERT_NE(dev, nullptr);
  EXPECT_GT(dev->value, 0.5);
  EXPECT_NE(dev->evidence.find("close to skills held"), std::string::npos) << dev->evidence;
  EXPECT_FALSE(close.development_skills.empty());
  ASSERT_NE(close.placement_rule, nullptr);
  EXPECT_EQ(close.placement_rule->Name(), "vp-jobparat v1");
  // Skills already held are nothing to develop.
  EXPECT_EQ(PartOf(ready, Reason::kDevelopmentPotential)->value, 0);
  EXPECT_TRUE(ready.development_skills.empty());
  // An ordinary job has no such part.
  EXPECT_EQ(PartOf(Evaluate(p.close, p.job), Reason::kDevelopmentPotential), nullptr);
}

TEST(DevelopmentPotentialTest, UnrelatedSkillsGiveNoCreditAndStayBelowTheFloor) {
  DevelopmentPair p;
  SeekerProfile far = MakeSeeker("far", 8200, 5120);
  far.skills = Data().taxonomy->occupation(testing::OccupationIn(2512)).essential;
  PrepareSeeker(*Data().taxonomy, &far);
  const Score s = Evaluate(far, p.praktik);
  ASSERT_TRUE(s.feasible());
  EXPECT_LT(s.total, Evaluate(p.close, p.praktik).total);
  EXPECT_LT(PartOf(s, Reason::kDevelopmentPotential)->value, 0.5);
}

TEST(DevelopmentPotentialTest, EligibilityAndDurationComeFromTheRuleAndNameIt) {
  DevelopmentPair p;
  SeekerProfile self = p.close;
  self.target_group = "selvforsoerger";
  Score s = Evaluate(self, p.praktik);
  EXPECT_EQ(s.blocker, Reason::kPlacementNotEligible);
  EXPECT_NE(s.blocker_detail.find("vp-jobparat v1"), std::string::npos) << s.blocker_detail;
  EXPECT_EQ(s.blocker_detail.find("selvforsoerger"), std::string::npos)
      << "the detail names rules, never the seeker's target group";

  p.praktik.duration_weeks = 8;
  s = Evaluate(p.close, p.praktik);
  EXPECT_EQ(s.blocker, Reason::kPlacementTooLong);
  EXPECT_NE(s.blocker_detail.find("8 weeks; rule vp-jobparat v1 allows at most 4"),
            std::string::npos)
      << s.blocker_detail;
  // 13 weeks for the sick-listed: the same placement is feasible.
  SeekerProfile sick = p.close;
  sick.target_group = "sygedagpenge";
  s = Evaluate(sick, p.praktik);
  EXPECT_TRUE(s.feasible()) << s.blocker_detail;
  EXPECT_EQ(s.placement_rule->id, "vp-13-uger");
  // The rule decides feasibility only: the total does not depend on which
  // rule applied (the same seeker's skills on the 4-week placement, where
  // vp-jobparat applies).
  VacancyProfile four = p.praktik;
  four.duration_weeks = 4;
  EXPECT_DOUBLE_EQ(s.total, Evaluate(p.close, four).total);
}

TEST(DevelopmentPotentialTest, FunctionalNeedsNeverChangeThePart) {
  DevelopmentPair p;
  SeekerProfile needs = p.close;
  needs.needs.push_back({Accommodation::kQuietWorkspace, false});
  needs.excluded_demands_soft = 1u << static_cast<int>(WorkDemand::kHighPace);
  p.praktik.demands_occasional = 1u << static_cast<int>(WorkDemand::kHighPace);
  const Score a = Evaluate(p.close, p.praktik);
  const Score b = Evaluate(needs, p.praktik);
  ASSERT_TRUE(b.feasible());
  EXPECT_DOUBLE_EQ(a.total, b.total);
  EXPECT_DOUBLE_EQ(PartOf(a, Reason::kDevelopmentPotential)->value,
                   PartOf(b, Reason::kDevelopmentPotential)->value);
  EXPECT_DOUBLE_EQ(PartOf(a, Reason::kDevelopmentPotential)->contribution,
                   PartOf(b, Reason::kDevelopmentPotential)->contribution);
}

TEST(DevelopmentPotentialTest, MaxBoundsThePartAndTheFastPathsAgree) {
  DevelopmentPair p;
  const Policy policy;
  EXPECT_EQ(DevelopmentPotentialMax(p.job, policy), 0);
  const double max = DevelopmentPotentialMax(p.praktik, policy);
  EXPECT_GT(max, 0);
  const Score close = Evaluate(p.close, p.praktik);
  const ScorePart* dev = PartOf(close, Reason::kDevelopmentPotential);
  EXPECT_LE(dev->contribution, max + 1e-12);
  if (dev->value == 1.0) {
    EXPECT_NEAR(dev->contribution, max, 1e-12);
  }
  // The ranking paths (seeker bits, vacancy lookup) give the explained total.
  SeekerSkillBits bits;
  bits.Assign(*Data().taxonomy, p.close);
  VacancySkillLookup lookup;
  lookup.Assign(*Data().taxonomy, p.praktik);
  const Score fast = TestScorer().Evaluate(p.close, p.praktik, policy, Now(),
                                           Scorer::Detail::kTotals, &bits, std::nullopt, &lookup);
  EXPECT_EQ(fast.total, close.total);
  // Without any weight on the part, the placement scores like the job.
  Policy off;
  off.weight_development_potential = 0;
  EXPECT_EQ(DevelopmentPotentialMax(p.praktik, off), 0);
}

TEST(DevelopmentPotentialTest, TheIndexRanksAPlacementsCandidatesByTheSameScore) {
  DevelopmentPair p;
  MatchIndex index(&TestScorer(), Policy());
  index.UpsertSeeker(p.ready);
  index.UpsertSeeker(p.close);
  SeekerProfile self = p.close;
  self.id = "self";
  self.target_group = "selvforsoerger";
  index.UpsertSeeker(self);
  index.UpsertVacancy(p.praktik);
  MatchQuery q;
  q.limit = 10;
  q.now = Now();
  auto r = index.TopSeekersForVacancy("praktik", q);
  ASSERT_TRUE(r.ok()) << r.status();
  ASSERT_EQ(r->matches.size(), 2u) << "the ineligible seeker is left out";
  EXPECT_EQ(r->matches[0].id, "close");
  EXPECT_EQ(r->matches[0].score.total, Evaluate(p.close, p.praktik).total);
  EXPECT_EQ(r->matches[1].id, "ready");
}

}  // namespace
}  // namespace jobmatch::matcher

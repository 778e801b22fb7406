// The quality bench's parts that decide its figures: the ground-truth grade,
// the list metrics, the twins the invariants compare with, and the
// generated placement histories (the second ground truth).
#include <cmath>
#include <map>
#include <string>
#include <tuple>
#include <vector>

#include "bench/quality/limits.h"
#include "bench/quality/outcomes.h"
#include "bench/quality/relevance.h"
#include "gtest/gtest.h"
#include "matcher/reference_data.h"

namespace jobmatch::quality {
namespace {

const matcher::ReferenceData& Data() {
  static const matcher::ReferenceData* data =
      matcher::ReferenceData::Load(matcher::ReferenceData::SourceTreeDataDir())->release();
  return *data;
}

// An occupation with at least 8 essential skills that are not groups, and
// another occupation of the same ISCO unit group.
struct Pick {
  matcher::OccupationId occupation = matcher::kNoOccupation, sibling = matcher::kNoOccupation;
  std::vector<matcher::SkillId> essential;
};

Pick FindOccupation() {
  const matcher::Taxonomy& t = *Data().taxonomy;
  for (int isco : {9112, 5322, 5223, 4110, 7115, 2221}) {
    const auto& in_group = t.OccupationsInUnitGroup(isco);
    if (in_group.size() < 2) continue;
    Pick p;
    p.occupation = in_group[0];
    p.sibling = in_group[1];
    for (matcher::SkillId k : t.occupation(p.occupation).essential) {
      if (!t.skill(k).is_group) p.essential.push_back(k);
    }
    if (p.essential.size() >= 8) return p;
  }
  return Pick();
}

datagen::SeekerTruth Holding(const Pick& p, double share,
                             matcher::OccupationId worked = matcher::kNoOccupation) {
  datagen::SeekerTruth truth;
  const size_t n = static_cast<size_t>(std::ceil(share * static_cast<double>(p.essential.size())));
  truth.skills.assign(p.essential.begin(), p.essential.begin() + static_cast<std::ptrdiff_t>(n));
  std::sort(truth.skills.begin(), truth.skills.end());
  if (worked != matcher::kNoOccupation) truth.history.push_back({worked, 5, true});
  return truth;
}

TEST(QualityRelevanceTest, GradesFollowTrueSkillsAndExperience) {
  const Pick p = FindOccupation();
  ASSERT_NE(p.occupation, matcher::kNoOccupation);
  const matcher::Taxonomy& t = *Data().taxonomy;
  EXPECT_EQ(TruthGrade(Holding(p, 1.0, p.occupation), p.occupation, t), 3);
  EXPECT_EQ(TruthGrade(Holding(p, 1.0), p.occupation, t), 2);  // skills, never worked in it
  EXPECT_EQ(TruthGrade(Holding(p, 0.5, p.sibling), p.occupation, t), 2);  // worked in the unit group
  EXPECT_EQ(TruthGrade(Holding(p, 0.5), p.occupation, t), 1);
  EXPECT_EQ(TruthGrade(Holding(p, 0.0, p.occupation), p.occupation, t), 0);
  // Experience of 0 years is training, not work.
  datagen::SeekerTruth trained = Holding(p, 1.0);
  trained.history.push_back({p.occupation, 0, true});
  EXPECT_EQ(TruthGrade(trained, p.occupation, t), 2);
}

TEST(QualityRelevanceTest, RecallAndNdcgAtK) {
  // Perfect order: everything 1.
  ListMetrics m = EvaluateList({3, 2, 2, 1, 0, 0}, 3);
  EXPECT_TRUE(m.has_fit);
  EXPECT_EQ(m.fits, 3u);
  EXPECT_DOUBLE_EQ(m.recall, 1.0);
  EXPECT_DOUBLE_EQ(m.ndcg, 1.0);
  // The fits below the cut: recall 1/3; nDCG by hand.
  m = EvaluateList({0, 1, 3, 2, 2}, 3);
  EXPECT_DOUBLE_EQ(m.recall, 1.0 / 3.0);
  const double dcg = 0 + 1 / std::log2(3.0) + 7 / std::log2(4.0);
  const double idcg = 7 + 3 / std::log2(3.0) + 3 / std::log2(4.0);
  EXPECT_NEAR(m.ndcg, dcg / idcg, 1e-12);
  // More fits than k: recall is over k.
  m = EvaluateList({2, 0, 2, 2, 2}, 2);
  EXPECT_DOUBLE_EQ(m.recall, 0.5);
  // No fit: not counted.
  m = EvaluateList({1, 0, 1}, 20);
  EXPECT_FALSE(m.has_fit);
  // A subset's recall counts only its own fits.
  EXPECT_DOUBLE_EQ(SubsetRecall({2, 3, 0, 2}, {true, false, true, true}, 2), 0.5);
  EXPECT_DOUBLE_EQ(SubsetRecall({2, 3, 0, 2}, {false, true, true, false}, 2), 1.0);
  EXPECT_EQ(SubsetRecall({2, 1}, {false, true}, 2), -1);
}

TEST(QualityLimitsTest, CaseFileViewHoldsOnlyWhatTheRecordSays) {
  const Pick p = FindOccupation();
  ASSERT_NE(p.occupation, matcher::kNoOccupation);
  const matcher::Taxonomy& t = *Data().taxonomy;
  v1::Seeker s;
  auto* goal = s.add_occupations();
  goal->set_isco_code("9112");
  goal->set_esco_uri(t.occupation(p.occupation).uri);
  s.add_occupations()->set_isco_code("5322");  // no ESCO: not in the view's history
  for (size_t i = 0; i < 4; ++i) {
    auto* k = s.add_skills();
    k->set_esco_uri(t.skill(p.essential[i]).uri);
    k->set_years(6);
  }
  const datagen::SeekerTruth view = CaseFileView(s, t);
  ASSERT_EQ(view.history.size(), 1u);
  EXPECT_EQ(view.history[0].occupation, p.occupation);
  EXPECT_EQ(view.history[0].years, 6);
  EXPECT_EQ(view.skills.size(), 4u);
  EXPECT_TRUE(std::is_sorted(view.skills.begin(), view.skills.end()));
}

v1::Seeker Base() {
  v1::Seeker s;
  s.set_id("s1");
  s.set_max_commute_minutes(30);
  s.set_commute_limit_reason(v1::STANDARD_RULE);
  s.set_min_hours_per_week(10);
  s.set_max_hours_per_week(37);
  return s;
}

TEST(QualityLimitsTest, TwinsLackExactlyTheLimit) {
  datagen::SeekerTruth truth;
  truth.standard_commute_minutes = 60;
  v1::Seeker plain = Base();
  for (int l = 0; l < kLimitCount; ++l) {
    EXPECT_FALSE(WithoutLimit(plain, truth, static_cast<Limit>(l)).has_value()) << l;
  }

  v1::Seeker needs = Base();
  needs.add_needs()->set_accommodation(v1::QUIET_WORKSPACE);
  needs.add_excluded_demands()->set_demand(v1::NOISY_ENVIRONMENT);
  needs.set_consent_share_needs_with_employers(true);
  auto twin = WithoutLimit(needs, truth, Limit::kFunctionalNeeds);
  ASSERT_TRUE(twin.has_value());
  EXPECT_EQ(twin->SerializeAsString(), Base().SerializeAsString());

  v1::Seeker health = Base();
  health.set_commute_limit_reason(v1::HEALTH);
  twin = WithoutLimit(health, truth, Limit::kHealthCommute);
  ASSERT_TRUE(twin.has_value());
  EXPECT_EQ(twin->commute_limit_reason(), v1::STANDARD_RULE);
  EXPECT_EQ(twin->max_commute_minutes(), 60);
  v1::Seeker care = Base();
  care.set_commute_limit_reason(v1::CARE_OBLIGATIONS);
  EXPECT_FALSE(WithoutLimit(care, truth, Limit::kHealthCommute).has_value());

  v1::Seeker capped = Base();
  capped.set_max_hours_per_week(15);
  capped.set_max_hours_per_day(3);
  EXPECT_FALSE(WithoutLimit(capped, truth, Limit::kHourCaps).has_value());  // not for health
  truth.health_limited_hours = true;
  twin = WithoutLimit(capped, truth, Limit::kHourCaps);
  ASSERT_TRUE(twin.has_value());
  EXPECT_EQ(twin->max_hours_per_week(), 37);
  EXPECT_EQ(twin->max_hours_per_day(), 0);
  EXPECT_EQ(twin->min_hours_per_week(), 10);

  v1::Seeker fleksjob = Base();
  fleksjob.set_fleksjob_hours_per_week(12);
  fleksjob.set_max_hours_per_week(12);
  twin = WithoutLimit(fleksjob, truth, Limit::kFleksjobHours);
  ASSERT_TRUE(twin.has_value());
  EXPECT_EQ(twin->fleksjob_hours_per_week(), 37);
  EXPECT_EQ(twin->max_hours_per_week(), 37);
  // The hour-caps twin of a fleksjob seeker leaves the fleksjob hours alone.
  EXPECT_FALSE(WithoutLimit(fleksjob, truth, Limit::kHourCaps).has_value());

  EXPECT_EQ(TwinId("s0000001", Limit::kHealthCommute), "s0000001~commute");
  EXPECT_LT(std::string("s0000001"), TwinId("s0000001", Limit::kFunctionalNeeds));
  EXPECT_LT(TwinId("s0000001", Limit::kFunctionalNeeds), std::string("s0000002"));
}

}  // namespace
}  // namespace jobmatch::quality

// The second ground truth (bench/quality/outcomes.h): the histories are a
// function of (seed, seeker, vacancy) only, follow the life cycle, and the
// metric counts the marked positions.
namespace jobmatch::quality {
namespace {

TEST(QualityOutcomesTest, HistoriesDependOnThePairNotTheMatchersOrder) {
  std::vector<std::string> ids;
  std::vector<int> grades;
  for (int i = 0; i < 40; ++i) {
    ids.push_back("v" + std::to_string(i));
    grades.push_back(i % 4);
  }
  const auto a = DrawPlacements(7, "s1", ids, grades, {0, 5});
  ASSERT_EQ(a.size(), kOutcomeRates.independent_proposals + 2);
  // The same list reversed: the same vacancies proposed, the same histories.
  std::vector<std::string> rids(ids.rbegin(), ids.rend());
  std::vector<int> rgrades(grades.rbegin(), grades.rend());
  const auto b = DrawPlacements(7, "s1", rids, rgrades, {});
  std::map<std::string, std::tuple<bool, int, int>> by_vacancy;
  for (const auto& h : a) {
    if (h.source != ProposalSource::kIndependent) continue;
    by_vacancy[ids[h.position]] = {h.started, h.months_in_work, static_cast<int>(h.ended)};
  }
  size_t same = 0;
  for (const auto& h : b) {
    auto it = by_vacancy.find(rids[h.position]);
    ASSERT_NE(it, by_vacancy.end()) << rids[h.position];
    EXPECT_EQ(it->second, std::make_tuple(h.started, h.months_in_work, static_cast<int>(h.ended)));
    ++same;
  }
  EXPECT_EQ(same, kOutcomeRates.independent_proposals);
  // Suggestions keep their positions; another seed draws other proposals.
  EXPECT_EQ(a[a.size() - 2].position, 0u);
  EXPECT_EQ(a.back().position, 5u);
  EXPECT_EQ(a.back().source, ProposalSource::kMatcherSuggested);
  const auto c = DrawPlacements(8, "s1", ids, grades, {});
  bool differs = false;
  for (size_t i = 0; i < c.size(); ++i) differs |= c[i].position != a[i].position;
  EXPECT_TRUE(differs);
}

TEST(QualityOutcomesTest, LifeCycleAndRatesByGrade) {
  // Many pairs, all proposed (a list as long as the proposals): fits start
  // and stay more often than non-fits, as kOutcomeRates says.
  size_t proposed[4] = {}, started[4] = {}, stayed[4] = {};
  for (int s = 0; s < 4000; ++s) {
    std::vector<std::string> ids;
    std::vector<int> grades;
    for (size_t i = 0; i < kOutcomeRates.independent_proposals; ++i) {
      ids.push_back("v" + std::to_string(i));
      grades.push_back(static_cast<int>(i % 4));
    }
    for (const auto& h : DrawPlacements(1, "s" + std::to_string(s), ids, grades, {})) {
      ++proposed[h.grade];
      if (!h.started) {
        EXPECT_EQ(h.ended, EndOutcome::kNone);
        EXPECT_FALSE(h.InWorkAt3Months());
        continue;
      }
      ++started[h.grade];
      stayed[h.grade] += h.InWorkAt3Months() ? 1 : 0;
      // ENDED exactly when not in work at the 6-month follow-up.
      EXPECT_EQ(h.ended == EndOutcome::kNone, h.months_in_work == 6);
    }
  }
  for (int g = 0; g < 4; ++g) {
    ASSERT_GT(proposed[g], 500u);
    const double start = static_cast<double>(started[g]) / static_cast<double>(proposed[g]);
    EXPECT_NEAR(start, kOutcomeRates.start[g], 0.05) << "grade " << g;
  }
  EXPECT_GT(static_cast<double>(stayed[3]) / static_cast<double>(started[3]),
            static_cast<double>(stayed[0]) / static_cast<double>(started[0]));
}

TEST(QualityOutcomesTest, RecallAndNdcgOfPlacements) {
  std::vector<bool> none(30, false);
  EXPECT_EQ(EvaluateOutcomes(none, 20).successes, 0u);
  EXPECT_LT(EvaluateOutcomes(none, 20).recall, 0);
  std::vector<bool> first(30, false);
  first[0] = true;
  EXPECT_DOUBLE_EQ(EvaluateOutcomes(first, 20).recall, 1.0);
  EXPECT_DOUBLE_EQ(EvaluateOutcomes(first, 20).ndcg, 1.0);
  std::vector<bool> two(30, false);
  two[1] = true;   // in the top 20 at rank 2
  two[25] = true;  // outside
  const OutcomeMetrics m = EvaluateOutcomes(two, 20);
  EXPECT_EQ(m.successes, 2u);
  EXPECT_DOUBLE_EQ(m.recall, 0.5);
  EXPECT_NEAR(m.ndcg, (1.0 / std::log2(3.0)) / (1.0 + 1.0 / std::log2(3.0)), 1e-12);
}

}  // namespace
}  // namespace jobmatch::quality

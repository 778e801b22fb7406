// The per-run rematch report on hand-built bulk results.
#include "matcher/rematch_report.h"

#include "gtest/gtest.h"

namespace jobmatch::matcher {
namespace {

struct Builder {
  BulkTopKResult result;
  std::vector<ReportSeeker> seekers;
  // A seeker whose list holds `scores` (best first; empty = no feasible match).
  void Seeker(int municipality, const std::string& group, bool needs, size_t skills, int commute,
              std::vector<double> scores, bool known = true) {
    std::vector<RankedId> ranked;
    for (double s : scores) ranked.push_back({"v", s});
    result.vacancies_for_seeker.emplace_back("s" + std::to_string(seekers.size()), ranked);
    ReportSeeker r;
    r.known = known;
    r.municipality = municipality;
    r.target_group = group;
    r.has_functional_needs = needs;
    r.skills = skills;
    r.max_commute_minutes = commute;
    seekers.push_back(r);
  }
};

TEST(RematchReportTest, CoverageIsPerMunicipalityAndTargetGroupOverKnownSeekers) {
  Builder b;
  b.Seeker(101, "jobparat", false, 8, 60, {0.9, 0.5});
  b.Seeker(101, "jobparat", false, 8, 60, {});
  b.Seeker(751, "aktivitetsparat", false, 8, 60, {0.7});
  b.Seeker(751, "", false, 8, 60, {0.3});
  b.Seeker(751, "jobparat", false, 8, 60, {0.99}, /*known=*/false);  // erased since the run
  b.result.seekers_for_vacancy = {{"v1", {{"s0", 0.9}}}, {"v2", {}}, {"v3", {}}};
  const RematchReport r = BuildRematchReport(b.result, b.seekers);
  EXPECT_EQ(r.seekers, 4u);
  EXPECT_EQ(r.seekers_with_match, 3u);
  EXPECT_EQ(r.vacancies, 3u);
  EXPECT_EQ(r.vacancies_without_candidate, 2u);
  ASSERT_EQ(r.by_municipality.size(), 2u);
  EXPECT_EQ(r.by_municipality[0].key, "101");
  EXPECT_EQ(r.by_municipality[0].seekers, 2u);
  EXPECT_DOUBLE_EQ(r.by_municipality[0].share_with_match, 0.5);
  EXPECT_DOUBLE_EQ(r.by_municipality[0].median_best_score, 0.9);
  EXPECT_EQ(r.by_municipality[1].key, "751");
  EXPECT_DOUBLE_EQ(r.by_municipality[1].share_with_match, 1.0);
  EXPECT_DOUBLE_EQ(r.by_municipality[1].median_best_score, 0.5);  // of 0.7 and 0.3
  ASSERT_EQ(r.by_target_group.size(), 3u);
  EXPECT_EQ(r.by_target_group[0].key, "(none)");
  EXPECT_EQ(r.by_target_group[1].key, "aktivitetsparat");
  EXPECT_EQ(r.by_target_group[2].key, "jobparat");
  EXPECT_EQ(r.by_target_group[2].seekers, 2u);
  EXPECT_EQ(r.by_target_group[2].with_match, 1u);
}

TEST(RematchReportTest, DistributionsBinEveryScoreAndGiveDeciles) {
  Builder b;
  b.Seeker(101, "g", false, 1, 10, {1.0, 0.0});
  b.Seeker(101, "g", false, 1, 10, {0.52});
  b.Seeker(101, "g", false, 1, 10, {0.26, 0.25});
  const RematchReport r = BuildRematchReport(b.result, b.seekers);
  ASSERT_EQ(r.best_scores.histogram.size(), size_t(kHistogramBins));
  EXPECT_EQ(r.best_scores.count, 3u);
  EXPECT_EQ(r.best_scores.histogram.back(), 1u);       // 1.0 in the last bin
  EXPECT_EQ(r.best_scores.histogram[10], 1u);          // 0.52
  EXPECT_EQ(r.best_scores.histogram[5], 1u);           // 0.26
  EXPECT_EQ(r.all_scores.count, 5u);
  EXPECT_EQ(r.all_scores.histogram[0], 1u);            // 0.0
  EXPECT_EQ(r.all_scores.histogram[5], 2u);            // 0.26, 0.25
  ASSERT_EQ(r.best_scores.deciles.size(), 11u);
  EXPECT_DOUBLE_EQ(r.best_scores.deciles.front(), 0.26);
  EXPECT_DOUBLE_EQ(r.best_scores.deciles[5], 0.52);
  EXPECT_DOUBLE_EQ(r.best_scores.deciles.back(), 1.0);
  EXPECT_NEAR(r.best_scores.mean, (1.0 + 0.52 + 0.26) / 3, 1e-12);
}

// Seekers with needs hold fewer skills here, and seekers with few skills are
// matched less often whoever they are: the raw comparison shows a gap, the
// stratified one (same skills and commute band) shows none.
TEST(RematchReportTest, FairnessComparesWithinSkillAndCommuteStrata) {
  Builder b;
  for (int i = 0; i < 40; ++i) {  // few skills: half matched, needs or not
    b.Seeker(101, "g", true, 2, 45, i % 2 ? std::vector<double>{0.4} : std::vector<double>{});
    if (i < 10) b.Seeker(101, "g", false, 2, 45, i % 2 ? std::vector<double>{0.4} : std::vector<double>{});
  }
  for (int i = 0; i < 100; ++i) b.Seeker(101, "g", false, 12, 45, {0.8});  // many skills: all
  const FairnessAudit f = BuildRematchReport(b.result, b.seekers).fairness;
  EXPECT_DOUBLE_EQ(f.raw_with_needs.share_with_match, 0.5);
  EXPECT_NEAR(f.raw_without_needs.share_with_match, 105.0 / 110, 1e-12);
  EXPECT_DOUBLE_EQ(f.needs_share, 0.5);
  EXPECT_DOUBLE_EQ(f.comparable_share, 0.5);
  EXPECT_DOUBLE_EQ(f.share_difference, 0.0);
  EXPECT_DOUBLE_EQ(f.needs_median_best, 0.4);
  EXPECT_DOUBLE_EQ(f.comparable_median_best, 0.4);
  EXPECT_FALSE(f.small_sample);
  EXPECT_EQ(f.needs_without_comparison, 0u);
  ASSERT_EQ(f.strata.size(), 16u);
  EXPECT_EQ(f.strata[1].skills_band, "0-4");
  EXPECT_EQ(f.strata[1].commute_band, "31-60 min");
  EXPECT_EQ(f.strata[1].with_needs.seekers, 40u);
  EXPECT_EQ(f.strata[1].without_needs.seekers, 10u);
}

// Within the same stratum seekers with needs are matched less often and with
// lower scores: the audit shows the gap, weighted by where they are.
TEST(RematchReportTest, FairnessShowsAGapWithinStrata) {
  Builder b;
  for (int i = 0; i < 40; ++i) {
    b.Seeker(101, "g", true, 6, 20, i % 4 == 0 ? std::vector<double>{} : std::vector<double>{0.5});
    b.Seeker(101, "g", false, 6, 20, {0.7});
  }
  for (int i = 0; i < 5; ++i) b.Seeker(101, "g", true, 25, 120, {0.9});  // nobody comparable
  const FairnessAudit f = BuildRematchReport(b.result, b.seekers).fairness;
  EXPECT_DOUBLE_EQ(f.needs_share, 0.75);
  EXPECT_DOUBLE_EQ(f.comparable_share, 1.0);
  EXPECT_DOUBLE_EQ(f.share_difference, -0.25);
  EXPECT_DOUBLE_EQ(f.needs_median_best, 0.5);
  EXPECT_DOUBLE_EQ(f.comparable_median_best, 0.7);
  EXPECT_NEAR(f.median_best_difference, -0.2, 1e-12);
  EXPECT_EQ(f.needs_without_comparison, 5u);
  EXPECT_EQ(f.raw_with_needs.seekers, 45u);
}

TEST(RematchReportTest, FewSeekersWithNeedsAreFlagged) {
  Builder b;
  b.Seeker(101, "g", true, 6, 20, {0.5});
  b.Seeker(101, "g", false, 6, 20, {0.5});
  EXPECT_TRUE(BuildRematchReport(b.result, b.seekers).fairness.small_sample);
}

}  // namespace
}  // namespace jobmatch::matcher

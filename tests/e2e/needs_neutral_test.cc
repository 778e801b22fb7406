// Issue 13 §1 through the public gRPC API: functional needs and health-based
// limits decide feasibility only and never lower a seeker's position.
#include <string>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "tests/e2e/api_fixture.h"

namespace jobmatch::testing {
namespace {

class NeedsNeutralTest : public ServiceFixture {};

// The twins 14 minutes from a job: a commute limit of 90 (standard)
// and one of 30 for health reasons gave 0.8448 and 0.8045.
TEST_F(NeedsNeutralTest, AHealthBasedCommuteLimitCostsNoScore) {
  v1::Seeker standard = ValidSeeker("twin-standard", 8200);
  standard.set_max_commute_minutes(90);
  standard.set_commute_limit_reason(v1::STANDARD_RULE);
  v1::Seeker health = ValidSeeker("twin-health", 8200);
  health.set_max_commute_minutes(30);
  health.set_commute_limit_reason(v1::HEALTH);
  // With consent, so that what is computed from needs and limits shows.
  standard.set_consent_share_needs_with_employers(true);
  health.set_consent_share_needs_with_employers(true);
  ASSERT_TRUE(PutSeeker(standard).ok());
  ASSERT_TRUE(PutSeeker(health).ok());
  ASSERT_TRUE(PutVacancy(ValidVacancy("job", 8000)).ok());

  const v1::Explanation a = Explain("twin-standard", "job");
  const v1::Explanation b = Explain("twin-health", "job");
  ASSERT_EQ(a.verdict(), "FEASIBLE");
  ASSERT_EQ(b.verdict(), "FEASIBLE");
  ASSERT_LT(a.commute_minutes(), 30);
  EXPECT_DOUBLE_EQ(a.total(), b.total());
  EXPECT_DOUBLE_EQ(a.seeker_view_total(), b.seeker_view_total());
  // The reason reaches the scorer and is named in the explanation.
  bool named = false;
  for (const auto& part : b.parts()) {
    if (part.reason() == "COMMUTE") named = part.evidence().find("HEALTH") != std::string::npos;
  }
  EXPECT_TRUE(named);
  // Ranked as equals in the employer's list (ties in the day's order).
  const v1::MatchResponse list = TopSeekers("job");
  ASSERT_EQ(list.matches_size(), 2);
  EXPECT_DOUBLE_EQ(list.matches(0).explanation().total(), list.matches(1).explanation().total());
}

// The twins for the nightly allocation: one vacancy with one place,
// two otherwise identical seekers, one with a SOFT need whose status the
// workplace has not stated. The seeker with the need lives a little nearer,
// so is the better fit on the needs-blind total, and must get the place (the
// allocation ranked by the seeker's own view, needs fit included, and gave
// it to the twin).
TEST_F(NeedsNeutralTest, ASoftNeedNeverCostsTheNightlySuggestion) {
  v1::Seeker with_need = ValidSeeker("twin-need", 8000);
  auto* need = with_need.add_needs();
  need->set_accommodation(v1::QUIET_WORKSPACE);
  need->set_strength(v1::SOFT);
  // With consent, so that the seeker's own view (computed from needs) shows.
  with_need.set_consent_share_needs_with_employers(true);
  v1::Seeker twin = ValidSeeker("twin-plain", 8200);
  twin.set_consent_share_needs_with_employers(true);
  ASSERT_TRUE(PutSeeker(with_need).ok());
  ASSERT_TRUE(PutSeeker(twin).ok());
  v1::Vacancy job = ValidVacancy("job", 8000);
  job.set_openings(1);
  ASSERT_TRUE(PutVacancy(job).ok());
  const v1::Explanation a = Explain("twin-need", "job");
  const v1::Explanation b = Explain("twin-plain", "job");
  ASSERT_GT(a.total(), b.total());                          // nearer: better fit
  ASSERT_LT(a.seeker_view_total(), b.seeker_view_total());  // the need lowers only their own view

  auto rematch = v1::RematchService::NewStub(channel_);
  v1::StartRematchRequest start;
  start.set_k(10);
  start.set_shortlist_factor(1);
  start.set_per_seeker(1);
  v1::RematchRun run;
  ASSERT_TRUE(rematch->StartRematch(Context().get(), start, &run).ok());
  for (int i = 0; i < 200 && run.state() == "RUNNING"; ++i) {
    absl::SleepFor(absl::Milliseconds(50));
    v1::GetRematchRunRequest get;
    get.set_run_id(run.run_id());
    ASSERT_TRUE(rematch->GetRematchRun(Context().get(), get, &run).ok());
  }
  ASSERT_EQ(run.state(), "DONE") << run.error();
  auto recommended = [&](const std::string& seeker) {
    v1::GetRematchMatchesRequest request;
    request.set_seeker_id(seeker);
    v1::RematchMatches matches;
    EXPECT_TRUE(rematch->GetRematchMatches(Context().get(), request, &matches).ok());
    return matches.recommended_size();
  };
  EXPECT_EQ(recommended("twin-need"), 1);
  EXPECT_EQ(recommended("twin-plain"), 0);

  // The report compares needs-blind scores and finds no ranking gap.
  v1::RematchReport report;
  ASSERT_TRUE(rematch->GetRematchReport(Context().get(), v1::GetRematchReportRequest(), &report).ok());
  EXPECT_EQ(report.fairness().ranking_inversions(), 0u);
  EXPECT_EQ(report.fairness().raw_with_needs().with_suggestion(), 1u);
  EXPECT_DOUBLE_EQ(report.fairness().raw_with_needs().median_best_score(), a.total());
  EXPECT_DOUBLE_EQ(report.fairness().raw_without_needs().median_best_score(), b.total());
  ASSERT_EQ(report.fairness().by_target_group_size(), 1);
  EXPECT_EQ(report.fairness().by_target_group(0).target_group(), "jobparat");
}

// Issue 13 §2 through the API: the new seeker and vacancy fields reach the
// scorer (they were validated, then dropped at the edge).
TEST_F(NeedsNeutralTest, DomainRulesReachTheScorerThroughTheApi) {
  // Fleksjob approved for 10 h/week against a 37-hour fleksjob.
  v1::Seeker flex = ValidSeeker("flex", 8000);
  flex.set_fleksjob_hours_per_week(10);
  flex.set_max_hours_per_week(10);
  flex.set_min_hours_per_week(5);
  ASSERT_TRUE(PutSeeker(flex).ok());
  v1::Vacancy fleksjob = ValidVacancy("fleksjob", 8000);
  fleksjob.set_kind(v1::FLEKSJOB);
  ASSERT_TRUE(PutVacancy(fleksjob).ok());
  EXPECT_EQ(Explain("flex", "fleksjob").blocker(), "HOURS_INCOMPATIBLE");
  fleksjob.set_hours_agreed_per_person(true);
  ASSERT_TRUE(PutVacancy(fleksjob).ok());
  EXPECT_NE(Explain("flex", "fleksjob").verdict(), "INFEASIBLE");

  // A physiotherapist for a dentist's job.
  v1::Seeker physio = ValidSeeker("physio", 8000, 2264);
  physio.add_authorisations("fysioterapeut");
  ASSERT_TRUE(PutSeeker(physio).ok());
  ASSERT_TRUE(PutVacancy(ValidVacancy("dentist", 8000, 2261)).ok());
  EXPECT_EQ(Explain("physio", "dentist").blocker(), "AUTHORISATION_MISSING");
  physio.add_authorisations("tandlaege");
  ASSERT_TRUE(PutSeeker(physio).ok());
  EXPECT_NE(Explain("physio", "dentist").blocker(), "AUTHORISATION_MISSING");

  // Available only after the job starts.
  v1::Seeker later = ValidSeeker("later", 8000);
  later.set_available_from_micros(absl::ToUnixMicros(absl::Now() + absl::Hours(24 * 40)));
  ASSERT_TRUE(PutSeeker(later).ok());
  v1::Vacancy soon = ValidVacancy("soon", 8000);
  soon.set_starts_micros(absl::ToUnixMicros(absl::Now() + absl::Hours(24 * 10)));
  ASSERT_TRUE(PutVacancy(soon).ok());
  EXPECT_EQ(Explain("later", "soon").blocker(), "NOT_AVAILABLE_IN_TIME");
  ASSERT_TRUE(PutVacancy(ValidVacancy("no-start", 8000)).ok());
  EXPECT_EQ(Explain("later", "no-start").verdict(), "FEASIBLE");
}

}  // namespace
}  // namespace jobmatch::testing

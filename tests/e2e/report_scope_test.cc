// Issue 14 (report scope) and 17 §4 through gRPC with API keys: the nightly
// report's rows by municipality for a consultant of some municipalities are
// those municipalities' only (docs/security.md, "The nightly report"), and
// the figures split by functional needs (fairness audit, placement outcomes
// with and without needs) reach only the roles that may see needs.
#include "absl/time/clock.h"
#include "tests/e2e/security_fixture.h"

namespace jobmatch::testing {
namespace {

using auth::Role;

class ReportScopeTest : public SecurityFixture {
 protected:
  void SetUp() override {
    SecurityFixture::SetUp();
    // Aarhus (the scoped consultant's) and København; one seeker with a
    // health-based commute limit; each placed.
    for (const auto& [id, postal] : std::vector<std::pair<std::string, int>>{
             {"s-a1", 8200}, {"s-a2", 8200}, {"s-a3", 8200}, {"s-k1", 2100}, {"s-k2", 2100}}) {
      v1::Seeker s = ValidSeeker(id, postal);
      if (id == "s-a3") {
        s.set_max_commute_minutes(45);
        s.set_commute_limit_reason(v1::HEALTH);
      }
      Put(s);
    }
    v1::Vacancy v = ValidVacancy("v-1", 8000);
    v.set_openings(10);
    Put(v);
    for (const char* id : {"s-a1", "s-a2", "s-a3", "s-k1", "s-k2"}) {
      v1::RecordFeedbackRequest r;
      r.mutable_feedback()->set_seeker_id(id);
      r.mutable_feedback()->set_vacancy_id("v-1");
      r.mutable_feedback()->set_outcome(v1::STARTED);
      ASSERT_TRUE(As(Role::kAdmin, "/jobmatch.v1.MatchService/RecordFeedback", r).status.ok());
    }
    RunRematchAsAdmin();
  }
  v1::RematchReport ReportAs(const std::string& secret) {
    auto result = Raw("/jobmatch.v1.RematchService/GetRematchReport", secret,
                      {v1::GetRematchReportRequest().SerializeAsString()});
    EXPECT_TRUE(result.status.ok()) << result.status.error_message();
    v1::RematchReport report;
    if (!result.responses.empty()) {
      EXPECT_TRUE(report.ParseFromString(result.responses.at(0)));
    }
    return report;
  }
};

TEST_F(ReportScopeTest, AScopedConsultantGetsOnlyTheirMunicipalitiesRows) {
  const v1::RematchReport all = ReportAs(SecretOf(Role::kConsultant));
  ASSERT_EQ(all.by_municipality_size(), 2);
  EXPECT_EQ(all.by_municipality(0).key(), "101");
  EXPECT_EQ(all.by_municipality(1).key(), std::to_string(aarhus_));
  ASSERT_EQ(all.placements().by_municipality_size(), 2);
  EXPECT_EQ(all.scoped_to_municipalities_size(), 0);

  const v1::RematchReport scoped = ReportAs(kScopedConsultant);
  ASSERT_EQ(scoped.by_municipality_size(), 1);
  EXPECT_EQ(scoped.by_municipality(0).key(), std::to_string(aarhus_));
  EXPECT_EQ(scoped.by_municipality(0).seekers(), 3u);
  ASSERT_EQ(scoped.placements().by_municipality_size(), 1);
  EXPECT_EQ(scoped.placements().by_municipality(0).key(), std::to_string(aarhus_));
  EXPECT_EQ(scoped.placements().by_municipality(0).started(), 3u);
  ASSERT_EQ(scoped.scoped_to_municipalities_size(), 1);
  EXPECT_EQ(scoped.scoped_to_municipalities(0), aarhus_);
  // National totals stay, equal to the unscoped caller's.
  EXPECT_EQ(scoped.seekers(), 5u);
  EXPECT_EQ(scoped.seekers(), all.seekers());
  EXPECT_EQ(scoped.placements().all().started(), 5u);
  EXPECT_EQ(scoped.by_target_group_size(), all.by_target_group_size());
}

TEST_F(ReportScopeTest, FiguresSplitByNeedsReachOnlyRolesThatMaySeeNeeds) {
  for (Role role : {Role::kConsultant, Role::kAdmin}) {
    const v1::RematchReport r = ReportAs(SecretOf(role));
    EXPECT_TRUE(r.has_fairness()) << auth::RoleName(role);
    EXPECT_EQ(r.fairness().raw_with_needs().seekers(), 1u);
    EXPECT_TRUE(r.placements().has_with_needs());
    EXPECT_EQ(r.placements().with_needs().started(), 1u);
    EXPECT_EQ(r.placements().without_needs().started(), 4u);
  }
  // The nightly scheduler's role sees no needs: the rest of the report, not
  // what is split by needs.
  const v1::RematchReport batch = ReportAs(SecretOf(Role::kBatch));
  EXPECT_EQ(batch.seekers(), 5u);
  EXPECT_EQ(batch.by_municipality_size(), 2);
  EXPECT_FALSE(batch.has_fairness());
  EXPECT_EQ(batch.placements().all().started(), 5u);
  EXPECT_FALSE(batch.placements().has_with_needs());
  EXPECT_FALSE(batch.placements().has_without_needs());
}

}  // namespace
}  // namespace jobmatch::testing

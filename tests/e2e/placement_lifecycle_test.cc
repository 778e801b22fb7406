// Issue 17 §4 through the public gRPC API: the placement life cycle's
// feedback (INTERVIEW, STARTED, FOLLOWED_UP with months, ENDED with how) is
// validated, uses the vacancy's openings like a hire, is counted in the
// nightly report's placement outcomes by municipality, target group and
// needs group, and goes with the seeker.
#include <string>

#include "tests/e2e/api_fixture.h"

namespace jobmatch::testing {
namespace {

class PlacementLifecycleTest : public ServiceFixture {
 protected:
  grpc::Status Record(const std::string& seeker, const std::string& vacancy,
                      v1::FeedbackOutcome outcome, int months = 0,
                      v1::EndOutcome end = v1::END_OUTCOME_UNSPECIFIED) {
    v1::RecordFeedbackRequest request;
    request.mutable_feedback()->set_seeker_id(seeker);
    request.mutable_feedback()->set_vacancy_id(vacancy);
    request.mutable_feedback()->set_outcome(outcome);
    request.mutable_feedback()->set_follow_up_months(months);
    request.mutable_feedback()->set_end_outcome(end);
    v1::RecordFeedbackResponse response;
    return match_->RecordFeedback(Context().get(), request, &response);
  }
  int FeedbackCount(const std::string& seeker) {
    v1::ListFeedbackRequest request;
    request.set_seeker_id(seeker);
    v1::ListFeedbackResponse response;
    grpc::Status s = match_->ListFeedback(Context().get(), request, &response);
    EXPECT_TRUE(s.ok()) << s.error_message();
    return response.feedback_size();
  }
  v1::PlacementOutcomes Placements() {
    EXPECT_EQ(RunRematchToEnd().state(), "DONE");
    auto rematch = v1::RematchService::NewStub(channel_);
    v1::RematchReport report;
    grpc::Status s =
        rematch->GetRematchReport(Context().get(), v1::GetRematchReportRequest(), &report);
    EXPECT_TRUE(s.ok()) << s.error_message();
    EXPECT_TRUE(report.has_placements());
    return report.placements();
  }
  int OpeningsLeft(const std::string& seeker, const std::string& vacancy) {
    v1::TopVacanciesRequest request;
    request.set_seeker_id(seeker);
    v1::MatchResponse response;
    EXPECT_TRUE(match_->TopVacanciesForSeeker(Context().get(), request, &response).ok());
    for (const auto& m : response.matches()) {
      if (m.id() == vacancy) return m.openings_left();
    }
    ADD_FAILURE() << vacancy << " not in " << seeker << "'s list";
    return -1;
  }
  static void ExpectInvalid(const grpc::Status& s, const std::string& field) {
    EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT) << s.error_message();
    EXPECT_NE(s.error_message().find(field), std::string::npos) << s.error_message();
  }
};

TEST_F(PlacementLifecycleTest, DetailsAreValidatedNamingFieldAndRuleAndNothingIsStored) {
  ASSERT_TRUE(PutSeeker(ValidSeeker("s-1", 8200)).ok());
  ASSERT_TRUE(PutVacancy(ValidVacancy("v-1", 8000)).ok());
  ExpectInvalid(Record("s-1", "v-1", v1::FOLLOWED_UP), "feedback.follow_up_months: must be 1, 3 or 6");
  ExpectInvalid(Record("s-1", "v-1", v1::FOLLOWED_UP, 2), "feedback.follow_up_months");
  ExpectInvalid(Record("s-1", "v-1", v1::STARTED, 3),
                "feedback.follow_up_months: allowed with outcome FOLLOWED_UP only");
  ExpectInvalid(Record("s-1", "v-1", v1::ENDED),
                "feedback.end_outcome: required with outcome ENDED");
  ExpectInvalid(Record("s-1", "v-1", v1::INTERVIEW, 0, v1::TO_EDUCATION),
                "feedback.end_outcome: required with outcome ENDED, not allowed otherwise");
  ExpectInvalid(Record("s-1", "v-1", v1::ENDED, 0, static_cast<v1::EndOutcome>(99)),
                "feedback.end_outcome: undefined value");
  EXPECT_EQ(FeedbackCount("s-1"), 0);
  EXPECT_TRUE(Record("s-1", "v-1", v1::STARTED).ok());
  EXPECT_TRUE(Record("s-1", "v-1", v1::FOLLOWED_UP, 6).ok());
  EXPECT_TRUE(Record("s-1", "v-1", v1::ENDED, 0, v1::BACK_TO_BENEFITS).ok());
  EXPECT_EQ(FeedbackCount("s-1"), 3);
}

// The stages' order (docs/placements.md, "Order") through the API: each
// refusal is INVALID_ARGUMENT naming the field and the rule, nothing is
// stored, and the order is checked against the stored history (also after a
// restart).
TEST_F(PlacementLifecycleTest, StagesOutOfOrderAreRefusedAndNothingIsStored) {
  ASSERT_TRUE(PutSeeker(ValidSeeker("s-1", 8200)).ok());
  ASSERT_TRUE(PutVacancy(ValidVacancy("v-1", 8000)).ok());
  ASSERT_TRUE(PutVacancy(ValidVacancy("v-2", 8000)).ok());
  ASSERT_TRUE(Record("s-1", "v-1", v1::INTERVIEW).ok());
  ExpectInvalid(Record("s-1", "v-1", v1::ENDED, 0, v1::TO_EMPLOYMENT),
                "feedback.outcome: ENDED requires an earlier STARTED for the pair");
  ExpectInvalid(Record("s-1", "v-1", v1::FOLLOWED_UP, 1),
                "feedback.outcome: FOLLOWED_UP requires an earlier STARTED for the pair");
  EXPECT_EQ(FeedbackCount("s-1"), 1);
  ASSERT_TRUE(Record("s-1", "v-1", v1::STARTED).ok());
  // Another pair of the seeker has its own life cycle.
  ExpectInvalid(Record("s-1", "v-2", v1::FOLLOWED_UP, 1), "requires an earlier STARTED");
  ExpectInvalid(Record("s-1", "v-1", v1::STARTED),
                "feedback.outcome: STARTED is recorded once per pair");
  ASSERT_TRUE(Record("s-1", "v-1", v1::FOLLOWED_UP, 3).ok());
  ExpectInvalid(Record("s-1", "v-1", v1::FOLLOWED_UP, 1),
                "feedback.follow_up_months: must be later than the pair's last follow-up (3 "
                "months), not 1");
  Restart();
  ExpectInvalid(Record("s-1", "v-1", v1::FOLLOWED_UP, 3), "feedback.follow_up_months");
  ASSERT_TRUE(Record("s-1", "v-1", v1::ENDED, 0, v1::TO_EMPLOYMENT).ok());
  ExpectInvalid(Record("s-1", "v-1", v1::STARTED),
                "feedback.outcome: STARTED is not allowed after the placement ENDED");
  ExpectInvalid(Record("s-1", "v-1", v1::FOLLOWED_UP, 6),
                "feedback.outcome: FOLLOWED_UP is not allowed after the placement ENDED");
  ExpectInvalid(Record("s-1", "v-1", v1::ENDED, 0, v1::TO_EDUCATION),
                "feedback.outcome: ENDED is not allowed after the placement ENDED");
  // INTERVIEW, STARTED, FOLLOWED_UP 3, ENDED: nothing refused was stored.
  EXPECT_EQ(FeedbackCount("s-1"), 4);
  // The ledger saw only what was stored: one hire of v-1, none of v-2.
  v1::PlacementOutcomes p = Placements();
  EXPECT_EQ(p.all().started(), 1u);
  EXPECT_EQ(p.all().in_work_3_months(), 1u);
  EXPECT_EQ(p.all().in_work_1_month(), 0u);
  EXPECT_EQ(p.all().ended_employment(), 1u);
}

// Small-count suppression (docs/rematch.md, "Small counts") with the
// default threshold of 5 people: a municipality of one placed seeker is
// suppressed, and the next smallest with it so that it cannot be worked out
// from "all"; two seekers with needs are suppressed, and so the seekers
// without (else all - without = with); medians only from 5 starts or more.
TEST_F(PlacementLifecycleTest, SmallCellsAreSuppressedSoThatNoneCanBeWorkedOut) {
  options_.report_min_cell_people = 5;
  Restart();
  int n = 0;
  auto place = [&](int postal, bool needs, int count) {
    for (int i = 0; i < count; ++i) {
      const std::string id = "s-" + std::to_string(++n);
      v1::Seeker s = ValidSeeker(id, postal);
      if (needs) {
        s.set_max_commute_minutes(45);
        s.set_commute_limit_reason(v1::HEALTH);
        s.set_target_group("aktivitetsparat");
      }
      ASSERT_TRUE(PutSeeker(s).ok());
      ASSERT_TRUE(Record(id, "v-1", v1::STARTED).ok());
    }
  };
  v1::Vacancy v = ValidVacancy("v-1", 8000);
  v.set_openings(20);
  ASSERT_TRUE(PutVacancy(v).ok());
  place(8200, false, 4);  // Aarhus: 6 people, 2 of them with needs
  place(8200, true, 2);
  place(5000, false, 5);  // Odense: 5
  place(2100, false, 1);  // København: 1

  v1::PlacementOutcomes p = Placements();
  EXPECT_FALSE(p.all().suppressed());
  EXPECT_EQ(p.all().started(), 12u);
  EXPECT_EQ(p.all().with_start_time(), 12u);
  EXPECT_TRUE(p.with_needs().suppressed());
  EXPECT_EQ(p.with_needs().started(), 0u);
  EXPECT_TRUE(p.without_needs().suppressed()) << "all - without needs would give it away";
  EXPECT_EQ(p.without_needs().started(), 0u);
  ASSERT_EQ(p.by_municipality_size(), 3);
  EXPECT_EQ(p.by_municipality(0).key(), "101");  // København: 1 person
  EXPECT_TRUE(p.by_municipality(0).suppressed());
  EXPECT_EQ(p.by_municipality(0).started(), 0u);
  EXPECT_EQ(p.by_municipality(0).name(), "København");
  EXPECT_EQ(p.by_municipality(1).key(), "461");  // Odense: 5, the next smallest
  EXPECT_TRUE(p.by_municipality(1).suppressed());
  EXPECT_EQ(p.by_municipality(2).key(), "751");  // Aarhus: 6, shown
  EXPECT_FALSE(p.by_municipality(2).suppressed());
  EXPECT_EQ(p.by_municipality(2).started(), 6u);
  EXPECT_EQ(p.by_municipality(2).with_start_time(), 6u);
  ASSERT_EQ(p.by_target_group_size(), 2);
  EXPECT_TRUE(p.by_target_group(0).suppressed());  // aktivitetsparat: 2
  EXPECT_TRUE(p.by_target_group(1).suppressed());  // jobparat: 10, with it

  // The coverage rows by the same rule; the report says its threshold.
  auto rematch = v1::RematchService::NewStub(channel_);
  v1::RematchReport report;
  ASSERT_TRUE(
      rematch->GetRematchReport(Context().get(), v1::GetRematchReportRequest(), &report).ok());
  EXPECT_EQ(report.min_cell_people(), 5u);
  EXPECT_EQ(report.seekers(), 12u);
  ASSERT_EQ(report.by_municipality_size(), 3);
  EXPECT_TRUE(report.by_municipality(0).suppressed());
  EXPECT_EQ(report.by_municipality(0).seekers(), 0u);
  // Odense (5) and Aarhus (6) are published perturbed by their cell keys
  // (docs/rematch.md, "Two nights compared"): within 2 of the truth when
  // shown, and with København suppressed, at least one of them is too.
  EXPECT_TRUE(report.by_municipality(1).suppressed() || report.by_municipality(2).suppressed());
  for (int i : {1, 2}) {
    const uint64_t truth = i == 1 ? 5 : 6;
    const uint64_t shown = report.by_municipality(i).seekers();
    if (report.by_municipality(i).suppressed()) {
      EXPECT_EQ(shown, 0u);
    } else {
      EXPECT_GE(shown + 2, truth);
      EXPECT_LE(shown, truth + 2);
    }
  }
  EXPECT_TRUE(report.fairness().raw_with_needs().suppressed());
  EXPECT_TRUE(report.fairness().raw_without_needs().suppressed());
  EXPECT_EQ(report.fairness().needs_share(), 0.0) << "describes the two seekers with needs";
  for (const auto& stratum : report.fairness().strata()) {
    EXPECT_EQ(stratum.with_needs().seekers(), 0u) << stratum.skills_band();
  }
}

TEST_F(PlacementLifecycleTest, OutcomesAreCountedByGroupUseOpeningsAndGoWithTheSeeker) {
  // Aarhus (8200) without needs, jobparat; Aarhus with a health-based
  // commute limit, aktivitetsparat; another municipality (2100 København).
  v1::Seeker a = ValidSeeker("s-a", 8200);
  v1::Seeker b = ValidSeeker("s-b", 8200);
  b.set_max_commute_minutes(45);
  b.set_commute_limit_reason(v1::HEALTH);
  b.set_target_group("aktivitetsparat");
  v1::Seeker c = ValidSeeker("s-c", 2100);
  v1::Seeker d = ValidSeeker("s-d", 8200);
  for (const auto& s : {a, b, c, d}) ASSERT_TRUE(PutSeeker(s).ok());
  v1::Vacancy v = ValidVacancy("v-1", 8000);
  v.set_openings(3);
  ASSERT_TRUE(PutVacancy(v).ok());
  ASSERT_TRUE(PutVacancy(ValidVacancy("v-2", 2100)).ok());

  // No placements yet: the section is there, with zeros.
  v1::PlacementOutcomes none = Placements();
  EXPECT_EQ(none.all().started(), 0u);
  EXPECT_EQ(none.by_municipality_size(), 0);

  // s-a: the whole life cycle, still in work at 1, 3 and 6 months.
  for (v1::FeedbackOutcome o : {v1::CONTACTED, v1::INTERVIEW, v1::HIRED, v1::STARTED}) {
    ASSERT_TRUE(Record("s-a", "v-1", o).ok()) << v1::FeedbackOutcome_Name(o);
  }
  EXPECT_EQ(OpeningsLeft("s-d", "v-1"), 2);
  for (int m : {1, 3, 6}) ASSERT_TRUE(Record("s-a", "v-1", v1::FOLLOWED_UP, m).ok());
  // s-b: started, followed up at 1 month, ended back on benefits.
  ASSERT_TRUE(Record("s-b", "v-1", v1::SHORTLISTED).ok());
  ASSERT_TRUE(Record("s-b", "v-1", v1::STARTED).ok());
  ASSERT_TRUE(Record("s-b", "v-1", v1::FOLLOWED_UP, 1).ok());
  ASSERT_TRUE(Record("s-b", "v-1", v1::ENDED, 0, v1::BACK_TO_BENEFITS).ok());
  // An ended placement still filled its opening (like HIRED).
  EXPECT_EQ(OpeningsLeft("s-d", "v-1"), 1);
  // s-c: started in København, ended into education.
  ASSERT_TRUE(Record("s-c", "v-2", v1::STARTED).ok());
  ASSERT_TRUE(Record("s-c", "v-2", v1::ENDED, 0, v1::TO_EDUCATION).ok());
  // s-d: only an interview, not a placement.
  ASSERT_TRUE(Record("s-d", "v-1", v1::INTERVIEW).ok());

  auto check = [&](const v1::PlacementOutcomes& p, bool with_b) {
    const uint64_t b_count = with_b ? 1 : 0;
    EXPECT_EQ(p.all().started(), 2 + b_count);
    EXPECT_EQ(p.all().in_work_1_month(), 1 + b_count);
    EXPECT_EQ(p.all().in_work_3_months(), 1u);
    EXPECT_EQ(p.all().in_work_6_months(), 1u);
    EXPECT_EQ(p.all().ended_education(), 1u);
    EXPECT_EQ(p.all().ended_back_to_benefits(), b_count);
    EXPECT_EQ(p.all().ended_employment(), 0u);
    EXPECT_EQ(p.all().with_start_time(), 2 + b_count);
    EXPECT_GE(p.all().median_days_to_start(), 0.0);
    EXPECT_LT(p.all().median_days_to_start(), 1.0);
    EXPECT_EQ(p.with_needs().started(), b_count);
    EXPECT_EQ(p.with_needs().ended_back_to_benefits(), b_count);
    EXPECT_EQ(p.without_needs().started(), 2u);
    EXPECT_EQ(p.without_needs().in_work_6_months(), 1u);
    ASSERT_EQ(p.by_municipality_size(), 2);
    EXPECT_EQ(p.by_municipality(0).key(), "101");  // København
    EXPECT_EQ(p.by_municipality(0).name(), "København");
    EXPECT_EQ(p.by_municipality(0).started(), 1u);
    EXPECT_EQ(p.by_municipality(0).ended_education(), 1u);
    EXPECT_EQ(p.by_municipality(1).key(), "751");  // Aarhus
    EXPECT_EQ(p.by_municipality(1).started(), 1 + b_count);
    ASSERT_EQ(p.by_target_group_size(), with_b ? 2 : 1);
    EXPECT_EQ(p.by_target_group(0).key(), with_b ? "aktivitetsparat" : "jobparat");
    EXPECT_EQ(p.by_target_group(with_b ? 1 : 0).started(), 2u);
  };
  check(Placements(), true);
  // From storage: the same after a restart.
  Restart();
  check(Placements(), true);
  EXPECT_EQ(OpeningsLeft("s-d", "v-1"), 1);

  // Erasing s-b erases their life cycle: not counted, opening freed.
  v1::DeleteSeekerRequest del;
  del.set_id("s-b");
  v1::DeleteResponse deleted;
  ASSERT_TRUE(seekers_->Delete(Context().get(), del, &deleted).ok());
  EXPECT_EQ(FeedbackCount("s-b"), 0);
  EXPECT_EQ(OpeningsLeft("s-d", "v-1"), 2);
  check(Placements(), false);
  Restart();
  EXPECT_EQ(FeedbackCount("s-b"), 0);
  check(Placements(), false);
}

}  // namespace
}  // namespace jobmatch::testing

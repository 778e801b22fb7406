// PlacementHistoryService.Import through the public gRPC API: events keep
// the times they carry; each is checked like RecordFeedback (closed codes,
// the life cycle's order against the pair's stored history) plus the time
// rules; a bad event is reported by index, field and rule and not stored;
// the rest of the request is; imported history is erased with its seeker.
#include <string>

#include "absl/time/clock.h"
#include "jobmatch/v1/placement_history_service.grpc.pb.h"
#include "jobmatch/v1/rematch_service.grpc.pb.h"
#include "server/auth/method_policy.h"
#include "tests/e2e/api_fixture.h"

namespace jobmatch::testing {
namespace {

constexpr int64_t kDay = int64_t{86400} * 1000000;

v1::Feedback Event(const std::string& seeker, const std::string& vacancy,
                   v1::FeedbackOutcome outcome, int64_t time, int months = 0,
                   v1::EndOutcome end = v1::END_OUTCOME_UNSPECIFIED) {
  v1::Feedback f;
  f.set_seeker_id(seeker);
  f.set_vacancy_id(vacancy);
  f.set_outcome(outcome);
  f.set_time_micros(time);
  f.set_follow_up_months(months);
  f.set_end_outcome(end);
  return f;
}

class PlacementImportTest : public ServiceFixture {
 protected:
  void SetUp() override {
    ServiceFixture::SetUp();
    ASSERT_TRUE(PutSeeker(ValidSeeker("s-1", 8200)).ok());
    ASSERT_TRUE(PutSeeker(ValidSeeker("s-2", 8200)).ok());
    ASSERT_TRUE(PutVacancy(ValidVacancy("v-1", 8000)).ok());
    ASSERT_TRUE(PutVacancy(ValidVacancy("v-2", 8000)).ok());
    now_ = absl::ToUnixMicros(absl::Now());
  }
  v1::ImportPlacementHistoryResponse Import(const std::vector<v1::Feedback>& events,
                                            grpc::Status* status = nullptr) {
    auto stub = v1::PlacementHistoryService::NewStub(channel_);
    v1::ImportPlacementHistoryRequest request;
    for (const auto& e : events) *request.add_events() = e;
    v1::ImportPlacementHistoryResponse response;
    grpc::Status s = stub->Import(Context().get(), request, &response);
    if (status != nullptr) {
      *status = s;
    } else {
      EXPECT_TRUE(s.ok()) << s.error_message();
    }
    return response;
  }
  std::vector<v1::Feedback> Stored(const std::string& seeker) {
    v1::ListFeedbackRequest request;
    request.set_seeker_id(seeker);
    v1::ListFeedbackResponse response;
    EXPECT_TRUE(match_->ListFeedback(Context().get(), request, &response).ok());
    return {response.feedback().begin(), response.feedback().end()};
  }
  v1::PlacementOutcomeRow AllPlacements() {
    EXPECT_EQ(RunRematchToEnd().state(), "DONE");
    auto rematch = v1::RematchService::NewStub(channel_);
    v1::RematchReport report;
    EXPECT_TRUE(
        rematch->GetRematchReport(Context().get(), v1::GetRematchReportRequest(), &report).ok());
    return report.placements().all();
  }
  static void ExpectError(const v1::ImportPlacementHistoryResponse& r, int at, const char* code,
                          const std::string& message) {
    for (const auto& e : r.errors()) {
      if (static_cast<int>(e.index()) != at) continue;
      EXPECT_EQ(e.error_code(), code) << e.error_message();
      EXPECT_NE(e.error_message().find(message), std::string::npos) << e.error_message();
      return;
    }
    ADD_FAILURE() << "no error for event " << at << " (" << message << ")";
  }
  int64_t now_ = 0;
};

TEST_F(PlacementImportTest, EventsKeepTheirTimesAndCountInTheReport) {
  const int64_t t0 = now_ - 200 * kDay;
  auto r = Import({Event("s-1", "v-1", v1::SHORTLISTED, t0),
                   Event("s-1", "v-1", v1::INTERVIEW, t0 + 10 * kDay),
                   Event("s-1", "v-1", v1::STARTED, t0 + 30 * kDay),
                   Event("s-1", "v-1", v1::FOLLOWED_UP, t0 + 61 * kDay, 1),
                   Event("s-1", "v-1", v1::FOLLOWED_UP, t0 + 122 * kDay, 3),
                   Event("s-1", "v-1", v1::ENDED, t0 + 150 * kDay, 0, v1::TO_EDUCATION)});
  EXPECT_EQ(r.accepted(), 6u);
  EXPECT_EQ(r.rejected(), 0u);
  const auto stored = Stored("s-1");
  ASSERT_EQ(stored.size(), 6u);
  EXPECT_EQ(stored[0].time_micros(), t0);
  EXPECT_EQ(stored[5].time_micros(), t0 + 150 * kDay);
  EXPECT_EQ(stored[3].follow_up_months(), 1);
  const v1::PlacementOutcomeRow all = AllPlacements();
  EXPECT_EQ(all.started(), 1u);
  EXPECT_EQ(all.in_work_1_month(), 1u);
  EXPECT_EQ(all.in_work_3_months(), 1u);
  EXPECT_EQ(all.in_work_6_months(), 0u);
  EXPECT_EQ(all.ended_education(), 1u);
  EXPECT_EQ(all.with_start_time(), 1u);
  EXPECT_DOUBLE_EQ(all.median_days_to_start(), 30.0) << "from the imported times, not today";
  // The pair is closed for matching like a recorded hire, and the order
  // holds for RecordFeedback after an import too.
  v1::RecordFeedbackRequest again;
  *again.mutable_feedback() = Event("s-1", "v-1", v1::STARTED, 0);
  v1::RecordFeedbackResponse ignored;
  grpc::Status s = match_->RecordFeedback(Context().get(), again, &ignored);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT) << s.error_message();
}

TEST_F(PlacementImportTest, BadEventsAreReportedByFieldAndRuleAndOnlyTheyAreLeftOut) {
  const int64_t t0 = now_ - 100 * kDay;
  ASSERT_EQ(Import({Event("s-2", "v-2", v1::STARTED, t0)}).accepted(), 1u);
  auto r = Import({
      Event("s-1", "v-1", v1::SHORTLISTED, t0),                           // 0 ok
      Event("s-1", "v-1", v1::CONTACTED, now_ + kDay),                    // 1 future
      Event("s-1", "v-1", v1::CONTACTED, 0),                              // 2 no time
      Event("s-1", "v-1", v1::CONTACTED, t0 - kDay),                      // 3 before the pair's last
      Event("s-1", "v-1", v1::FOLLOWED_UP, t0 + kDay, 1),                 // 4 no start
      Event("s-1", "v-1", v1::FOLLOWED_UP, t0 + kDay, 2),                 // 5 months
      Event("s-1", "v-1", v1::ENDED, t0 + kDay),                          // 6 no end outcome
      Event("s-1", "v-9", v1::SHORTLISTED, t0),                           // 7 no vacancy
      Event("s-9", "v-1", v1::SHORTLISTED, t0),                           // 8 no seeker
      Event("s-1", "v-1", static_cast<v1::FeedbackOutcome>(999), t0 + kDay),  // 9 closed code
      Event("s-2", "v-2", v1::STARTED, t0 + kDay),                        // 10 started twice
      Event("s-2", "v-2", v1::FOLLOWED_UP, t0 + 31 * kDay, 1),            // 11 ok
      Event("s-1", "v-1", v1::CONTACTED, 946684800LL * 1000000 - 1),      // 12 before 2000
      Event("s-1", "v-1", v1::INTERVIEW, t0 + 2 * kDay),                  // 13 ok
  });
  EXPECT_EQ(r.accepted(), 3u);
  EXPECT_EQ(r.rejected(), 11u);
  ExpectError(r, 1, "INVALID_ARGUMENT", "feedback.time_micros: must not be in the future");
  ExpectError(r, 2, "INVALID_ARGUMENT", "feedback.time_micros: must be set");
  ExpectError(r, 3, "INVALID_ARGUMENT",
              "feedback.time_micros: must be later than the pair's latest feedback");
  ExpectError(r, 4, "INVALID_ARGUMENT", "feedback.outcome: FOLLOWED_UP requires an earlier STARTED");
  ExpectError(r, 5, "INVALID_ARGUMENT", "feedback.follow_up_months: must be 1, 3 or 6");
  ExpectError(r, 6, "INVALID_ARGUMENT", "feedback.end_outcome: required with outcome ENDED");
  ExpectError(r, 7, "NOT_FOUND", "feedback.vacancy_id: vacancy v-9 not found");
  ExpectError(r, 8, "NOT_FOUND", "feedback.seeker_id: seeker s-9 not found");
  ExpectError(r, 9, "INVALID_ARGUMENT", "feedback.outcome: must be set");
  ExpectError(r, 10, "INVALID_ARGUMENT", "feedback.outcome: STARTED is recorded once per pair");
  ExpectError(r, 12, "INVALID_ARGUMENT", "feedback.time_micros: must be on or after 2000-01-01");
  const auto s1 = Stored("s-1");
  ASSERT_EQ(s1.size(), 2u);
  EXPECT_EQ(s1[0].outcome(), v1::SHORTLISTED);
  EXPECT_EQ(s1[1].outcome(), v1::INTERVIEW);
  EXPECT_EQ(Stored("s-2").size(), 2u);

  grpc::Status status;
  std::vector<v1::Feedback> too_many(1001, Event("s-1", "v-2", v1::SHORTLISTED, t0));
  Import(too_many, &status);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_NE(status.error_message().find("events: at most 1000 per request"), std::string::npos);
}

TEST_F(PlacementImportTest, ImportedHistoryIsErasedWithTheSeeker) {
  const int64_t t0 = now_ - 120 * kDay;
  ASSERT_EQ(Import({Event("s-1", "v-1", v1::SHORTLISTED, t0),
                    Event("s-1", "v-1", v1::STARTED, t0 + 20 * kDay),
                    Event("s-1", "v-1", v1::FOLLOWED_UP, t0 + 50 * kDay, 1),
                    Event("s-2", "v-2", v1::STARTED, t0)})
                .accepted(),
            4u);
  EXPECT_EQ(AllPlacements().started(), 2u);
  v1::DeleteSeekerRequest del;
  del.set_id("s-1");
  v1::DeleteResponse deleted;
  ASSERT_TRUE(seekers_->Delete(Context().get(), del, &deleted).ok());
  EXPECT_TRUE(Stored("s-1").empty());
  v1::ListFeedbackRequest by_vacancy;
  by_vacancy.set_vacancy_id("v-1");
  v1::ListFeedbackResponse left;
  ASSERT_TRUE(match_->ListFeedback(Context().get(), by_vacancy, &left).ok());
  EXPECT_EQ(left.feedback_size(), 0);
  EXPECT_EQ(AllPlacements().started(), 1u);
  Restart();
  EXPECT_TRUE(Stored("s-1").empty());
  EXPECT_EQ(AllPlacements().started(), 1u);
  // Importing for the erased seeker stores nothing.
  auto r = Import({Event("s-1", "v-1", v1::SHORTLISTED, t0)});
  EXPECT_EQ(r.accepted(), 0u);
  ExpectError(r, 0, "NOT_FOUND", "feedback.seeker_id: seeker s-1 not found");
}

TEST(PlacementImportPolicyTest, OnlyBatchAndAdminMayImport) {
  const auto policy = auth::MethodPolicy::Default();
  for (auth::Role role : auth::kAllRoles) {
    const bool allowed = policy.Check("/jobmatch.v1.PlacementHistoryService/Import", role) ==
                         auth::MethodPolicy::Access::kAllowed;
    EXPECT_EQ(allowed, role == auth::Role::kBatch || role == auth::Role::kAdmin)
        << auth::RoleName(role);
  }
}

}  // namespace
}  // namespace jobmatch::testing

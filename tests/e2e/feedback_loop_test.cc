// Feedback closes the loop: rejected, not-interested and hired pairs leave
// the nightly suggestions and are marked in live lists; a hire reduces the
// vacancy's openings left (live and in the allocation's capacity); all of it
// is read from storage (a restart changes nothing) and goes with the seeker.
#include <algorithm>
#include <map>
#include <string>
#include <vector>

#include "tests/e2e/api_fixture.h"

namespace jobmatch::testing {
namespace {

class FeedbackLoopTest : public ServiceFixture {
 protected:
  grpc::Status Record(const std::string& seeker, const std::string& vacancy,
                      v1::FeedbackOutcome outcome,
                      v1::RejectionReason reason = v1::REJECTION_REASON_UNSPECIFIED) {
    v1::RecordFeedbackRequest request;
    request.mutable_feedback()->set_seeker_id(seeker);
    request.mutable_feedback()->set_vacancy_id(vacancy);
    request.mutable_feedback()->set_outcome(outcome);
    request.mutable_feedback()->set_reason(reason);
    v1::RecordFeedbackResponse response;
    return match_->RecordFeedback(Context().get(), request, &response);
  }
  const v1::MatchEntry* Entry(const v1::MatchResponse& r, const std::string& id) {
    for (const auto& m : r.matches()) {
      if (m.id() == id) return &m;
    }
    return nullptr;
  }
  v1::MatchResponse VacanciesFor(const std::string& seeker) {
    v1::TopVacanciesRequest request;
    request.set_seeker_id(seeker);
    v1::MatchResponse response;
    EXPECT_TRUE(match_->TopVacanciesForSeeker(Context().get(), request, &response).ok());
    return response;
  }
  v1::MatchResponse SeekersFor(const std::string& vacancy) {
    v1::TopSeekersRequest request;
    request.set_vacancy_id(vacancy);
    v1::MatchResponse response;
    EXPECT_TRUE(match_->TopSeekersForVacancy(Context().get(), request, &response).ok());
    return response;
  }
  // The vacancies recommended to `seeker` by the current nightly run.
  std::vector<std::string> Recommended(const std::string& seeker) {
    auto rematch = v1::RematchService::NewStub(channel_);
    v1::GetRematchMatchesRequest request;
    request.set_seeker_id(seeker);
    v1::RematchMatches matches;
    grpc::Status s = rematch->GetRematchMatches(Context().get(), request, &matches);
    EXPECT_TRUE(s.ok()) << s.error_message();
    ranked_[seeker].clear();
    for (const auto& m : matches.matches()) ranked_[seeker].push_back(m.id());
    return {matches.recommended().begin(), matches.recommended().end()};
  }
  static bool Contains(const std::vector<std::string>& list, const std::string& id) {
    return std::find(list.begin(), list.end(), id) != list.end();
  }

  std::map<std::string, std::vector<std::string>> ranked_;
};

TEST_F(FeedbackLoopTest, ClosedPairsLeaveSuggestionsAreMarkedLiveAndHiresUseUpOpenings) {
  for (const char* id : {"s-a", "s-b", "s-c", "s-d", "s-e"}) {
    ASSERT_TRUE(PutSeeker(ValidSeeker(id, 8200)).ok());
  }
  v1::Vacancy v1_ = ValidVacancy("v-1", 8000);
  v1_.set_openings(2);
  ASSERT_TRUE(PutVacancy(v1_).ok());
  ASSERT_TRUE(PutVacancy(ValidVacancy("v-2", 8000)).ok());

  // Before any feedback: every seeker is suggested v-1 (capacity 2 x 4).
  ASSERT_EQ(RunRematchToEnd().state(), "DONE");
  for (const char* id : {"s-a", "s-b", "s-c", "s-d"}) {
    EXPECT_TRUE(Contains(Recommended(id), "v-1")) << id;
  }
  EXPECT_EQ(Entry(VacanciesFor("s-a"), "v-1")->openings_left(), 2);

  ASSERT_TRUE(Record("s-a", "v-1", v1::NOT_INTERESTED).ok());
  ASSERT_TRUE(Record("s-b", "v-1", v1::REJECTED, v1::EMPLOYER_DECLINED).ok());
  ASSERT_TRUE(Record("s-c", "v-1", v1::HIRED).ok());
  ASSERT_TRUE(Record("s-d", "v-1", v1::SHORTLISTED).ok());
  // NOT_INTERESTED may carry a reason code; SHORTLISTED may not.
  ASSERT_TRUE(Record("s-a", "v-2", v1::NOT_INTERESTED, v1::SEEKER_DECLINED).ok());
  grpc::Status bad = Record("s-e", "v-2", v1::SHORTLISTED, v1::SEEKER_DECLINED);
  EXPECT_EQ(bad.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_NE(bad.error_message().find("feedback.reason"), std::string::npos) << bad.error_message();

  auto expect_live_marks = [&] {
    // Marked, not moved: every pair keeps its place in the live lists.
    const v1::MatchResponse for_v1 = SeekersFor("v-1");
    ASSERT_EQ(for_v1.matches_size(), 5);
    EXPECT_EQ(Entry(for_v1, "s-a")->feedback_outcome(), v1::NOT_INTERESTED);
    EXPECT_EQ(Entry(for_v1, "s-b")->feedback_outcome(), v1::REJECTED);
    EXPECT_EQ(Entry(for_v1, "s-c")->feedback_outcome(), v1::HIRED);
    EXPECT_EQ(Entry(for_v1, "s-d")->feedback_outcome(), v1::SHORTLISTED);
    EXPECT_EQ(Entry(for_v1, "s-e")->feedback_outcome(), v1::FEEDBACK_OUTCOME_UNSPECIFIED);
    for (const auto& m : for_v1.matches()) EXPECT_EQ(m.openings_left(), 1) << m.id();
    const v1::MatchResponse for_a = VacanciesFor("s-a");
    ASSERT_EQ(for_a.matches_size(), 2);
    EXPECT_EQ(Entry(for_a, "v-1")->feedback_outcome(), v1::NOT_INTERESTED);
    EXPECT_EQ(Entry(for_a, "v-1")->openings_left(), 1);
    EXPECT_EQ(Entry(for_a, "v-2")->openings_left(), 2);
  };
  expect_live_marks();

  // The nightly suggestions leave the closed pairs out; the ranked lists
  // keep them.
  ASSERT_EQ(RunRematchToEnd().state(), "DONE");
  EXPECT_FALSE(Contains(Recommended("s-a"), "v-1"));
  EXPECT_TRUE(Contains(ranked_["s-a"], "v-1"));
  EXPECT_FALSE(Contains(Recommended("s-a"), "v-2"));
  EXPECT_FALSE(Contains(Recommended("s-b"), "v-1"));
  EXPECT_TRUE(Contains(Recommended("s-b"), "v-2"));
  EXPECT_FALSE(Contains(Recommended("s-c"), "v-1"));
  EXPECT_TRUE(Contains(Recommended("s-d"), "v-1"));
  EXPECT_TRUE(Contains(Recommended("s-e"), "v-1"));

  // Read from storage: the same after a restart.
  Restart();
  expect_live_marks();

  // A second hire fills the last opening: no more suggestions for v-1.
  ASSERT_TRUE(Record("s-d", "v-1", v1::HIRED).ok());
  EXPECT_EQ(Entry(SeekersFor("v-1"), "s-e")->openings_left(), 0);
  EXPECT_EQ(Entry(VacanciesFor("s-e"), "v-1")->openings_left(), 0);
  ASSERT_EQ(RunRematchToEnd().state(), "DONE");
  EXPECT_FALSE(Contains(Recommended("s-e"), "v-1"));
  EXPECT_TRUE(Contains(ranked_["s-e"], "v-1"));
  EXPECT_TRUE(Contains(Recommended("s-e"), "v-2"));

  // The latest outcome counts: s-a changes their mind.
  ASSERT_TRUE(Record("s-a", "v-2", v1::CONTACTED).ok());
  EXPECT_EQ(Entry(VacanciesFor("s-a"), "v-2")->feedback_outcome(), v1::CONTACTED);

  // Erasing a hired seeker erases their feedback: the hire no longer counts.
  v1::DeleteSeekerRequest del;
  del.set_id("s-c");
  v1::DeleteResponse deleted;
  ASSERT_TRUE(seekers_->Delete(Context().get(), del, &deleted).ok());
  EXPECT_EQ(Entry(SeekersFor("v-1"), "s-e")->openings_left(), 1);
  Restart();
  EXPECT_EQ(Entry(SeekersFor("v-1"), "s-e")->openings_left(), 1);
  EXPECT_EQ(Entry(VacanciesFor("s-a"), "v-2")->feedback_outcome(), v1::CONTACTED);
}

}  // namespace
}  // namespace jobmatch::testing

// Two request-level rules of the match API: equal scores take turns (a
// pseudo-random tie order per day for live lists and per nightly run, the
// same for every answer made with it), and a consultant may broaden or
// narrow one search's occupation breadth.
#include <algorithm>
#include <atomic>
#include <set>

#include "absl/strings/str_cat.h"
#include "jobmatch/v1/audit_service.grpc.pb.h"
#include "matcher/tie_order.h"
#include "tests/e2e/api_fixture.h"

namespace jobmatch::testing {
namespace {

std::vector<std::string> InTieOrder(std::vector<std::string> ids, uint64_t seed) {
  std::sort(ids.begin(), ids.end(), [seed](const std::string& a, const std::string& b) {
    return matcher::TieBefore(a, b, seed);
  });
  return ids;
}

class TiesTest : public ServiceFixture {
 protected:
  void SetUp() override {
    // Nightly runs start `days_later_` days from now.
    options_.rematch_clock = [this] { return absl::Now() + absl::Hours(24) * days_later_.load(); };
    ServiceFixture::SetUp();
    // Twelve twins: the same profile in the same place, so every one of
    // them scores exactly the same for the vacancy.
    for (int i = 0; i < 12; ++i) {
      const std::string id = absl::StrCat("twin-", i < 10 ? "0" : "", i);
      ASSERT_TRUE(PutSeeker(ValidSeeker(id, 8200)).ok());
      twins_.push_back(id);
    }
    v1::Vacancy v = ValidVacancy("tv", 8000);
    v.set_openings(1);  // room for 4 suggestions (shortlist factor 4)
    ASSERT_TRUE(PutVacancy(v).ok());
  }
  v1::MatchResponse Live() {
    v1::TopSeekersRequest request;
    request.set_vacancy_id("tv");
    v1::MatchResponse response;
    EXPECT_TRUE(match_->TopSeekersForVacancy(Context().get(), request, &response).ok());
    return response;
  }
  static std::vector<std::string> Ids(const v1::MatchResponse& r) {
    std::vector<std::string> ids;
    for (const auto& m : r.matches()) ids.push_back(m.id());
    return ids;
  }

  std::vector<std::string> twins_;
  std::atomic<int> days_later_{0};
};

TEST_F(TiesTest, LiveTiesFollowTheDaysOrderAndRepeatExactly) {
  const v1::MatchResponse first = Live();
  ASSERT_EQ(first.matches_size(), 12);
  for (const auto& m : first.matches()) {
    EXPECT_EQ(m.explanation().total(), first.matches(0).explanation().total()) << "twins tie";
  }
  const uint64_t seed =
      matcher::DaySeed(absl::FromUnixMicros(first.trace().computed_at_micros()));
  EXPECT_EQ(Ids(first), InTieOrder(twins_, seed));
  std::vector<std::string> by_id = twins_;
  std::sort(by_id.begin(), by_id.end());
  EXPECT_NE(Ids(first), by_id) << "not simply the lowest id first";
  // The same question gives the same answer, also after a restart (within
  // the day; the seed is a function of the trace's time).
  EXPECT_EQ(Ids(Live()), Ids(first));
  Restart();
  const v1::MatchResponse again = Live();
  EXPECT_EQ(Ids(again), InTieOrder(twins_, matcher::DaySeed(absl::FromUnixMicros(
                                               again.trace().computed_at_micros()))));
}

TEST_F(TiesTest, NightlyTiesRotateFromNightToNightAndAgreeWithTheDaysLiveLists) {
  auto rematch = v1::RematchService::NewStub(channel_);
  std::set<std::vector<std::string>> orders;
  std::set<std::set<std::string>> suggested_sets;
  std::set<uint64_t> seeds;
  for (int night = 0; night < 3; ++night) {
    days_later_ = night;
    const v1::RematchRun run = RunRematchToEnd();
    ASSERT_EQ(run.state(), "DONE");
    EXPECT_EQ(run.tie_seed(), matcher::DaySeed(absl::FromUnixMicros(run.started_micros())));
    seeds.insert(run.tie_seed());
    const std::vector<std::string> want = InTieOrder(twins_, run.tie_seed());
    // The vacancy's stored list: the run's tie order.
    v1::GetRematchMatchesRequest request;
    request.set_vacancy_id("tv");
    v1::RematchMatches stored;
    ASSERT_TRUE(rematch->GetRematchMatches(Context().get(), request, &stored).ok());
    std::vector<std::string> listed;
    for (const auto& m : stored.matches()) listed.push_back(m.id());
    EXPECT_EQ(listed, want);
    orders.insert(listed);
    if (night == 0) {
      // Within the day, the live list is the stored one: one order for both.
      EXPECT_EQ(Ids(Live()), listed);
    }
    // The allocation: its 4 places go to the first 4 in the same order.
    std::set<std::string> suggested;
    for (const std::string& twin : twins_) {
      v1::GetRematchMatchesRequest mine;
      mine.set_seeker_id(twin);
      v1::RematchMatches theirs;
      ASSERT_TRUE(rematch->GetRematchMatches(Context().get(), mine, &theirs).ok());
      if (theirs.recommended_size() > 0) suggested.insert(twin);
    }
    EXPECT_EQ(suggested, std::set<std::string>(want.begin(), want.begin() + 4));
    suggested_sets.insert(suggested);
  }
  EXPECT_EQ(seeds.size(), 3u) << "every night has its own seed";
  EXPECT_GT(orders.size(), 1u) << "the order rotates between nights";
  EXPECT_GT(suggested_sets.size(), 1u) << "different twins are suggested on different nights";
}

TEST_F(ServiceFixture, OccupationBreadthOfOneQueryIsValidatedAndApplied) {
  // A building cleaner (9112) and a window cleaner's vacancy (9123): related
  // only at the sub-major group (91), outside the policy's breadth 3.
  ASSERT_TRUE(PutSeeker(ValidSeeker("cleaner", 8200, 9112)).ok());
  ASSERT_TRUE(PutVacancy(ValidVacancy("window", 8000, 9123)).ok());
  v1::TopVacanciesRequest by_seeker;
  by_seeker.set_seeker_id("cleaner");
  v1::MatchResponse response;
  ASSERT_TRUE(match_->TopVacanciesForSeeker(Context().get(), by_seeker, &response).ok());
  EXPECT_EQ(response.matches_size(), 0);
  by_seeker.set_occupation_breadth(2);
  ASSERT_TRUE(match_->TopVacanciesForSeeker(Context().get(), by_seeker, &response).ok());
  ASSERT_EQ(response.matches_size(), 1);
  EXPECT_EQ(response.matches(0).id(), "window");
  v1::TopSeekersRequest by_vacancy;
  by_vacancy.set_vacancy_id("window");
  ASSERT_TRUE(match_->TopSeekersForVacancy(Context().get(), by_vacancy, &response).ok());
  EXPECT_EQ(response.matches_size(), 0);
  by_vacancy.set_occupation_breadth(2);
  ASSERT_TRUE(match_->TopSeekersForVacancy(Context().get(), by_vacancy, &response).ok());
  ASSERT_EQ(response.matches_size(), 1);
  EXPECT_EQ(response.matches(0).id(), "cleaner");
  // Narrowing to the unit group: same-group pairs stay.
  ASSERT_TRUE(PutVacancy(ValidVacancy("same", 8000, 9112)).ok());
  by_seeker.set_occupation_breadth(4);
  ASSERT_TRUE(match_->TopVacanciesForSeeker(Context().get(), by_seeker, &response).ok());
  ASSERT_EQ(response.matches_size(), 1);
  EXPECT_EQ(response.matches(0).id(), "same");

  v1::WhyNotRequest why;
  why.set_seeker_id("cleaner");
  why.set_vacancy_id("window");
  why.set_seeker_side(true);
  v1::WhyNotResponse answer;
  ASSERT_TRUE(match_->WhyNot(Context().get(), why, &answer).ok());
  EXPECT_EQ(answer.kind(), "INFEASIBLE");
  why.set_occupation_breadth(2);
  ASSERT_TRUE(match_->WhyNot(Context().get(), why, &answer).ok());
  EXPECT_EQ(answer.kind(), "IN_LIST");

  for (int bad : {1, 5, -1, 300}) {
    SCOPED_TRACE(bad);
    by_seeker.set_occupation_breadth(bad);
    grpc::Status s = match_->TopVacanciesForSeeker(Context().get(), by_seeker, &response);
    EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
    EXPECT_NE(s.error_message().find("occupation_breadth: must be 0"), std::string::npos)
        << s.error_message();
    by_vacancy.set_occupation_breadth(bad);
    EXPECT_EQ(match_->TopSeekersForVacancy(Context().get(), by_vacancy, &response).error_code(),
              grpc::StatusCode::INVALID_ARGUMENT);
    why.set_occupation_breadth(bad);
    EXPECT_EQ(match_->WhyNot(Context().get(), why, &answer).error_code(),
              grpc::StatusCode::INVALID_ARGUMENT);
  }
}

TEST_F(ServiceFixture, ABroadenedQueryIsLoggedAndReplaysExactly) {
  ASSERT_TRUE(PutSeeker(ValidSeeker("cleaner", 8200, 9112)).ok());
  ASSERT_TRUE(PutVacancy(ValidVacancy("window", 8000, 9123)).ok());
  v1::TopVacanciesRequest request;
  request.set_seeker_id("cleaner");
  request.set_occupation_breadth(2);
  v1::MatchResponse response;
  ASSERT_TRUE(match_->TopVacanciesForSeeker(Context().get(), request, &response).ok());
  ASSERT_EQ(response.matches_size(), 1);
  auto audit = v1::AuditService::NewStub(channel_);
  v1::ListAuditEntriesRequest list;
  v1::ListAuditEntriesResponse entries;
  ASSERT_TRUE(audit->ListAuditEntries(Context().get(), list, &entries).ok());
  uint64_t sequence = 0;
  for (const auto& e : entries.entries()) {
    if (e.decision().query() == "TOP_VACANCIES_FOR_SEEKER") sequence = e.sequence();
  }
  ASSERT_NE(sequence, 0u);
  v1::ReplayRequest replay;
  replay.set_sequence(sequence);
  v1::ReplayResponse replayed;
  grpc::Status s = audit->Replay(Context().get(), replay, &replayed);
  ASSERT_TRUE(s.ok()) << s.error_message();
  EXPECT_EQ(replayed.logged().occupation_breadth(), 2);
  EXPECT_TRUE(replayed.reproduced()) << replayed.ShortDebugString();
  EXPECT_EQ(replayed.replayed().ranking_size(), 1);
}

}  // namespace
}  // namespace jobmatch::testing

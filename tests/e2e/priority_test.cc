// Priority as an explicit choice, through the public gRPC API: a consultant
// may filter and order a vacancy's list by target group and unemployment
// duration; the default list and every score stay as they were.
#include <algorithm>
#include <map>
#include <set>

#include "tests/e2e/api_fixture.h"

namespace jobmatch::testing {
namespace {

class PriorityTest : public ServiceFixture {
 protected:
  struct Person {
    const char* id;
    int postal;
    const char* group;
    int weeks;  // -1: unknown
  };
  // Aarhus seekers at different distances from the job (so their scores
  // differ), the nearest unemployed the shortest time.
  void PutPeople() {
    ASSERT_TRUE(PutVacancy(ValidVacancy("job", 8000)).ok());
    const Person people[] = {{"a-near", 8000, "jobparat", 4},
                             {"b", 8200, "jobparat", 60},
                             {"c", 8210, "aktivitetsparat", 30},
                             {"d", 8260, "aktivitetsparat", 120},
                             {"e-far", 8270, "ressourceforloeb", -1}};
    for (const Person& p : people) {
      v1::Seeker s = ValidSeeker(p.id, p.postal);
      s.set_target_group(p.group);
      // Target group is health data: results show it only with consent
      // (server/view.h); one seeker has not consented.
      s.set_consent_share_needs_with_employers(std::string(p.id) != "e-far");
      if (p.weeks >= 0) {
        s.set_unemployed_since_micros(
            absl::ToUnixMicros(absl::Now() - absl::Hours(24 * 7 * p.weeks + 24)));
      }
      ASSERT_TRUE(PutSeeker(s).ok()) << p.id;
      weeks_[p.id] = p.weeks;
      group_[p.id] = p.group;
    }
  }
  v1::MatchResponse List(const v1::SeekerPriority* priority, grpc::Status* status = nullptr) {
    v1::TopSeekersRequest request;
    request.set_vacancy_id("job");
    request.set_limit(20);
    if (priority != nullptr) *request.mutable_priority() = *priority;
    v1::MatchResponse response;
    grpc::Status s = match_->TopSeekersForVacancy(Context().get(), request, &response);
    if (status != nullptr) {
      *status = s;
    } else {
      EXPECT_TRUE(s.ok()) << s.error_message();
    }
    return response;
  }
  static std::vector<std::string> Ids(const v1::MatchResponse& r) {
    std::vector<std::string> ids;
    for (const auto& m : r.matches()) ids.push_back(m.id());
    return ids;
  }
  std::map<std::string, int> weeks_;
  std::map<std::string, std::string> group_;
};

TEST_F(PriorityTest, DefaultListIsByScoreAndUnchanged) {
  PutPeople();
  const v1::MatchResponse plain = List(nullptr);
  ASSERT_EQ(plain.matches_size(), 5);
  for (int i = 1; i < plain.matches_size(); ++i) {
    EXPECT_GE(plain.matches(i - 1).explanation().total(), plain.matches(i).explanation().total());
    EXPECT_FALSE(plain.matches(i).has_priority());
  }
  // The distances make the scores differ, so the orders below are real.
  EXPECT_GT(plain.matches(0).explanation().total(), plain.matches(4).explanation().total());
  // BY_SCORE chosen explicitly gives the same list.
  v1::SeekerPriority by_score;
  const v1::MatchResponse same = List(&by_score);
  EXPECT_EQ(Ids(same), Ids(plain));
}

TEST_F(PriorityTest, LongestUnemployedFirstReordersWithoutChangingScores) {
  PutPeople();
  const v1::MatchResponse plain = List(nullptr);
  std::map<std::string, double> total;
  for (const auto& m : plain.matches()) total[m.id()] = m.explanation().total();
  v1::SeekerPriority priority;
  priority.set_order(v1::LONGEST_UNEMPLOYED_FIRST);
  const v1::MatchResponse ordered = List(&priority);
  // Expected: the plain list stably sorted by weeks unemployed, longest first.
  std::vector<std::string> expected = Ids(plain);
  std::stable_sort(expected.begin(), expected.end(),
                   [&](const std::string& a, const std::string& b) { return weeks_[a] > weeks_[b]; });
  EXPECT_EQ(Ids(ordered), expected);
  EXPECT_EQ(Ids(ordered).front(), "d");
  EXPECT_EQ(Ids(ordered).back(), "e-far");  // unknown duration last
  EXPECT_NE(Ids(ordered), Ids(plain));
  for (int i = 0; i < ordered.matches_size(); ++i) {
    const auto& m = ordered.matches(i);
    EXPECT_EQ(m.rank(), i + 1);
    EXPECT_DOUBLE_EQ(m.explanation().total(), total[m.id()]) << m.id();
    EXPECT_EQ(m.priority().weeks_unemployed(), weeks_[m.id()]) << m.id();
    EXPECT_EQ(m.priority().target_group(), m.id() == "e-far" ? "" : group_[m.id()]) << m.id();
  }
  // And the default list afterwards is still the plain one.
  EXPECT_EQ(Ids(List(nullptr)), Ids(plain));
}

TEST_F(PriorityTest, TargetGroupOrderAndFilters) {
  PutPeople();
  v1::SeekerPriority priority;
  priority.set_order(v1::TARGET_GROUP_ORDER);
  priority.add_target_group_order("ressourceforloeb");
  priority.add_target_group_order("aktivitetsparat");
  EXPECT_EQ(Ids(List(&priority)),
            (std::vector<std::string>{"e-far", "d", "c", "b", "a-near"}));

  v1::SeekerPriority filter;
  filter.add_target_groups("aktivitetsparat");
  const v1::MatchResponse only = List(&filter);
  EXPECT_EQ(only.feasible(), 2u);
  for (const auto& m : only.matches()) EXPECT_EQ(group_[m.id()], "aktivitetsparat");

  v1::SeekerPriority long_term;
  long_term.set_min_weeks_unemployed(52);
  const auto ids = Ids(List(&long_term));
  EXPECT_EQ(std::set<std::string>(ids.begin(), ids.end()), (std::set<std::string>{"b", "d"}));
}

TEST_F(PriorityTest, BadInputNamesTheField) {
  PutPeople();
  grpc::Status status;
  v1::SeekerPriority unknown;
  unknown.add_target_groups("jobparat");
  unknown.add_target_groups("nonsense");
  List(&unknown, &status);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_NE(status.error_message().find("priority.target_groups[1]"), std::string::npos);
  v1::SeekerPriority no_order;
  no_order.set_order(v1::TARGET_GROUP_ORDER);
  List(&no_order, &status);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_NE(status.error_message().find("priority.target_group_order"), std::string::npos);

  v1::Seeker future = ValidSeeker("future");
  future.set_unemployed_since_micros(absl::ToUnixMicros(absl::Now() + absl::Hours(48)));
  status = PutSeeker(future);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_NE(status.error_message().find("seeker.unemployed_since_micros"), std::string::npos);
  v1::Seeker ancient = ValidSeeker("ancient");
  ancient.set_unemployed_since_micros(absl::ToUnixMicros(absl::Now() - absl::Hours(24 * 365 * 60)));
  EXPECT_EQ(PutSeeker(ancient).error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  v1::SeekerService::Stub* stub = seekers_.get();
  v1::GetSeekerRequest get;
  get.set_id("future");
  v1::GetSeekerResponse stored;
  EXPECT_EQ(stub->Get(Context().get(), get, &stored).error_code(), grpc::StatusCode::NOT_FOUND);
}

TEST_F(PriorityTest, ReportHasRowsByTargetGroupAndUnemployment) {
  PutPeople();
  ASSERT_EQ(RunRematchToEnd().state(), "DONE");
  auto rematch = v1::RematchService::NewStub(channel_);
  v1::RematchReport report;
  ASSERT_TRUE(rematch->GetRematchReport(Context().get(), v1::GetRematchReportRequest(), &report).ok());
  std::map<std::pair<std::string, std::string>, uint64_t> rows;
  uint64_t seekers = 0;
  for (const auto& row : report.priority()) {
    rows[{row.target_group(), row.unemployment_band()}] = row.seekers();
    seekers += row.seekers();
    EXPECT_EQ(row.with_match(), row.seekers());  // all five reach the job
  }
  EXPECT_EQ(seekers, 5u);
  EXPECT_EQ((rows[{"aktivitetsparat", "104+ weeks"}]), 1u);
  EXPECT_EQ((rows[{"aktivitetsparat", "26-51 weeks"}]), 1u);
  EXPECT_EQ((rows[{"jobparat", "0-25 weeks"}]), 1u);
  EXPECT_EQ((rows[{"jobparat", "52-103 weeks"}]), 1u);
  EXPECT_EQ((rows[{"ressourceforloeb", "unknown"}]), 1u);
}

}  // namespace
}  // namespace jobmatch::testing

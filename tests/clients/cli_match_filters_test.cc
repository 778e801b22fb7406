// The CLI's match filters and feedback commands against a real jobmatchd.
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "tests/clients/cli_runner.h"
#include "tests/e2e/api_fixture.h"

namespace jobmatch::testing {
namespace {

class CliMatchFilters : public ServiceFixture {
 protected:
  void SetUp() override {
    ServiceFixture::SetUp();
    addr_ = absl::StrCat("--address=127.0.0.1:", service_->port());
    ASSERT_TRUE(PutVacancy(ValidVacancy("v1", 8000)).ok());
    ASSERT_TRUE(PutSeeker(ValidSeeker("s-aarhus", 8200)).ok());
    ASSERT_TRUE(PutSeeker(ValidSeeker("s-skanderborg", 8660)).ok());
  }
  std::string addr_;
};

TEST_F(CliMatchFilters, FiltersReachTheServer) {
  CliRun all = RunCli(addr_ + " match-vacancy v1");
  ASSERT_EQ(all.exit_code, 0) << all.out;
  EXPECT_NE(all.out.find("s-aarhus"), std::string::npos) << all.out;
  EXPECT_NE(all.out.find("s-skanderborg"), std::string::npos) << all.out;

  const int aarhus = LocationOf(8200).municipality();
  CliRun scoped = RunCli(absl::StrCat(addr_, " match-vacancy v1 --municipality=", aarhus));
  ASSERT_EQ(scoped.exit_code, 0) << scoped.out;
  EXPECT_NE(scoped.out.find("s-aarhus"), std::string::npos) << scoped.out;
  EXPECT_EQ(scoped.out.find("s-skanderborg"), std::string::npos) << scoped.out;

  CliRun strict = RunCli(addr_ + " match-vacancy v1 --min_score=99.9");
  ASSERT_EQ(strict.exit_code, 0) << strict.out;
  EXPECT_NE(strict.out.find("0 shown"), std::string::npos) << strict.out;

  CliRun near = RunCli(addr_ + " match-vacancy v1 --max_commute=1");
  ASSERT_EQ(near.exit_code, 0) << near.out;
  EXPECT_NE(near.out.find("left out: commute over 1 min"), std::string::npos) << near.out;

  CliRun bad = RunCli(addr_ + " match-seeker s-aarhus --kind=boss");
  EXPECT_EQ(bad.exit_code, 64);
  EXPECT_NE(bad.out.find("--kind: \"boss\""), std::string::npos) << bad.out;
}

TEST_F(CliMatchFilters, FeedbackIsRecordedAndListed) {
  CliRun missing_reason = RunCli(addr_ + " feedback s-aarhus v1 rejected");
  EXPECT_EQ(missing_reason.exit_code, 64);
  EXPECT_NE(missing_reason.out.find("REASON"), std::string::npos) << missing_reason.out;
  v1::ListFeedbackRequest list;
  list.set_vacancy_id("v1");
  v1::ListFeedbackResponse listed;
  ASSERT_TRUE(match_->ListFeedback(Context().get(), list, &listed).ok());
  EXPECT_EQ(listed.feedback_size(), 0);  // nothing stored for the bad command

  CliRun shortlisted = RunCli(addr_ + " feedback s-aarhus v1 shortlisted");
  ASSERT_EQ(shortlisted.exit_code, 0) << shortlisted.out;
  CliRun rejected = RunCli(addr_ + " feedback s-skanderborg v1 rejected hours_do_not_fit");
  ASSERT_EQ(rejected.exit_code, 0) << rejected.out;
  ASSERT_TRUE(match_->ListFeedback(Context().get(), list, &listed).ok());
  ASSERT_EQ(listed.feedback_size(), 2);

  CliRun shown = RunCli(addr_ + " feedback-list vacancy v1");
  ASSERT_EQ(shown.exit_code, 0) << shown.out;
  EXPECT_NE(shown.out.find("SHORTLISTED"), std::string::npos) << shown.out;
  EXPECT_NE(shown.out.find("HOURS_DO_NOT_FIT"), std::string::npos) << shown.out;
}

TEST_F(CliMatchFilters, PlacementOutcomesAreRecordedListedAndReported) {
  CliRun no_months = RunCli(addr_ + " feedback s-aarhus v1 followed_up 2");
  EXPECT_EQ(no_months.exit_code, 64);
  EXPECT_NE(no_months.out.find("MONTHS"), std::string::npos) << no_months.out;
  CliRun no_end = RunCli(addr_ + " feedback s-aarhus v1 ended");
  EXPECT_EQ(no_end.exit_code, 64);
  EXPECT_NE(no_end.out.find("END: ended needs how it ended, one of"), std::string::npos)
      << no_end.out;
  for (const char* args : {"interview", "started", "followed_up 3", "ended to_education"}) {
    CliRun run = RunCli(addr_ + " feedback s-aarhus v1 " + args);
    ASSERT_EQ(run.exit_code, 0) << args << "\n" << run.out;
  }
  CliRun shown = RunCli(addr_ + " feedback-list seeker s-aarhus");
  ASSERT_EQ(shown.exit_code, 0) << shown.out;
  for (const char* expected : {"INTERVIEW", "STARTED", "FOLLOWED_UP", "3 months", "TO_EDUCATION",
                               "4 feedback entries"}) {
    EXPECT_NE(shown.out.find(expected), std::string::npos) << expected << "\n" << shown.out;
  }
  ASSERT_EQ(RunRematchToEnd().state(), "DONE");
  CliRun report = RunCli(addr_ + " rematch-report");
  ASSERT_EQ(report.exit_code, 0) << report.out;
  const size_t at = report.out.find("Placement outcomes");
  ASSERT_NE(at, std::string::npos) << report.out;
  // all: 1 started, in work at 3 months, ended into education; then the
  // median days (about 0 here) with n=1.
  const size_t line = report.out.find("\n  all ", at);
  ASSERT_NE(line, std::string::npos) << report.out.substr(at);
  const std::vector<std::string> cells = absl::StrSplit(
      report.out.substr(line + 1, report.out.find('\n', line + 1) - line - 1), ' ',
      absl::SkipEmpty());
  ASSERT_GE(cells.size(), 10u) << report.out.substr(at);
  EXPECT_EQ(absl::StrJoin(cells.begin(), cells.begin() + 8, " "), "all 1 0 1 0 0 1 0");
  EXPECT_EQ(cells[9], "(n=1)");
  EXPECT_NE(report.out.find("Aarhus (751)", at), std::string::npos) << report.out.substr(at);
}

}  // namespace
}  // namespace jobmatch::testing

// The CLI's match filters and feedback commands against a real jobmatchd.
#include "absl/strings/str_cat.h"
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

}  // namespace
}  // namespace jobmatch::testing

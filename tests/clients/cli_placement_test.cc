// The CLI's explanation of a development placement names the placement rule
// that applied, the skills the placement would develop, and, for a pair the
// rules exclude, the rule in the blocker.
#include <fstream>

#include "google/protobuf/util/json_util.h"
#include "tests/clients/cli_runner.h"
#include "tests/e2e/api_fixture.h"

namespace jobmatch::testing {
namespace {

TEST_F(ServiceFixture, CliExplainShowsThePlacementRuleAndTheSkillsToDevelop) {
  const std::string addr = "--addr=127.0.0.1:" + std::to_string(service_->port());
  // Holds one essential skill of the occupation fewer: something to develop.
  v1::Seeker seeker = ValidSeeker("cli-s", 8200, 5120);
  seeker.mutable_skills()->DeleteSubrange(0, 1);
  seeker.set_consent_share_needs_with_employers(true);  // results may show the rule
  ASSERT_TRUE(PutSeeker(seeker).ok());
  v1::Vacancy praktik = ValidVacancy("cli-praktik", 8000, 5120);
  praktik.set_kind(v1::VIRKSOMHEDSPRAKTIK);
  praktik.set_duration_weeks(4);
  ASSERT_TRUE(PutVacancy(praktik).ok());
  praktik.set_id("cli-long");
  praktik.set_duration_weeks(10);
  ASSERT_TRUE(PutVacancy(praktik).ok());

  CliRun explain = RunCli(addr + " explain cli-s cli-praktik");
  ASSERT_EQ(explain.exit_code, 0) << explain.out;
  EXPECT_NE(explain.out.find("DEVELOPMENT_POTENTIAL"), std::string::npos) << explain.out;
  EXPECT_NE(explain.out.find("placement rule: vp-jobparat v1 (VIRKSOMHEDSPRAKTIK, placement "
                             "rules 2026-12), at most 4 weeks, valid 2020-01-01 to further notice"),
            std::string::npos)
      << explain.out;

  CliRun blocked = RunCli(addr + " explain cli-s cli-long");
  ASSERT_EQ(blocked.exit_code, 0) << blocked.out;
  EXPECT_NE(blocked.out.find("blocked by: PLACEMENT_TOO_LONG"), std::string::npos) << blocked.out;
  EXPECT_NE(blocked.out.find("rule vp-jobparat v1 allows at most 4 weeks"), std::string::npos)
      << blocked.out;
}

}  // namespace
}  // namespace jobmatch::testing

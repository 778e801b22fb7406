// The jobmatch CLI against a real server: import with bad lines reports each
// one, and --json output parses back into the API message.
#include <cstdio>
#include <fstream>
#include <regex>
#include <set>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "google/protobuf/util/json_util.h"
#include "tests/clients/cli_runner.h"
#include "tests/e2e/api_fixture.h"

namespace jobmatch::testing {
namespace {

std::string Json(const google::protobuf::Message& m) {
  std::string out;
  (void)google::protobuf::util::MessageToJsonString(m, &out);
  return out;
}

TEST_F(ServiceFixture, CliImportReportsBadLinesAndJsonOutputParsesBack) {
  const std::string addr = "--addr=127.0.0.1:" + std::to_string(service_->port());
  const std::string file = dir_.path() + "/seekers.jsonl";
  {
    std::ofstream out(file);
    out << Json(ValidSeeker("cli-1", 8200)) << "\n";
    out << "{not json\n";
    v1::Seeker bad = ValidSeeker("cli-bad");
    bad.set_max_commute_minutes(500);
    out << Json(bad) << "\n";
    out << Json(ValidSeeker("cli-2", 8210)) << "\n";
  }
  CliRun import = RunCli(addr + " import seeker " + file);
  EXPECT_EQ(import.exit_code, 2) << import.out;
  EXPECT_NE(import.out.find("seekers.jsonl:2: not a valid seeker record"), std::string::npos) << import.out;
  EXPECT_NE(import.out.find("seekers.jsonl:3: seeker cli-bad rejected: seeker.max_commute_minutes"),
            std::string::npos) << import.out;
  EXPECT_NE(import.out.find("imported 2 seeker records, rejected 2"), std::string::npos) << import.out;

  const std::string vacancy = dir_.path() + "/vacancy.json";
  std::ofstream(vacancy) << Json(ValidVacancy("cli-job", 8000));
  EXPECT_EQ(RunCli(addr + " put vacancy " + vacancy).exit_code, 0);

  CliRun match = RunCli(addr + " --json match-vacancy cli-job");
  ASSERT_EQ(match.exit_code, 0) << match.out;
  v1::MatchResponse parsed;
  ASSERT_TRUE(google::protobuf::util::JsonStringToMessage(match.out, &parsed).ok()) << match.out;
  ASSERT_EQ(parsed.matches_size(), 2);
  EXPECT_EQ(std::set<std::string>({parsed.matches(0).id(), parsed.matches(1).id()}),
            std::set<std::string>({"cli-1", "cli-2"}));
  EXPECT_GE(parsed.matches(0).explanation().total(), parsed.matches(1).explanation().total());
  EXPECT_FALSE(parsed.trace().decision_id().empty());

  CliRun table = RunCli(addr + " match-vacancy cli-job");
  EXPECT_NE(table.out.find("cli-1"), std::string::npos);
  EXPECT_NE(table.out.find("min"), std::string::npos) << "shows commute minutes";

  // A seeker without an id is created with one the server issues.
  const std::string new_seeker = dir_.path() + "/new-seeker.json";
  std::ofstream(new_seeker) << Json(ValidSeeker("", 8200));
  CliRun created = RunCli(addr + " put seeker " + new_seeker);
  EXPECT_EQ(created.exit_code, 0) << created.out;
  std::smatch issued;
  ASSERT_TRUE(std::regex_search(created.out, issued,
                                std::regex("stored seeker (s-[a-z]{28}): version 1")))
      << created.out;
  EXPECT_EQ(RunCli(addr + " get seeker " + issued[1].str()).exit_code, 0);

  CliRun missing = RunCli(addr + " get seeker nobody");
  EXPECT_NE(missing.exit_code, 0);
  EXPECT_NE(missing.out.find("not found"), std::string::npos) << missing.out;
}

// One CSV row for a seeker with the fields ValidSeeker sets.
std::string CsvRow(const v1::Seeker& s, const std::string& max_commute) {
  std::vector<std::string> skills;
  for (const auto& skill : s.skills()) skills.push_back(skill.esco_uri());
  return absl::StrCat(s.id(), ",", s.home().lat(), ",", s.home().lon(), ",",
                      s.home().postal_code(), ",", s.home().municipality(), ",\"CAR;PUBLIC_TRANSPORT\",",
                      max_commute, ",", s.occupations(0).isco_code(), ",",
                      s.occupations(0).esco_uri(), ",", absl::StrJoin(skills, ";"), ",",
                      s.education_level(), ",da,CEFR_NATIVE,", s.min_hours_per_week(), ",",
                      s.max_hours_per_week(), ",", s.target_group(), "\n");
}

TEST_F(ServiceFixture, CliImportsCsvAndReportsEachBadRowByLineAndColumn) {
  const std::string addr = "--addr=127.0.0.1:" + std::to_string(service_->port());
  const std::string file = dir_.path() + "/seekers.csv";
  const v1::Seeker good = ValidSeeker("csv-1", 8200);
  {
    std::ofstream out(file);
    out << "id,home.lat,home.lon,home.postal_code,home.municipality,transport_modes,"
           "max_commute_minutes,occupations.isco_code,occupations.esco_uri,skills.esco_uri,"
           "education_level,languages.code,languages.level,min_hours_per_week,"
           "max_hours_per_week,target_group\n";
    out << CsvRow(good, "60");
    out << CsvRow(ValidSeeker("csv-local-error", 8200), "an hour");
    out << CsvRow(ValidSeeker("csv-server-error", 8200), "500");
    out << CsvRow(ValidSeeker("csv-2", 8210), "45");
  }
  CliRun import = RunCli(addr + " import seeker " + file);
  EXPECT_EQ(import.exit_code, 2) << import.out;
  EXPECT_NE(import.out.find("seekers.csv:3: not a valid seeker record: column max_commute_minutes: "
                            "not an integer"),
            std::string::npos)
      << import.out;
  EXPECT_NE(import.out.find("seekers.csv:4: seeker csv-server-error rejected: "
                            "seeker.max_commute_minutes"),
            std::string::npos)
      << import.out;
  EXPECT_NE(import.out.find("imported 2 seeker records, rejected 2"), std::string::npos)
      << import.out;

  CliRun got = RunCli(addr + " --json get seeker csv-1");
  ASSERT_EQ(got.exit_code, 0) << got.out;
  v1::GetSeekerResponse parsed;
  ASSERT_TRUE(google::protobuf::util::JsonStringToMessage(got.out, &parsed).ok()) << got.out;
  EXPECT_EQ(parsed.seeker().skills_size(), good.skills_size());
  EXPECT_EQ(parsed.seeker().transport_modes_size(), 2);
  EXPECT_EQ(parsed.seeker().languages(0).level(), v1::CEFR_NATIVE);
  EXPECT_DOUBLE_EQ(parsed.seeker().home().lat(), good.home().lat());

  const std::string bad_header = dir_.path() + "/typo.csv";
  std::ofstream(bad_header) << "id,max_comute_minutes\ns,1\n";
  CliRun refused = RunCli(addr + " import seeker " + bad_header);
  EXPECT_NE(refused.exit_code, 0);
  EXPECT_NE(refused.out.find("header column 2 'max_comute_minutes': no field"), std::string::npos)
      << refused.out;
}

TEST(CliTest, UnreachableServerGivesAClearMessage) {
  CliRun run = RunCli("--addr=127.0.0.1:1 --timeout=2s health");
  EXPECT_EQ(run.exit_code, 3);
  EXPECT_NE(run.out.find("cannot reach the server"), std::string::npos) << run.out;
}

}  // namespace
}  // namespace jobmatch::testing

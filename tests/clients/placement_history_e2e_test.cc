// Issue 17's "placement histories at scale", end to end and small: the data
// generator writes records and placements.jsonl, the CLI imports them into a
// running jobmatchd (`jobmatch import placements` keeps each event's time),
// and the nightly report's placement section shows exactly the counts the
// file implies — computed here from the file alone, not by the server's code.
#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "absl/time/clock.h"
#include "google/protobuf/util/json_util.h"
#include "tests/clients/cli_runner.h"
#include "tests/e2e/api_fixture.h"

namespace jobmatch::testing {
namespace {

struct PairFacts {
  bool started = false, in_work[3] = {false, false, false};
  v1::EndOutcome end = v1::END_OUTCOME_UNSPECIFIED;
  int64_t first = INT64_MAX, start = 0;
  int64_t last = 0;
};

struct Expected {
  uint64_t started = 0, in_work[3] = {0, 0, 0}, ended[3] = {0, 0, 0};
  std::vector<double> days;
  void Add(const PairFacts& p) {
    ++started;
    for (int i = 0; i < 3; ++i) in_work[i] += p.in_work[i];
    if (p.end == v1::TO_EMPLOYMENT) ++ended[0];
    if (p.end == v1::TO_EDUCATION) ++ended[1];
    if (p.end == v1::BACK_TO_BENEFITS) ++ended[2];
    if (p.start != 0) days.push_back(double(p.start - p.first) / 86400e6);
  }
  double Median() const {
    std::vector<double> d = days;
    std::sort(d.begin(), d.end());
    const size_t n = d.size();
    return n == 0 ? 0 : n % 2 == 1 ? d[n / 2] : (d[n / 2 - 1] + d[n / 2]) / 2;
  }
};

void ExpectRow(const Expected& e, const v1::PlacementOutcomeRow& row, const std::string& what) {
  EXPECT_FALSE(row.suppressed()) << what;
  EXPECT_EQ(row.started(), e.started) << what;
  EXPECT_EQ(row.in_work_1_month(), e.in_work[0]) << what;
  EXPECT_EQ(row.in_work_3_months(), e.in_work[1]) << what;
  EXPECT_EQ(row.in_work_6_months(), e.in_work[2]) << what;
  EXPECT_EQ(row.ended_employment(), e.ended[0]) << what;
  EXPECT_EQ(row.ended_education(), e.ended[1]) << what;
  EXPECT_EQ(row.ended_back_to_benefits(), e.ended[2]) << what;
  EXPECT_EQ(row.with_start_time(), e.days.size()) << what;
  EXPECT_NEAR(row.median_days_to_start(), e.Median(), 1e-9) << what;
}

std::vector<std::string> Lines(const std::string& path) {
  std::ifstream in(path);
  std::vector<std::string> lines;
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

class PlacementHistoryE2e : public ServiceFixture {};

TEST_F(PlacementHistoryE2e, GeneratedHistoriesImportedShowInTheReportAsTheFileImplies) {
  const std::string out = dir_.path() + "/data";
  const std::string today = absl::FormatTime("%Y-%m-%d", absl::Now(), absl::UTCTimeZone());
  const std::string datagen = std::string(JOBMATCH_DATAGEN_PATH) +
                              " --seed=3 --scale=0.01 --today=" + today + " --out_dir=" + out +
                              " --reference_data=" + matcher::ReferenceData::SourceTreeDataDir() +
                              " > /dev/null";
  ASSERT_EQ(std::system(datagen.c_str()), 0) << datagen;
  const std::vector<std::string> events = Lines(out + "/placements.jsonl");
  ASSERT_GT(events.size(), 300u);

  const std::string addr = "--addr=127.0.0.1:" + std::to_string(service_->port());
  for (const char* kind : {"employer", "seeker", "vacancy"}) {
    const std::string file = out + "/" + (std::string(kind) == "vacancy" ? "vacancies" : std::string(kind) + "s") + ".jsonl";
    CliRun run = RunCli(addr + " import " + kind + " " + file);
    ASSERT_EQ(run.exit_code, 0) << run.out;
  }
  CliRun imported = RunCli(addr + " import placements " + out + "/placements.jsonl");
  ASSERT_EQ(imported.exit_code, 0) << imported.out;
  EXPECT_NE(imported.out.find("imported " + std::to_string(events.size()) +
                              " placement events, rejected 0"),
            std::string::npos)
      << imported.out;

  // The file's own figures: pairs, their life cycles, the seekers' groups.
  std::map<std::pair<std::string, std::string>, PairFacts> pairs;
  std::map<std::string, int> outcomes;
  for (const std::string& line : events) {
    v1::Feedback f;
    ASSERT_TRUE(google::protobuf::util::JsonStringToMessage(line, &f).ok()) << line;
    PairFacts& p = pairs[{f.seeker_id(), f.vacancy_id()}];
    EXPECT_GT(f.time_micros(), p.last) << "a pair's events in time order: " << line;
    p.last = f.time_micros();
    p.first = std::min(p.first, f.time_micros());
    ++outcomes[v1::FeedbackOutcome_Name(f.outcome())];
    if (f.outcome() == v1::STARTED) p.start = f.time_micros();
    if (f.outcome() == v1::STARTED || f.outcome() == v1::FOLLOWED_UP || f.outcome() == v1::ENDED) {
      p.started = true;
    }
    if (f.outcome() == v1::FOLLOWED_UP) {
      p.in_work[f.follow_up_months() == 1 ? 0 : f.follow_up_months() == 3 ? 1 : 2] = true;
    }
    if (f.outcome() == v1::ENDED) p.end = f.end_outcome();
  }
  // Every stage of the life cycle occurs in the generated histories.
  for (const char* o : {"SHORTLISTED", "CONTACTED", "INTERVIEW", "HIRED", "STARTED", "FOLLOWED_UP",
                        "ENDED", "REJECTED", "NOT_INTERESTED"}) {
    EXPECT_GT(outcomes[o], 0) << o;
  }
  std::map<std::string, std::pair<int, std::string>> seeker_groups;  // municipality, group
  for (const std::string& line : Lines(out + "/seekers.jsonl")) {
    v1::Seeker s;
    ASSERT_TRUE(google::protobuf::util::JsonStringToMessage(line, &s).ok());
    seeker_groups[s.id()] = {s.home().municipality(), s.target_group()};
  }
  Expected all;
  std::map<int, Expected> by_municipality;
  std::map<std::string, Expected> by_group;
  for (const auto& [pair, facts] : pairs) {
    if (!facts.started) continue;
    all.Add(facts);
    by_municipality[seeker_groups.at(pair.first).first].Add(facts);
    by_group[seeker_groups.at(pair.first).second].Add(facts);
  }
  ASSERT_GT(all.started, 20u);
  ASSERT_GT(all.in_work[2], 0u);

  ASSERT_EQ(RunRematchToEnd().state(), "DONE");
  auto rematch = v1::RematchService::NewStub(channel_);
  v1::RematchReport report;
  ASSERT_TRUE(
      rematch->GetRematchReport(Context().get(), v1::GetRematchReportRequest(), &report).ok());
  const v1::PlacementOutcomes& p = report.placements();
  ExpectRow(all, p.all(), "all");
  ASSERT_EQ(static_cast<size_t>(p.by_municipality_size()), by_municipality.size());
  for (const auto& row : p.by_municipality()) {
    ExpectRow(by_municipality.at(std::stoi(row.key())), row, "municipality " + row.key());
  }
  ASSERT_EQ(static_cast<size_t>(p.by_target_group_size()), by_group.size());
  for (const auto& row : p.by_target_group()) ExpectRow(by_group.at(row.key()), row, row.key());
  EXPECT_EQ(p.with_needs().started() + p.without_needs().started(), all.started);

  // The CLI's report shows the same section.
  CliRun text = RunCli(addr + " rematch-report");
  ASSERT_EQ(text.exit_code, 0) << text.out;
  EXPECT_NE(text.out.find("Placement outcomes"), std::string::npos) << text.out;

  // Importing the same file again stores nothing: every event is no later
  // than its pair's stored history.
  CliRun again = RunCli(addr + " import placements " + out + "/placements.jsonl");
  EXPECT_EQ(again.exit_code, 2) << again.out;
  EXPECT_NE(again.out.find("imported 0 placement events, rejected " +
                           std::to_string(events.size())),
            std::string::npos)
      << again.out.substr(again.out.size() > 2000 ? again.out.size() - 2000 : 0);
  EXPECT_NE(again.out.find("feedback.time_micros: must be later than the pair's latest feedback"),
            std::string::npos);
}

// Lines the CLI cannot read as a Feedback (an unknown field, an unknown
// outcome, not JSON) and lines the server refuses are each reported with
// their line number, field and rule; the good lines are stored.
TEST_F(PlacementHistoryE2e, BadLinesAreReportedWithLineFieldAndRuleAndTheRestIsStored) {
  ASSERT_TRUE(PutSeeker(ValidSeeker("s-1", 8200)).ok());
  ASSERT_TRUE(PutVacancy(ValidVacancy("v-1", 8000)).ok());
  const std::string path = dir_.path() + "/bad.jsonl";
  {
    std::ofstream out(path);
    out << R"({"seeker_id":"s-1","vacancy_id":"v-1","outcome":"SHORTLISTED","time_micros":"1764000000000000"})" "\n"
        << R"({"seeker_id":"s-1","vacancy_id":"v-1","outcome":"CONTACTED","time_micros":"1764100000000000","note":"free text"})" "\n"
        << R"({"seeker_id":"s-1","vacancy_id":"v-1","outcome":"PROMOTED","time_micros":"1764100000000000"})" "\n"
        << "not json\n"
        << R"({"seeker_id":"s-1","vacancy_id":"v-1","outcome":"ENDED","time_micros":"1764200000000000","end_outcome":"TO_EDUCATION"})" "\n"
        << R"({"seeker_id":"s-1","vacancy_id":"v-1","outcome":"INTERVIEW","time_micros":"1764300000000000"})" "\n";
  }
  const std::string addr = "--addr=127.0.0.1:" + std::to_string(service_->port());
  CliRun run = RunCli(addr + " import placements " + path);
  EXPECT_EQ(run.exit_code, 2) << run.out;
  for (const std::string& expected :
       {path + ":2: not a valid placement event", path + ":3: not a valid placement event",
        path + ":4: not a valid placement event",
        path + ":5: event rejected: feedback.outcome: ENDED requires an earlier STARTED",
        std::string("imported 2 placement events, rejected 4")}) {
    EXPECT_NE(run.out.find(expected), std::string::npos) << expected << "\n" << run.out;
  }
  v1::ListFeedbackRequest request;
  request.set_seeker_id("s-1");
  v1::ListFeedbackResponse stored;
  ASSERT_TRUE(match_->ListFeedback(Context().get(), request, &stored).ok());
  ASSERT_EQ(stored.feedback_size(), 2);
  EXPECT_EQ(stored.feedback(0).time_micros(), 1764000000000000);
  EXPECT_EQ(stored.feedback(1).outcome(), v1::INTERVIEW);
}

}  // namespace
}  // namespace jobmatch::testing

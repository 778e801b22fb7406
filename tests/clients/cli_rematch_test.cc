// The CLI's rematch commands against a real server: rematch-start follows
// the run over the progress stream, rematch-report prints tables, --json
// parses back, --html writes a self-contained page with SVG charts.
#include <cstdio>
#include <fstream>
#include <sstream>

#include "absl/strings/str_cat.h"
#include "google/protobuf/util/json_util.h"
#include "jobmatch/v1/rematch_service.pb.h"
#include "tests/clients/cli_runner.h"
#include "tests/e2e/api_fixture.h"

namespace jobmatch::testing {
namespace {

size_t Count(const std::string& text, const std::string& what) {
  size_t n = 0;
  for (size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
  return n;
}

TEST_F(ServiceFixture, CliRematchReportPrintsTablesJsonAndAnHtmlPage) {
  for (int i = 0; i < 12; ++i) {
    v1::Seeker s = ValidSeeker(absl::StrCat("s", i), i < 8 ? 8200 : 2100);
    if (i % 3 == 0) {
      auto* need = s.add_needs();
      need->set_accommodation(v1::STEP_FREE_ACCESS);
      need->set_strength(v1::HARD);
    }
    ASSERT_TRUE(PutSeeker(s).ok());
  }
  for (int i = 0; i < 4; ++i) ASSERT_TRUE(PutVacancy(ValidVacancy(absl::StrCat("v", i), 8000)).ok());
  const std::string addr = "--addr=127.0.0.1:" + std::to_string(service_->port());

  CliRun none = RunCli(addr + " rematch-report");
  EXPECT_NE(none.exit_code, 0);
  EXPECT_NE(none.out.find("no rematch has completed yet"), std::string::npos) << none.out;

  CliRun start = RunCli(addr + " rematch-start 10");
  ASSERT_EQ(start.exit_code, 0) << start.out;
  EXPECT_NE(start.out.find(": DONE in"), std::string::npos) << start.out;
  EXPECT_NE(start.out.find("capacity-aware"), std::string::npos) << start.out;

  CliRun text = RunCli(addr + " rematch-report");
  ASSERT_EQ(text.exit_code, 0) << text.out;
  for (const char* expected :
       {"Coverage by municipality", "Aarhus (751)", "København (101)", "Coverage by target group",
        "Best score per seeker", "deciles: p0", "Fairness audit", "share with a match",
        "too few seekers with needs", "plain top-k", "capacity-aware"}) {
    EXPECT_NE(text.out.find(expected), std::string::npos) << expected << "\n" << text.out;
  }

  CliRun json = RunCli(addr + " --json rematch-report");
  ASSERT_EQ(json.exit_code, 0) << json.out;
  v1::RematchReport report;
  ASSERT_TRUE(google::protobuf::util::JsonStringToMessage(json.out, &report).ok()) << json.out;
  EXPECT_EQ(report.seekers(), 12u);
  EXPECT_EQ(report.fairness().raw_with_needs().seekers(), 4u);
  ASSERT_EQ(report.by_municipality_size(), 2);

  const std::string page = dir_.path() + "/report.html";
  CliRun html = RunCli(addr + " rematch-report --html " + page);
  ASSERT_EQ(html.exit_code, 0) << html.out;
  std::ifstream in(page);
  std::stringstream content;
  content << in.rdbuf();
  const std::string h = content.str();
  EXPECT_EQ(h.rfind("<!DOCTYPE html>", 0), 0u);
  EXPECT_NE(h.find("</html>"), std::string::npos);
  // Charts: municipality coverage, target groups, two histograms, fairness,
  // plain vs allocation.
  EXPECT_EQ(Count(h, "<svg"), 6u);
  EXPECT_EQ(Count(h, "</svg>"), 6u);
  EXPECT_NE(h.find("aria-label=\"Coverage per municipality\""), std::string::npos);
  EXPECT_NE(h.find("aria-label=\"Fairness comparison\""), std::string::npos);
  EXPECT_NE(h.find("aria-label=\"Plain top-k versus allocation\""), std::string::npos);
  EXPECT_NE(h.find("Aarhus (751)"), std::string::npos);
  // Self-contained: nothing to fetch, nothing to run.
  EXPECT_EQ(h.find("<script"), std::string::npos);
  EXPECT_EQ(h.find("src="), std::string::npos);
  EXPECT_EQ(h.find("href="), std::string::npos);

  CliRun bad = RunCli(addr + " rematch-report no-such-run");
  EXPECT_NE(bad.exit_code, 0);
  EXPECT_NE(bad.out.find("not found"), std::string::npos) << bad.out;
}

// Placement outcomes in the text and the HTML report, with small-count
// suppression at its default (5 people): København's 2 placed seekers are
// suppressed, and Aarhus with them (else all - Aarhus = København).
TEST_F(ServiceFixture, CliRematchReportShowsPlacementOutcomesAndSuppressedRows) {
  options_.report_min_cell_people = 5;
  Restart();
  v1::Vacancy v = ValidVacancy("v0", 8000);
  v.set_openings(10);
  ASSERT_TRUE(PutVacancy(v).ok());
  for (int i = 0; i < 8; ++i) {
    const std::string id = absl::StrCat("s", i);
    ASSERT_TRUE(PutSeeker(ValidSeeker(id, i < 6 ? 8200 : 2100)).ok());
    for (v1::FeedbackOutcome o : {v1::INTERVIEW, v1::STARTED}) {
      v1::RecordFeedbackRequest r;
      r.mutable_feedback()->set_seeker_id(id);
      r.mutable_feedback()->set_vacancy_id("v0");
      r.mutable_feedback()->set_outcome(o);
      v1::RecordFeedbackResponse ignored;
      ASSERT_TRUE(match_->RecordFeedback(Context().get(), r, &ignored).ok());
    }
  }
  ASSERT_EQ(RunRematchToEnd().state(), "DONE");
  const std::string addr = "--addr=127.0.0.1:" + std::to_string(service_->port());
  CliRun text = RunCli(addr + " rematch-report");
  ASSERT_EQ(text.exit_code, 0) << text.out;
  EXPECT_NE(text.out.find("rows of fewer than 5 people are suppressed"), std::string::npos)
      << text.out;
  const size_t at = text.out.find("Placement outcomes");
  ASSERT_NE(at, std::string::npos) << text.out;
  const std::string section = text.out.substr(at);
  // The line of a row's label.
  auto line = [&](const std::string& label) {
    const size_t from = section.find("\n  " + label + " ");
    if (from == std::string::npos) return std::string();
    return section.substr(from + 1, section.find('\n', from + 1) - from - 1);
  };
  EXPECT_EQ(line("all").rfind("  all ", 0), 0u) << section;
  EXPECT_NE(line("all").find(" 8 "), std::string::npos) << line("all");
  EXPECT_NE(line("all").find("(n=8)"), std::string::npos) << line("all");
  EXPECT_NE(line("København (101)").find("suppressed"), std::string::npos) << section;
  EXPECT_NE(line("Aarhus (751)").find("suppressed"), std::string::npos) << section;
  EXPECT_EQ(line("Aarhus (751)").find(" 6 "), std::string::npos) << section;
  // Coverage by municipality: the same two rows, suppressed.
  EXPECT_EQ(Count(text.out.substr(0, at), "suppressed (small count)"), 2u) << text.out;

  const std::string page = dir_.path() + "/placements.html";
  CliRun html = RunCli(addr + " rematch-report --html " + page);
  ASSERT_EQ(html.exit_code, 0) << html.out;
  std::ifstream in(page);
  std::stringstream buffer;
  buffer << in.rdbuf();
  const std::string h = buffer.str();
  const size_t placements = h.find("<h2>Placement outcomes</h2>");
  ASSERT_NE(placements, std::string::npos);
  EXPECT_NE(h.find("<tr><td>all</td><td>8</td>", placements), std::string::npos);
  EXPECT_NE(h.find("<tr><td>København (101)</td><td colspan=\"8\">suppressed (small count)",
                   placements),
            std::string::npos);
}

}  // namespace
}  // namespace jobmatch::testing

// Metrics::RecordRpc keeps each method's series once found: the counts it
// exposes must be exactly what a plain tally of the same calls gives, for
// every method and code, made-up method names included.
#include <map>
#include <random>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "server/observability.h"

namespace jobmatch {
namespace {

const char* const kCodeNames[] = {
    "OK", "CANCELLED", "UNKNOWN", "INVALID_ARGUMENT", "DEADLINE_EXCEEDED", "NOT_FOUND",
    "ALREADY_EXISTS", "PERMISSION_DENIED", "RESOURCE_EXHAUSTED", "FAILED_PRECONDITION",
    "ABORTED", "OUT_OF_RANGE", "UNIMPLEMENTED", "INTERNAL", "UNAVAILABLE", "DATA_LOSS",
    "UNAUTHENTICATED"};

// The value of the line starting with `series` in a scrape; -1 if absent.
double Value(const std::string& text, const std::string& series) {
  const size_t at = text.find(series + " ");
  if (at == std::string::npos) return -1;
  return std::stod(text.substr(at + series.size() + 1));
}

TEST(MetricsTest, RpcCountsEqualATallyOfTheCallsForEveryMethodAndCode) {
  auto metrics = std::move(*Metrics::Create(""));
  const std::vector<std::string> methods = {
      "/jobmatch.v1.MatchService/TopVacanciesForSeeker", "/jobmatch.v1.SeekerService/Get",
      "/jobmatch.v1.SeekerService/Upsert", "/grpc.health.v1.Health/Check",
      "/jobmatch.v1.NoSuchService/Get", "/made/up", "nonsense"};
  std::mt19937 rng(7);
  std::map<std::pair<std::string, std::string>, int> tally;  // (label, code) -> calls
  for (int i = 0; i < 20000; ++i) {
    const std::string& method = methods[rng() % methods.size()];
    // Mostly OK, as a server answers; every code now and then.
    const int code = rng() % 4 == 0 ? static_cast<int>(rng() % 17) : 0;
    metrics->RecordRpc(method, code, 1e-4 * (rng() % 100));
    ++tally[{MethodLabel(method), kCodeNames[code]}];
  }
  const std::string text = metrics->Scrape();
  for (const auto& [key, calls] : tally) {
    const std::string labels =
        absl::StrCat("{code=\"", key.second, "\",method=\"", key.first, "\"}");
    EXPECT_EQ(Value(text, absl::StrCat("jobmatch_rpc_requests_total", labels)), calls) << labels;
    EXPECT_EQ(Value(text, absl::StrCat("jobmatch_rpc_latency_seconds_count", labels)), calls)
        << labels;
  }
  // Nothing counted that was not called.
  size_t series = 0;
  for (size_t at = text.find("\njobmatch_rpc_requests_total{"); at != std::string::npos;
       at = text.find("\njobmatch_rpc_requests_total{", at + 1)) {
    ++series;
  }
  EXPECT_EQ(series, tally.size());
}

}  // namespace
}  // namespace jobmatch

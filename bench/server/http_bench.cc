// What a call over the JSON-over-HTTP port costs a client, round trip: a
// real jobmatchd (RocksDB in a temp dir, gRPC and HTTP on loopback) with
// generated data loaded through the HTTP port's Import, and a client as a
// pooling HTTP library holds its connection (one kept-alive connection,
// request after request) or without pooling (a new connection per call).
// The matcher's share is small at this size: the figures are the port's own
// cost (docs/benchmarks.md, "JSON over HTTP").
//   build/bench/server/http_bench [--benchmark_repetitions=5]
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <memory>
#include <string>

#include "absl/strings/str_cat.h"
#include "benchmark/benchmark.h"
#include "clients/datagen/generator.h"
#include "clients/datagen/json_line.h"
#include "server/jobmatch_service.h"
#include "tests/web/http_client.h"

namespace {

using namespace jobmatch;  // NOLINT: a small program
using testing::HttpRequest;
using testing::HttpResult;
using testing::KeptAliveConnection;

int port = 0;
std::string seeker_id, vacancy_id;

// One line of an Import body: {"<kind>": <record as JSON>}.
void AppendLine(const char* kind, const google::protobuf::Message& record, std::string* body) {
  absl::StrAppend(body, "{\"", kind, "\":");
  (void)datagen::AppendJson(record, body);
  absl::StrAppend(body, "}\n");
}

// Loads the generated records through the HTTP port; false on any refusal.
bool Load(const datagen::Generator& gen) {
  std::string employers, seekers, vacancies;
  gen.Employers([&](const v1::Employer& e) { AppendLine("employer", e, &employers); });
  gen.Seekers([&](const v1::Seeker& s) {
    if (seeker_id.empty()) seeker_id = s.id();
    AppendLine("seeker", s, &seekers);
  });
  gen.Vacancies([&](const v1::Vacancy& v) {
    if (vacancy_id.empty()) vacancy_id = v.id();
    AppendLine("vacancy", v, &vacancies);
  });
  KeptAliveConnection connection(port);
  for (const auto& [service, body] : {std::pair{"EmployerService", &employers},
                                      std::pair{"SeekerService", &seekers},
                                      std::pair{"VacancyService", &vacancies}}) {
    HttpResult r = connection.Request("POST", absl::StrCat("/jobmatch.v1.", service, "/Import"), *body);
    if (r.status != 200 || r.body.find("\"rejected\":0") == std::string::npos) {
      std::fprintf(stderr, "http_bench: %s/Import: %d %s\n", service, r.status, r.body.substr(0, 300).c_str());
      return false;
    }
  }
  return true;
}

void Check(benchmark::State& state, const HttpResult& r) {
  if (r.status != 200) state.SkipWithError(absl::StrCat("status ", r.status, ": ", r.body).c_str());
}

// GET /v1/seekers/{id}: a small reply, the port's cost nearly alone.
void BM_KeptAliveGetSeeker(benchmark::State& state) {
  KeptAliveConnection connection(port);
  const std::string path = "/v1/seekers/" + seeker_id;
  for (auto _ : state) Check(state, connection.Get(path));
}
BENCHMARK(BM_KeptAliveGetSeeker)->UseRealTime();

// A vacancy's top 20 with explanations (a reply of some 30 KB).
void BM_KeptAliveTopSeekers(benchmark::State& state) {
  KeptAliveConnection connection(port);
  const std::string body = absl::StrCat("{\"vacancyId\":\"", vacancy_id, "\",\"limit\":20}");
  for (auto _ : state) {
    Check(state, connection.Request("POST", "/jobmatch.v1.MatchService/TopSeekersForVacancy", body));
  }
}
BENCHMARK(BM_KeptAliveTopSeekers)->UseRealTime();

// The same GET on a new connection each time (Connection: close).
void BM_NewConnectionGetSeeker(benchmark::State& state) {
  const std::string path = "/v1/seekers/" + seeker_id;
  for (auto _ : state) Check(state, HttpRequest(port, "GET", path));
}
BENCHMARK(BM_NewConnectionGetSeeker)->UseRealTime();

}  // namespace

int main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  const std::string ref = matcher::ReferenceData::SourceTreeDataDir();
  auto data = std::move(*matcher::ReferenceData::Load(ref));
  datagen::GeneratorOptions gen_options;
  if (!datagen::ApplyScale("0.002", &gen_options).ok()) return 70;
  auto gen = std::move(*datagen::Generator::Create(data.get(), ref, gen_options));
  const std::filesystem::path dir =
      std::filesystem::temp_directory_path() / absl::StrCat("http_bench_", getpid());
  ServiceOptions options;
  options.server.listen_address = "127.0.0.1:0";
  options.http.listen_address = "127.0.0.1:0";
  options.data_dir = (dir / "db").string();
  options.reference_data_dir = ref;
  int status = 0;
  {
    auto service = JobmatchService::Start(options);
    if (!service.ok()) {
      std::fprintf(stderr, "http_bench: %s\n", service.status().ToString().c_str());
      return 70;
    }
    port = (*service)->http_port();
    if (Load(*gen)) {
      benchmark::RunSpecifiedBenchmarks();
    } else {
      status = 70;
    }
    (*service)->Shutdown();
  }
  benchmark::Shutdown();
  std::filesystem::remove_all(dir);
  return status;
}

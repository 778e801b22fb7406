// What a match query's audit entry costs to name its records: one
// RecordStamps::GetAll for the 21 records of a top-20 answer (the subject and
// the twenty returned), against stamps seeded as at national start-up
// (250,000 seekers and 60,000 vacancies: a table far larger than the
// caches, so each record looked up is a cache miss or two).
//   build/bench/server/audit_bench [--benchmark_filter=GetAll/310000]
#include <unistd.h>

#include <filesystem>
#include <random>
#include <string>
#include <vector>

#include "absl/strings/str_format.h"
#include "benchmark/benchmark.h"
#include "server/audit/record_stamps.h"
#include "storage/store.h"

namespace {

using jobmatch::audit::RecordStamps;
using jobmatch::storage::RecordKind;
using jobmatch::storage::Store;

std::string Id(char prefix, int i) { return absl::StrFormat("%c%07d", prefix, i); }

// range(0): the records seeded, 4 seekers to every vacancy (national: 310,000).
void BM_GetAll(benchmark::State& state) {
  const int records = static_cast<int>(state.range(0));
  const int vacancies = std::max(1, records / 5), seekers = std::max(1, records - vacancies);
  const std::string path = (std::filesystem::temp_directory_path() /
                            ("audit_bench_" + std::to_string(::getpid())))
                               .string();
  {
    auto store = std::move(*Store::Open({path}));
    RecordStamps stamps(store.get());
    const auto token = stamps.BeginSeeding(store->LastSequence());
    if (!token) {
      state.SkipWithError("could not seed");
      return;
    }
    const std::string bytes(900, 'x');
    for (int i = 0; i < seekers; ++i) stamps.Seed(*token, RecordKind::kSeeker, Id('S', i), 1, bytes);
    for (int i = 0; i < vacancies; ++i) {
      stamps.Seed(*token, RecordKind::kVacancy, Id('V', i), 1, bytes);
    }
    // The queries' records drawn in advance: a seeker and 20 vacancies each.
    std::mt19937 rng(1);
    std::vector<std::vector<std::string>> ids(1024);
    for (auto& q : ids) {
      q.push_back(Id('S', static_cast<int>(rng() % seekers)));
      for (int k = 0; k < 20; ++k) q.push_back(Id('V', static_cast<int>(rng() % vacancies)));
    }
    size_t n = 0;
    std::vector<RecordStamps::Lookup> lookups;
    for (auto _ : state) {
      const std::vector<std::string>& q = ids[n++ % ids.size()];
      lookups.clear();
      lookups.push_back({RecordKind::kSeeker, q[0]});
      for (size_t k = 1; k < q.size(); ++k) lookups.push_back({RecordKind::kVacancy, q[k]});
      auto got = stamps.GetAll(lookups);
      benchmark::DoNotOptimize(got);
    }
    if (stamps.misses() != 0) state.SkipWithError("a stamp was not seeded");
  }
  std::filesystem::remove_all(path);
}
BENCHMARK(BM_GetAll)->Arg(3'000)->Arg(310'000);

}  // namespace

BENCHMARK_MAIN();

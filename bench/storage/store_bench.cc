// Upsert throughput of the RocksDB store: one synced write per record versus
// group commit (PutBatch), as the bulk import uses it.
//   build/bench/storage/store_bench
#include <unistd.h>

#include <filesystem>
#include <string>

#include "absl/time/clock.h"
#include "benchmark/benchmark.h"
#include "storage/store.h"

namespace {

using jobmatch::storage::PutRequest;
using jobmatch::storage::RecordKind;
using jobmatch::storage::Store;

std::string TempPath() {
  return (std::filesystem::temp_directory_path() / ("store_bench_" + std::to_string(::getpid())))
      .string();
}

const std::string kPayload(900, 'x');  // about the size of a serialized seeker

void BM_SyncedPut(benchmark::State& state) {
  const std::string path = TempPath();
  auto store = std::move(*Store::Open({path}));
  size_t i = 0;
  for (auto _ : state) {
    auto r = store->Put(RecordKind::kSeeker, {"s" + std::to_string(i++), kPayload, std::nullopt},
                        absl::Now());
    benchmark::DoNotOptimize(r);
  }
  state.counters["records_per_s"] = benchmark::Counter(state.iterations(), benchmark::Counter::kIsRate);
  store.reset();
  std::filesystem::remove_all(path);
}
BENCHMARK(BM_SyncedPut)->UseRealTime();

void BM_GroupCommit(benchmark::State& state) {
  const std::string path = TempPath();
  auto store = std::move(*Store::Open({path}));
  const size_t batch = static_cast<size_t>(state.range(0));
  size_t i = 0;
  for (auto _ : state) {
    std::vector<PutRequest> requests;
    for (size_t k = 0; k < batch; ++k) requests.push_back({"s" + std::to_string(i++), kPayload, std::nullopt});
    auto r = store->PutBatch(RecordKind::kSeeker, std::move(requests), absl::Now());
    benchmark::DoNotOptimize(r);
  }
  state.counters["records_per_s"] =
      benchmark::Counter(state.iterations() * batch, benchmark::Counter::kIsRate);
  store.reset();
  std::filesystem::remove_all(path);
}
BENCHMARK(BM_GroupCommit)->Arg(64)->Arg(512)->UseRealTime();

}  // namespace

BENCHMARK_MAIN();

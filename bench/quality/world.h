// The data set the quality bench works on, assembled as jobmatchd assembles
// it: generated records (with their hidden truth) converted at the API edge
// (server/convert.h), a MatchIndex, and a nightly rematch run by the real
// RematchRunner into a real RocksDB store in a temporary folder, so the
// stored nightly lists and the allocation are exactly what the server stores.
//
// Every seeker with a functional need or health-based limit also gets a
// "twin" per limit (limits.h): the same record without it, under the id
// TwinId(). Twins compete in every list like anyone else; the invariants
// compare each seeker with their twins. Quality is measured on the seekers'
// own vacancy lists, which other seekers (twins included) do not affect.
//
// After the nightly run the bulk pass (MatchIndex::BulkTopK, which the
// runner calls) is run once more with the run's k and tie seed, to read the
// needs-blind own lists it computes for the allocation
// (BulkTopKResult::NeedsBlindVacancies), which the run does not store.
#ifndef JOBMATCH_BENCH_QUALITY_WORLD_H_
#define JOBMATCH_BENCH_QUALITY_WORLD_H_

#include <array>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "bench/quality/limits.h"
#include "clients/datagen/ground_truth.h"
#include "jobmatch/v1/rematch_service.pb.h"
#include "matcher/match_index.h"
#include "matcher/reference_data.h"
#include "server/rematch_runner.h"
#include "storage/store.h"

namespace jobmatch::quality {

struct WorldOptions {
  std::string scale = "0.01";  // as jobmatch-datagen --scale
  uint64_t seed = 1;
  int threads = 2;
  // Seekers whose lists are graded against the truth: every n-th seeker so
  // that about this many are.
  size_t quality_sample = 25000;
  // Where the nightly run's store goes; empty: a new temporary folder,
  // removed with the World.
  std::string store_dir;
};

struct SeekerEntry {
  std::string id;
  std::string target_group;
  bool has_needs = false;
  std::array<bool, kLimitCount> twin{};       // a twin exists for the limit
  std::optional<datagen::SeekerTruth> truth;      // sampled seekers only
  std::optional<datagen::SeekerTruth> case_file;  // CaseFileView, sampled seekers only
};

class World {
 public:
  static absl::StatusOr<std::unique_ptr<World>> Build(const WorldOptions& options);
  ~World();

  std::unique_ptr<matcher::ReferenceData> data;
  std::unique_ptr<matcher::Scorer> scorer;
  std::unique_ptr<matcher::MatchIndex> index;
  std::vector<SeekerEntry> seekers;  // the generated seekers, in order (no twins)
  std::vector<std::string> vacancy_ids;
  absl::flat_hash_map<std::string, matcher::OccupationId> vacancy_occupation;
  // Virksomhedspraktik, løntilskud, IGU and voksenlærling
  // (matcher::IsDevelopmentPlacement): the properties count the cases that
  // involve one, to show the sweep covers them.
  absl::flat_hash_set<std::string> development_placements;
  // The bulk pass's needs-blind own list (top k by the needs-blind total) of
  // every generated seeker with a twin, by seeker id.
  absl::flat_hash_map<std::string, std::vector<matcher::RankedId>> needs_blind_bulk;
  size_t twins = 0;
  std::unique_ptr<storage::Store> store;
  std::unique_ptr<RematchRunner> runner;
  v1::RematchRun run;  // the finished nightly run
  absl::Time now;      // for live queries
  double build_seconds = 0, nightly_seconds = 0, bulk_seconds = 0;
  WorldOptions options;

 private:
  std::string temp_dir_;  // removed by the destructor
};

// Runs fn(i) for i in [0, n) on `threads` threads.
void ParallelFor(size_t n, int threads, const std::function<void(size_t)>& fn);

}  // namespace jobmatch::quality

#endif  // JOBMATCH_BENCH_QUALITY_WORLD_H_

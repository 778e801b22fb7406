// jobmatch-datagen: writes a deterministic synthetic data set as JSON Lines
// (importable with `jobmatch import`) and/or directly into a RocksDB data
// folder (for benchmarks). docs/data-generator.md describes the data.
//   jobmatch-datagen --seed=1 --scale=municipality --out_dir=DIR
//   jobmatch-datagen --seed=1 --scale=national --data_dir=DIR
#include <cstdio>
#include <fstream>
#include <memory>
#include <string>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/flags/usage.h"
#include "absl/time/civil_time.h"
#include "absl/time/clock.h"
#include "clients/datagen/generator.h"
#include "clients/datagen/output.h"
#include "clients/datagen/population.h"
#include "matcher/reference_data.h"
#include "storage/store.h"

ABSL_FLAG(uint64_t, seed, 1, "Random seed; the same seed gives the same bytes.");
ABSL_FLAG(std::string, scale, "municipality",
          "municipality (7,000 seekers / 2,000 vacancies), region (50,000 / 12,000), "
          "national (250,000 / 60,000) or a fraction of national, e.g. 0.1");
ABSL_FLAG(std::string, out_dir, "",
          "Write seekers.jsonl, vacancies.jsonl and employers.jsonl into this folder.");
ABSL_FLAG(std::string, data_dir, "", "Write the records directly into this RocksDB data folder.");
ABSL_FLAG(std::string, today, "2026-11-24",
          "The generation date (YYYY-MM-DD, UTC): vacancies are valid 7..60 days from it. Fixed "
          "by default so that a seed always gives the same bytes.");
ABSL_FLAG(std::string, truth_out, "",
          "Also write the seekers' hidden ground truth (true occupation history and skills, "
          "docs/quality.md) to this JSON Lines file. The records do not change.");
ABSL_FLAG(std::string, placements_out, "",
          "Also write the placement histories (docs/placements.md; `jobmatch import placements`) to "
          "this JSON Lines file; --out_dir writes them to placements.jsonl there.");
ABSL_FLAG(std::string, reference_data, "",
          "Reference data folder (taxonomy, geography, populations); default: the source tree's data/.");

namespace {

int Fail(const absl::Status& status, int code = 1) {
  std::fprintf(stderr, "jobmatch-datagen: %s\n", status.ToString().c_str());
  return code;
}

}  // namespace

int main(int argc, char** argv) {
  absl::SetProgramUsageMessage(
      "jobmatch-datagen --seed=1 --scale=municipality|region|national|<fraction> "
      "[--out_dir=DIR] [--data_dir=DIR]");
  absl::ParseCommandLine(argc, argv);
  using namespace jobmatch;  // NOLINT: a short main

  datagen::GeneratorOptions options;
  options.seed = absl::GetFlag(FLAGS_seed);
  if (auto s = datagen::ApplyScale(absl::GetFlag(FLAGS_scale), &options); !s.ok()) return Fail(s, 64);
  absl::CivilDay today;
  if (!absl::ParseCivilTime(absl::GetFlag(FLAGS_today), &today)) {
    return Fail(absl::InvalidArgumentError("today: must be a date YYYY-MM-DD"), 64);
  }
  options.now = absl::FromCivil(today, absl::UTCTimeZone());
  datagen::OutputOptions output;
  output.out_dir = absl::GetFlag(FLAGS_out_dir);
  const std::string data_dir = absl::GetFlag(FLAGS_data_dir);
  const std::string truth_out = absl::GetFlag(FLAGS_truth_out);
  const std::string placements_out = absl::GetFlag(FLAGS_placements_out);
  if (output.out_dir.empty() && data_dir.empty() && truth_out.empty() && placements_out.empty()) {
    return Fail(absl::InvalidArgumentError(
                    "give --out_dir, --data_dir, --truth_out and/or --placements_out"),
                64);
  }

  std::string ref = absl::GetFlag(FLAGS_reference_data);
  if (ref.empty()) ref = matcher::ReferenceData::SourceTreeDataDir();
  auto data = matcher::ReferenceData::Load(ref);
  if (!data.ok()) return Fail(data.status());
  auto population = datagen::LoadMunicipalPopulation(datagen::MunicipalPopulationPath(ref));
  if (!population.ok()) return Fail(population.status());
  auto generator =
      datagen::Generator::Create(options, *(*data)->taxonomy, *(*data)->geography, *population);
  if (!generator.ok()) return Fail(generator.status());

  std::unique_ptr<storage::Store> store;
  if (!data_dir.empty()) {
    storage::StoreOptions store_options;
    store_options.path = data_dir;
    auto opened = storage::Store::Open(store_options);
    if (!opened.ok()) return Fail(opened.status());
    store = std::move(*opened);
    output.store = store.get();
  }
  output.now = absl::Now();

  const absl::Time start = absl::Now();
  datagen::OutputCounts written;
  if (!output.out_dir.empty() || output.store != nullptr) {
    auto counts = datagen::WriteDataSet(**generator, output);
    if (!counts.ok()) return Fail(counts.status());
    written = *counts;
  }
  if (!truth_out.empty()) {
    std::ofstream truth(truth_out, std::ios::trunc);
    if (!truth) return Fail(absl::InternalError("truth_out: cannot write " + truth_out));
    size_t seekers = 0;
    (*generator)->SeekersWithTruth([&](const v1::Seeker& s, const datagen::SeekerTruth& t) {
      truth << datagen::TruthJsonLine(s.id(), t, *(*data)->taxonomy) << '\n';
      ++seekers;
    });
    truth.flush();
    if (!truth) return Fail(absl::InternalError("truth_out: writing " + truth_out + " failed"));
    written.seekers = seekers;
  }
  if (!placements_out.empty()) {
    auto events = datagen::WritePlacements(**generator, output.placements, placements_out);
    if (!events.ok()) return Fail(events.status());
    written.placement_events = *events;
  }
  const datagen::OutputCounts* counts = &written;
  std::printf(
      "jobmatch-datagen: seed %llu: %zu employers, %zu seekers, %zu vacancies, %zu placement "
      "events in %.2f s\n",
      static_cast<unsigned long long>(options.seed), counts->employers, counts->seekers,
      counts->vacancies, counts->placement_events, absl::ToDoubleSeconds(absl::Now() - start));
  return 0;
}

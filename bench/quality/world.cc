#include "bench/quality/world.h"

#include <stdlib.h>

#include <atomic>
#include <filesystem>
#include <thread>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/notification.h"
#include "absl/time/civil_time.h"
#include "absl/time/clock.h"
#include "clients/datagen/generator.h"
#include "server/convert.h"

namespace jobmatch::quality {

void ParallelFor(size_t n, int threads, const std::function<void(size_t)>& fn) {
  std::atomic<size_t> next{0};
  auto work = [&] {
    for (size_t i = next++; i < n; i = next++) fn(i);
  };
  std::vector<std::thread> pool;
  for (int t = 1; t < threads; ++t) pool.emplace_back(work);
  work();
  for (auto& t : pool) t.join();
}

World::~World() {
  runner.reset();  // before the store it writes to
  store.reset();
  if (!temp_dir_.empty()) {
    std::error_code ignored;
    std::filesystem::remove_all(temp_dir_, ignored);
  }
}

absl::StatusOr<std::unique_ptr<World>> World::Build(const WorldOptions& options) {
  auto world = std::make_unique<World>();
  world->options = options;
  const absl::Time start = absl::Now();
  const std::string dir = matcher::ReferenceData::SourceTreeDataDir();
  auto data = matcher::ReferenceData::Load(dir);
  if (!data.ok()) return data.status();
  world->data = std::move(*data);
  const matcher::ReferenceData& ref = *world->data;
  world->scorer = std::make_unique<matcher::Scorer>(ref.taxonomy.get(), ref.commute.get(),
                                                    ref.schemes.get());
  world->index = std::make_unique<matcher::MatchIndex>(world->scorer.get(), matcher::Policy());

  datagen::GeneratorOptions gen_options;
  gen_options.seed = options.seed;
  if (absl::Status s = datagen::ApplyScale(options.scale, &gen_options); !s.ok()) return s;
  // Vacancies are valid 7..60 days from the generation date; the nightly run
  // uses the clock, so generate as of today.
  gen_options.now =
      absl::FromCivil(absl::ToCivilDay(absl::Now(), absl::UTCTimeZone()), absl::UTCTimeZone());
  auto generator = datagen::Generator::Create(world->data.get(), dir, gen_options);
  if (!generator.ok()) return generator.status();

  absl::flat_hash_map<std::string, v1::Employer> employers;
  (*generator)->Employers([&](const v1::Employer& e) { employers[e.id()] = e; });
  const size_t stride = std::max<size_t>(
      1, options.quality_sample == 0 ? SIZE_MAX : gen_options.seekers / options.quality_sample);
  std::vector<matcher::SeekerProfile> twins;
  size_t i = 0;
  (*generator)->SeekersWithTruth([&](const v1::Seeker& s, const datagen::SeekerTruth& truth) {
    SeekerEntry entry;
    entry.id = s.id();
    entry.target_group = s.target_group();
    entry.has_needs = HasFunctionalNeeds(s);
    for (int l = 0; l < kLimitCount; ++l) {
      const Limit limit = static_cast<Limit>(l);
      if (auto twin = WithoutLimit(s, truth, limit)) {
        twin->set_id(TwinId(s.id(), limit));
        twins.push_back(ToProfile(*twin, ref));
        entry.twin[l] = true;
      }
    }
    if (options.quality_sample > 0 && i % stride == 0) {
      entry.truth = truth;
      entry.case_file = CaseFileView(s, *ref.taxonomy);
    }
    world->index->UpsertSeeker(ToProfile(s, ref));
    world->seekers.push_back(std::move(entry));
    ++i;
  });
  // Twins after every generated seeker: they never win a tie against the
  // seeker they copy.
  world->twins = twins.size();
  for (auto& t : twins) world->index->UpsertSeeker(std::move(t));
  (*generator)->Vacancies([&](const v1::Vacancy& v) {
    auto e = employers.find(v.employer_id());
    matcher::VacancyProfile profile =
        ToProfile(v, e == employers.end() ? nullptr : &e->second, ref);
    if (matcher::IsDevelopmentPlacement(profile.kind)) {
      world->development_placements.insert(v.id());
    }
    world->index->UpsertVacancy(std::move(profile));
    world->vacancy_ids.push_back(v.id());
    world->vacancy_occupation[v.id()] = ref.taxonomy->FindOccupation(v.esco_occupation_uri());
  });
  world->build_seconds = absl::ToDoubleSeconds(absl::Now() - start);

  // The nightly rematch, as jobmatchd runs it.
  std::string store_dir = options.store_dir;
  if (store_dir.empty()) {
    std::string pattern =
        (std::filesystem::temp_directory_path() / "jobmatch-quality-XXXXXX").string();
    if (mkdtemp(pattern.data()) == nullptr) {
      return absl::InternalError("cannot create a temporary folder for the nightly run's store");
    }
    world->temp_dir_ = store_dir = pattern;
  }
  storage::StoreOptions store_options;
  store_options.path = store_dir;
  auto store = storage::Store::Open(store_options);
  if (!store.ok()) return store.status();
  world->store = std::move(*store);
  // The runner keeps its callback: it must not refer to this frame.
  auto finished = std::make_shared<absl::Notification>();
  RematchRunnerOptions runner_options;
  runner_options.threads = options.threads;
  runner_options.on_finish = [w = world.get(), finished](const v1::RematchRun& run) {
    if (finished->HasBeenNotified()) return;
    w->run = run;
    finished->Notify();
  };
  world->runner =
      std::make_unique<RematchRunner>(world->index.get(), world->store.get(), runner_options);
  if (absl::Status s = world->runner->Recover(); !s.ok()) return s;
  const absl::Time nightly_start = absl::Now();
  auto started = world->runner->Start(0, 0, 0, "rpc");  // the defaults: k 50, shortlist 4, 3 each
  if (!started.ok()) return started.status();
  finished->WaitForNotification();
  world->nightly_seconds = absl::ToDoubleSeconds(absl::Now() - nightly_start);
  if (world->run.state() != "DONE") {
    return absl::InternalError(absl::StrCat("the nightly run ended ", world->run.state(), ": ",
                                            world->run.error()));
  }
  world->now = absl::Now();

  // The bulk pass once more, as the runner calls it, for the needs-blind own
  // lists the run computes but does not store.
  const absl::Time bulk_start = absl::Now();
  matcher::BulkTopKOptions bulk_options;
  bulk_options.k = static_cast<size_t>(world->run.k());
  bulk_options.threads = options.threads;
  bulk_options.now = world->now;
  bulk_options.tie_seed = world->run.tie_seed();
  auto bulk = world->index->BulkTopK(bulk_options);
  if (!bulk.ok()) return bulk.status();
  absl::flat_hash_set<std::string> with_twin;
  for (const SeekerEntry& entry : world->seekers) {
    for (bool t : entry.twin) {
      if (t) with_twin.insert(entry.id);
    }
  }
  for (size_t s = 0; s < bulk->vacancies_for_seeker.size(); ++s) {
    const std::string& id = bulk->vacancies_for_seeker[s].first;
    if (with_twin.contains(id)) world->needs_blind_bulk[id] = bulk->NeedsBlindVacancies(s);
  }
  world->bulk_seconds = absl::ToDoubleSeconds(absl::Now() - bulk_start);
  return world;
}

}  // namespace jobmatch::quality

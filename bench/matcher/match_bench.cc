// Match query latency in-process on generated data (Google Benchmark).
//   build/bench/matcher/match_bench --scale=national    (250k seekers, 60k vacancies)
//   build/bench/matcher/match_bench --scale=0.01         (the smoke size ctest runs)
//   build/bench/matcher/match_bench --scale=national --verify=50   (index vs brute force)
//   build/bench/matcher/match_bench --scale=0.1 --verify_bulk=500  (bulk pass vs live queries)
//   build/bench/matcher/match_bench --scale=0.1 --verify_live=500  (fingerprint of live lists)
//   build/bench/matcher/match_bench --scale=national --live_queries=2000  (a fixed set, CPU time)
// Reports per query type: median and p99 latency over the measured queries,
// candidates scored per query, index build time and bytes per record.
#include <sys/resource.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <fstream>
#include <numeric>
#include <string>
#include <vector>

#include "absl/time/clock.h"
#include "benchmark/benchmark.h"
#include "clients/datagen/generator.h"
#include "matcher/allocation.h"
#include "matcher/match_index.h"
#include "server/convert.h"

namespace {

using jobmatch::matcher::MatchIndex;
using jobmatch::matcher::MatchQuery;

struct World {
  std::unique_ptr<jobmatch::matcher::ReferenceData> data;
  std::unique_ptr<jobmatch::matcher::Scorer> scorer;
  std::unique_ptr<MatchIndex> index;
  std::vector<std::string> seeker_ids, vacancy_ids;
  double build_seconds = 0;
};

World* world = nullptr;

// CPU seconds of the whole process (all threads), user and system.
double ProcessCpuSeconds() {
  rusage usage;
  getrusage(RUSAGE_SELF, &usage);
  return static_cast<double>(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) +
         static_cast<double>(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6;
}

// The 1-minute load average: the machine is shared, so every figure carries it.
double LoadAverage() {
  double load = -1;
  if (FILE* f = std::fopen("/proc/loadavg", "r")) {
    if (std::fscanf(f, "%lf", &load) != 1) load = -1;
    std::fclose(f);
  }
  return load;
}

// A /proc/self/status figure ("VmHWM:", "VmRSS:") in MB; -1 if absent.
double StatusMegabytes(const std::string& field) {
  std::ifstream status("/proc/self/status");
  for (std::string line; std::getline(status, line);) {
    if (line.rfind(field, 0) == 0) return std::stod(line.substr(field.size())) / 1024;
  }
  return -1;
}

double ThreadCpuMicros() {
  timespec ts;
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) * 1e6 + static_cast<double>(ts.tv_nsec) / 1e3;
}
std::string scale = "0.01";

void Build() {
  world = new World();
  const std::string dir = jobmatch::matcher::ReferenceData::SourceTreeDataDir();
  world->data = std::move(*jobmatch::matcher::ReferenceData::Load(dir));
  world->scorer = std::make_unique<jobmatch::matcher::Scorer>(
      world->data->taxonomy.get(), world->data->commute.get(), world->data->schemes.get());
  world->index = std::make_unique<MatchIndex>(world->scorer.get(), jobmatch::matcher::Policy());
  jobmatch::datagen::GeneratorOptions options;
  (void)jobmatch::datagen::ApplyScale(scale, &options);
  auto gen = std::move(*jobmatch::datagen::Generator::Create(world->data.get(), dir, options));
  std::vector<jobmatch::matcher::SeekerProfile> seekers;
  std::vector<jobmatch::matcher::VacancyProfile> vacancies;
  gen->Seekers([&](const jobmatch::v1::Seeker& s) {
    seekers.push_back(jobmatch::ToProfile(s, *world->data));
    world->seeker_ids.push_back(s.id());
  });
  gen->Vacancies([&](const jobmatch::v1::Vacancy& v) {
    vacancies.push_back(jobmatch::ToProfile(v, nullptr, *world->data));
    world->vacancy_ids.push_back(v.id());
  });
  const absl::Time start = absl::Now();
  for (auto& s : seekers) world->index->UpsertSeeker(std::move(s));
  for (auto& v : vacancies) world->index->UpsertVacancy(std::move(v));
  world->build_seconds = absl::ToDoubleSeconds(absl::Now() - start);
}

template <bool kSeekerSide>
void BM_Top20(benchmark::State& state) {
  if (world == nullptr) Build();
  const auto& ids = kSeekerSide ? world->seeker_ids : world->vacancy_ids;
  MatchQuery query;
  query.limit = 20;
  query.now = absl::FromCivil(absl::CivilDay(2026, 11, 24), absl::UTCTimeZone());
  std::vector<double> micros, cpu_micros;
  size_t i = 0, scored = 0, results = 0, pruned = 0, candidates = 0;
  for (auto _ : state) {
    const std::string& id = ids[(i++ * 7919) % ids.size()];
    const absl::Time t0 = absl::Now();
    const double c0 = ThreadCpuMicros();
    auto r = kSeekerSide ? world->index->TopVacanciesForSeeker(id, query)
                         : world->index->TopSeekersForVacancy(id, query);
    cpu_micros.push_back(ThreadCpuMicros() - c0);
    micros.push_back(absl::ToDoubleMicroseconds(absl::Now() - t0));
    scored += r->scored;
    pruned += r->pruned;
    candidates += r->candidates;
    results += r->matches.size();
    benchmark::DoNotOptimize(r);
  }
  std::sort(micros.begin(), micros.end());
  std::sort(cpu_micros.begin(), cpu_micros.end());
  const size_t p99 = std::min(micros.size() - 1, micros.size() * 99 / 100);
  state.counters["median_us"] = micros[micros.size() / 2];
  state.counters["p99_us"] = micros[p99];
  // The same on the thread's CPU clock: what one core spends, without the
  // waits a shared machine adds to wall time.
  state.counters["median_cpu_us"] = cpu_micros[cpu_micros.size() / 2];
  state.counters["p99_cpu_us"] = cpu_micros[p99];
  state.counters["candidates_per_query"] = static_cast<double>(candidates) / micros.size();
  state.counters["scored_per_query"] = static_cast<double>(scored) / micros.size();
  state.counters["pruned_per_query"] = static_cast<double>(pruned) / micros.size();
  state.counters["results_per_query"] = static_cast<double>(results) / micros.size();
  state.counters["seekers"] = static_cast<double>(world->seeker_ids.size());
  state.counters["vacancies"] = static_cast<double>(world->vacancy_ids.size());
  state.counters["index_build_s"] = world->build_seconds;
  state.counters["bytes_per_record"] =
      static_cast<double>(world->index->MemoryBytes()) /
      static_cast<double>(world->seeker_ids.size() + world->vacancy_ids.size());
}
BENCHMARK(BM_Top20<true>)->Name("TopVacanciesForSeeker/top20")->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_Top20<false>)->Name("TopSeekersForVacancy/top20")->Unit(benchmark::kMicrosecond);

// The nightly rematch's pass: top-50 in both directions for everyone.
void BM_BulkTop50(benchmark::State& state) {
  if (world == nullptr) Build();
  jobmatch::matcher::BulkTopKOptions options;
  options.k = 50;
  options.threads = 2;
  options.now = absl::FromCivil(absl::CivilDay(2026, 11, 24), absl::UTCTimeZone());
  jobmatch::matcher::BulkTopKResult last;
  const double load_before = LoadAverage();
  const double rss_before_mb = StatusMegabytes("VmRSS:");
  double cpu_s = 0;
  for (auto _ : state) {
    const double cpu0 = ProcessCpuSeconds();
    auto r = world->index->BulkTopK(options);
    cpu_s = ProcessCpuSeconds() - cpu0;
    last = std::move(*r);
  }
  // Capacity-aware allocation over the seekers' lists (4 per opening, 3 per seeker).
  jobmatch::matcher::AllocationInputOptions input_options;
  input_options.capacity = [&](const std::string& id) {
    return 4 * world->index->GetVacancy(id)->openings;
  };
  input_options.per_seeker = 3;
  const absl::Time t_input = absl::Now();
  const jobmatch::matcher::AllocationInput input =
      jobmatch::matcher::AllocationInputFrom(last, input_options).input;
  const absl::Time t0 = absl::Now();
  const double alloc_cpu0 = ThreadCpuMicros();
  const auto allocated = jobmatch::matcher::Allocate(input);
  const double allocation_s = absl::ToDoubleSeconds(absl::Now() - t0);
  state.counters["allocation_s"] = allocation_s;
  // Allocate runs on this thread: its CPU seconds, steadier than its wall
  // time on a shared machine.
  state.counters["allocation_cpu_s"] = (ThreadCpuMicros() - alloc_cpu0) / 1e6;
  const absl::Time t_plain = absl::Now();
  const auto plain = jobmatch::matcher::PlainTopK(input);
  // The rest of what the nightly run does around Allocate
  // (server/rematch_runner.cc): the input from the pass's lists and the
  // plain top-k it reports against.
  state.counters["allocation_input_s"] = absl::ToDoubleSeconds(t0 - t_input);
  state.counters["plain_topk_s"] = absl::ToDoubleSeconds(absl::Now() - t_plain);
  state.counters["plain_vacancies_reached"] = plain.report.share_vacancies_with_suggestion;
  state.counters["alloc_vacancies_reached"] = allocated.report.share_vacancies_with_suggestion;
  state.counters["plain_gini"] = plain.report.gini_suggestions_per_vacancy;
  state.counters["alloc_gini"] = allocated.report.gini_suggestions_per_vacancy;
  state.counters["plain_mean_score"] = plain.report.mean_score;
  state.counters["alloc_mean_score"] = allocated.report.mean_score;
  state.counters["wall_s"] = absl::ToDoubleSeconds(last.took);
  // The issue #6 figure: both directions plus the allocation.
  state.counters["full_run_s"] = absl::ToDoubleSeconds(last.took) + allocation_s;
  // CPU seconds of the pass over both threads: steadier than wall time on a
  // shared machine.
  state.counters["bulk_cpu_s"] = cpu_s;
  state.counters["load_before"] = load_before;
  state.counters["load_after"] = LoadAverage();
  state.counters["candidate_pairs"] = static_cast<double>(last.candidate_pairs);
  state.counters["scored_pairs"] = static_cast<double>(last.scored_pairs);
  state.counters["feasible_pairs"] = static_cast<double>(last.feasible_pairs);
  state.counters["pruned_pairs"] = static_cast<double>(last.pruned_pairs);
  // The process's peak (data generation, index, snapshot, results,
  // allocation), and what it held before the pass (data and index).
  state.counters["peak_rss_mb"] = StatusMegabytes("VmHWM:");
  state.counters["rss_before_pass_mb"] = rss_before_mb;
}
BENCHMARK(BM_BulkTop50)->Name("Rematch/top50_both_directions")->Iterations(1)->Unit(benchmark::kSecond)->UseRealTime();

}  // namespace

// --verify=N: the index's top-20 for N seekers and N vacancies against
// brute-force scoring of every pair at this scale, and the scans' score
// bound (Scorer::UpperBound) against the total of every feasible pair
// scored on the way (exits non-zero on a difference or a bound below).
int Verify(int n) {
  if (world == nullptr) Build();
  const auto now = absl::FromCivil(absl::CivilDay(2026, 11, 24), absl::UTCTimeZone());
  const jobmatch::matcher::Policy policy = world->index->policy();
  std::vector<jobmatch::matcher::SeekerProfile> seekers;
  std::vector<jobmatch::matcher::VacancyProfile> vacancies;
  for (const auto& id : world->seeker_ids) seekers.push_back(*world->index->GetSeeker(id));
  for (const auto& id : world->vacancy_ids) vacancies.push_back(*world->index->GetVacancy(id));
  MatchQuery query;
  query.limit = 20;
  query.now = now;
  int differences = 0;
  size_t bounded = 0, bound_below = 0;
  // Every feasible pair whose vacancy the bound covers: bound >= totals.
  auto check_bound = [&](const jobmatch::matcher::SeekerProfile& s,
                         const jobmatch::matcher::VacancyProfile& v,
                         const jobmatch::matcher::Score& sc) {
    if (!jobmatch::matcher::Scorer::BoundCovers(v)) return;
    ++bounded;
    const auto b = world->scorer->UpperBound(s, v, policy, nullptr, nullptr);
    if (b.total < sc.total || b.seeker_view_total < sc.seeker_view_total) {
      if (++bound_below <= 10) {
        std::fprintf(stderr, "BOUND BELOW: %s / %s: %.17g < %.17g or %.17g < %.17g\n",
                     s.id.c_str(), v.id.c_str(), b.total, sc.total, b.seeker_view_total,
                     sc.seeker_view_total);
      }
    }
  };
  auto compare = [&](const std::string& what, const jobmatch::matcher::MatchResult& got,
                     std::vector<std::pair<double, std::string>> all) {
    std::sort(all.begin(), all.end(), [](const auto& a, const auto& b) {
      return a.first != b.first ? a.first > b.first : a.second < b.second;
    });
    if (all.size() > 20) all.resize(20);
    bool same = got.matches.size() == all.size();
    for (size_t i = 0; same && i < all.size(); ++i) same = got.matches[i].id == all[i].second;
    if (!same) {
      ++differences;
      std::fprintf(stderr, "DIFFERENT: %s (index %zu results, brute force %zu)\n", what.c_str(),
                   got.matches.size(), all.size());
    }
  };
  for (int k = 0; k < n; ++k) {
    const auto& s = seekers[(static_cast<size_t>(k) * 7919) % seekers.size()];
    std::vector<std::pair<double, std::string>> all;
    for (const auto& v : vacancies) {
      auto sc = world->scorer->Evaluate(s, v, policy, now, jobmatch::matcher::Scorer::Detail::kTotals);
      if (!sc.feasible()) continue;
      all.push_back({sc.seeker_view_total, v.id});
      check_bound(s, v, sc);
    }
    compare("seeker " + s.id, *world->index->TopVacanciesForSeeker(s.id, query), std::move(all));
    const auto& v = vacancies[(static_cast<size_t>(k) * 7919) % vacancies.size()];
    all.clear();
    for (const auto& sk : seekers) {
      auto sc = world->scorer->Evaluate(sk, v, policy, now, jobmatch::matcher::Scorer::Detail::kTotals);
      if (!sc.feasible()) continue;
      all.push_back({sc.total, sk.id});
      check_bound(sk, v, sc);
    }
    compare("vacancy " + v.id, *world->index->TopSeekersForVacancy(v.id, query), std::move(all));
  }
  std::printf("verify: %d seekers and %d vacancies against brute force, %d different; "
              "score bound below the total for %zu of %zu feasible pairs\n",
              n, n, differences, bound_below, bounded);
  return differences == 0 && bound_below == 0 ? 0 : 1;
}

// FNV-1a over bytes: a fingerprint of a whole bulk result.
void Mix(uint64_t* h, const void* data, size_t n) {
  const auto* p = static_cast<const unsigned char*>(data);
  for (size_t i = 0; i < n; ++i) *h = (*h ^ p[i]) * 1099511628211ull;
}

// --verify_bulk=N: the bulk pass's top-50 for N seekers and N vacancies
// against the live queries at this scale (exits non-zero on a difference),
// and a fingerprint of the whole result (every id and score, bit for bit)
// to compare across changes of the pass.
int VerifyBulk(int n) {
  if (world == nullptr) Build();
  jobmatch::matcher::BulkTopKOptions options;
  options.k = 50;
  options.threads = 2;
  options.now = absl::FromCivil(absl::CivilDay(2026, 11, 24), absl::UTCTimeZone());
  auto bulk = world->index->BulkTopK(options);
  if (!bulk.ok()) return 2;
  uint64_t digest = 14695981039346656037ull;
  for (const auto* side : {&bulk->vacancies_for_seeker, &bulk->seekers_for_vacancy}) {
    for (const auto& [id, ranked] : *side) {
      Mix(&digest, id.data(), id.size());
      for (const auto& r : ranked) {
        Mix(&digest, r.id.data(), r.id.size());
        Mix(&digest, &r.score, sizeof(r.score));
      }
    }
  }
  MatchQuery query;
  query.limit = 50;
  query.now = options.now;
  int differences = 0;
  auto compare = [&](const std::string& what, const std::vector<jobmatch::matcher::RankedId>& got,
                     const jobmatch::matcher::MatchResult& live, bool seeker_side) {
    bool same = got.size() == live.matches.size();
    for (size_t i = 0; same && i < got.size(); ++i) {
      const auto& m = live.matches[i];
      same = got[i].id == m.id &&
             got[i].score == (seeker_side ? m.score.seeker_view_total : m.score.total);
    }
    if (!same) {
      ++differences;
      std::fprintf(stderr, "DIFFERENT: %s (bulk %zu results, live %zu)\n", what.c_str(),
                   got.size(), live.matches.size());
    }
  };
  const auto& by_seeker = bulk->vacancies_for_seeker;
  const auto& by_vacancy = bulk->seekers_for_vacancy;
  for (int k = 0; k < n; ++k) {
    const auto& [sid, sranked] = by_seeker[(static_cast<size_t>(k) * 7919) % by_seeker.size()];
    compare("seeker " + sid, sranked, *world->index->TopVacanciesForSeeker(sid, query), true);
    const auto& [vid, vranked] = by_vacancy[(static_cast<size_t>(k) * 7919) % by_vacancy.size()];
    compare("vacancy " + vid, vranked, *world->index->TopSeekersForVacancy(vid, query), false);
  }
  std::printf("verify_bulk: %d seekers and %d vacancies against live queries, %d different; "
              "fingerprint %016llx\n",
              n, n, differences, static_cast<unsigned long long>(digest));
  // What the first fingerprint leaves out: the seekers' needs-blind lists
  // (what the allocation and the fairness audit read) and the allocation
  // made from them (4 places per opening, 3 per seeker, as the benchmark).
  uint64_t blind_digest = 14695981039346656037ull;
  for (size_t i = 0; i < by_seeker.size(); ++i) {
    for (const auto& r : bulk->NeedsBlindVacancies(i)) {
      Mix(&blind_digest, r.id.data(), r.id.size());
      Mix(&blind_digest, &r.score, sizeof(r.score));
    }
  }
  jobmatch::matcher::AllocationInputOptions input_options;
  input_options.capacity = [&](const std::string& id) {
    return 4 * world->index->GetVacancy(id)->openings;
  };
  input_options.per_seeker = 3;
  const auto indexed = jobmatch::matcher::AllocationInputFrom(*bulk, input_options);
  uint64_t allocation_digest = 14695981039346656037ull;
  const auto allocated = jobmatch::matcher::Allocate(indexed.input);
  const auto plain = jobmatch::matcher::PlainTopK(indexed.input);
  for (const auto* chosen : {&allocated.chosen, &plain.chosen}) {
    for (const auto& p : *chosen) {
      const std::string& sid = *indexed.seekers[p.seeker];
      const std::string& vid = *indexed.vacancies[p.vacancy];
      Mix(&allocation_digest, sid.data(), sid.size());
      Mix(&allocation_digest, vid.data(), vid.size());
      Mix(&allocation_digest, &p.score, sizeof(p.score));
    }
  }
  std::printf("verify_bulk: needs-blind lists fingerprint %016llx; allocation and plain top-k "
              "fingerprint %016llx\n",
              static_cast<unsigned long long>(blind_digest),
              static_cast<unsigned long long>(allocation_digest));
  return differences == 0 ? 0 : 1;
}

// --verify_live=N: a fingerprint of N seekers' and N vacancies' live top-20
// as a caller gets them (ids, ranks, every score and explanation field, the
// evidence text), to compare across changes of the live scan and the
// scorer: the same data and code paths must give the same fingerprint.
int VerifyLive(int n) {
  if (world == nullptr) Build();
  MatchQuery query;
  query.limit = 20;
  query.now = absl::FromCivil(absl::CivilDay(2026, 11, 24), absl::UTCTimeZone());
  uint64_t digest = 14695981039346656037ull;
  auto mix_string = [&](const std::string& s) {
    const uint64_t size = s.size();
    Mix(&digest, &size, sizeof(size));
    Mix(&digest, s.data(), s.size());
  };
  auto mix_trip = [&](const jobmatch::matcher::CommuteEstimate& e) {
    Mix(&digest, &e.mode, sizeof(e.mode));
    Mix(&digest, &e.minutes, sizeof(e.minutes));
    Mix(&digest, &e.daily_minutes, sizeof(e.daily_minutes));
    Mix(&digest, &e.source, sizeof(e.source));
    Mix(&digest, &e.confidence, sizeof(e.confidence));
    Mix(&digest, &e.crosses_water, sizeof(e.crosses_water));
  };
  size_t matches = 0;
  auto mix = [&](const jobmatch::matcher::MatchResult& r) {
    for (const auto& m : r.matches) {
      ++matches;
      const jobmatch::matcher::Score& s = m.score;
      mix_string(m.id);
      Mix(&digest, &m.rank, sizeof(m.rank));
      Mix(&digest, &s.verdict, sizeof(s.verdict));
      for (double d : {s.total, s.seeker_view_total, s.requirements_fit, s.preference_fit}) {
        Mix(&digest, &d, sizeof(d));
      }
      mix_string(s.blocker_detail);
      for (const auto& p : s.parts) {
        Mix(&digest, &p.reason, sizeof(p.reason));
        for (double d : {p.value, p.weight, p.contribution}) Mix(&digest, &d, sizeof(d));
        mix_string(p.evidence);
      }
      for (const auto& c : s.matched_skills) {
        Mix(&digest, &c.skill, sizeof(c.skill));
        Mix(&digest, &c.via, sizeof(c.via));
        Mix(&digest, &c.credit, sizeof(c.credit));
      }
      for (const auto* ids : {&s.missing_skills, &s.missing_optional_skills,
                              &s.development_skills}) {
        const uint64_t size = ids->size();
        Mix(&digest, &size, sizeof(size));
        for (auto id : *ids) Mix(&digest, &id, sizeof(id));
      }
      if (s.commute) mix_trip(*s.commute);
      for (const auto& e : s.commute_by_mode) mix_trip(e);
      for (const auto& code : s.support_schemes) mix_string(code);
      for (auto a : s.needs_met) Mix(&digest, &a, sizeof(a));
      for (auto a : s.needs_to_check) Mix(&digest, &a, sizeof(a));
      Mix(&digest, &s.fortrinsadgang, sizeof(s.fortrinsadgang));
      const bool has_rule = s.placement_rule != nullptr;
      Mix(&digest, &has_rule, sizeof(has_rule));
      if (has_rule) mix_string(s.placement_rule->id);
    }
  };
  for (int k = 0; k < n; ++k) {
    const auto& sid = world->seeker_ids[(static_cast<size_t>(k) * 7919) % world->seeker_ids.size()];
    for (bool blind : {false, true}) {
      query.needs_blind = blind;
      mix(*world->index->TopVacanciesForSeeker(sid, query));
    }
    query.needs_blind = false;
    const auto& vid =
        world->vacancy_ids[(static_cast<size_t>(k) * 7919) % world->vacancy_ids.size()];
    mix(*world->index->TopSeekersForVacancy(vid, query));
  }
  std::printf("verify_live: %d seekers (own and needs-blind lists) and %d vacancies, %zu "
              "results; fingerprint %016llx\n",
              n, n, matches, static_cast<unsigned long long>(digest));
  return 0;
}

// --live_queries=N: the first N queries of each direction's benchmark (the
// same ids in the same order), each timed on the thread's CPU clock: a
// fixed set of queries for side-by-side runs of two builds and for
// instruction counts (valgrind --tool=callgrind --toggle-collect='*Query*').
int LiveQueries(int n) {
  if (world == nullptr) Build();
  MatchQuery query;
  query.limit = 20;
  query.now = absl::FromCivil(absl::CivilDay(2026, 11, 24), absl::UTCTimeZone());
  for (bool seeker_side : {true, false}) {
    const auto& ids = seeker_side ? world->seeker_ids : world->vacancy_ids;
    std::vector<double> cpu;
    size_t candidates = 0, scored = 0, pruned = 0, results = 0;
    for (size_t i = 0; i < static_cast<size_t>(n); ++i) {
      const std::string& id = ids[(i * 7919) % ids.size()];
      const double c0 = ThreadCpuMicros();
      auto r = seeker_side ? world->index->TopVacanciesForSeeker(id, query)
                           : world->index->TopSeekersForVacancy(id, query);
      cpu.push_back(ThreadCpuMicros() - c0);
      candidates += r->candidates;
      scored += r->scored;
      pruned += r->pruned;
      results += r->matches.size();
    }
    const double total = std::accumulate(cpu.begin(), cpu.end(), 0.0);
    std::sort(cpu.begin(), cpu.end());
    const size_t p99 = std::min(cpu.size() - 1, cpu.size() * 99 / 100);
    std::printf("live_queries %s: %d queries, cpu median %.1f us, p90 %.1f, p99 %.1f, mean %.1f; "
                "per query %.1f candidates, %.1f scored, %.1f pruned, %.2f results; load %.2f\n",
                seeker_side ? "seeker" : "vacancy", n, cpu[cpu.size() / 2],
                cpu[cpu.size() * 9 / 10], cpu[p99], total / n, static_cast<double>(candidates) / n,
                static_cast<double>(scored) / n, static_cast<double>(pruned) / n,
                static_cast<double>(results) / n, LoadAverage());
  }
  return 0;
}

int main(int argc, char** argv) {
  int verify = 0, verify_bulk = 0, verify_live = 0, live_queries = 0;
  for (int i = 1; i < argc; ++i) {
    if (std::strncmp(argv[i], "--scale=", 8) == 0) scale = argv[i] + 8;
    if (std::strncmp(argv[i], "--verify=", 9) == 0) verify = std::atoi(argv[i] + 9);
    if (std::strncmp(argv[i], "--verify_bulk=", 14) == 0) verify_bulk = std::atoi(argv[i] + 14);
    if (std::strncmp(argv[i], "--verify_live=", 14) == 0) verify_live = std::atoi(argv[i] + 14);
    if (std::strncmp(argv[i], "--live_queries=", 15) == 0) live_queries = std::atoi(argv[i] + 15);
  }
  if (verify > 0) return Verify(verify);
  if (verify_bulk > 0) return VerifyBulk(verify_bulk);
  if (verify_live > 0) return VerifyLive(verify_live);
  if (live_queries > 0) return LiveQueries(live_queries);
  benchmark::Initialize(&argc, argv);
  benchmark::RunSpecifiedBenchmarks();
  return 0;
}

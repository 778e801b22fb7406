// quality_bench: match quality against the generator's hidden ground truth,
// and the needs-neutrality invariants over the whole generated data set
// (docs/quality.md).
//   build/bench/quality/quality_bench --scale=0.1        # 10% of national
//   build/bench/quality/quality_bench --scale=national
//   build/bench/quality/quality_bench --scale=0.01 --quality_sample=0   # invariants only
// Exits 1 if any invariant is violated (after printing every figure); with
// --only=GROUP (needs, commute, hours, fleksjob, consistency) only that
// group's violations decide the exit code; with --only=outcomes the exit
// code says whether the placement-outcome figure had any placements.
#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

#include "bench/quality/evaluation.h"
#include "bench/quality/world.h"

namespace {

double LoadAverage() {
  double load = -1;
  if (FILE* f = std::fopen("/proc/loadavg", "r")) {
    if (std::fscanf(f, "%lf", &load) != 1) load = -1;
    std::fclose(f);
  }
  return load;
}

bool Flag(const char* arg, const char* name, std::string* value) {
  const size_t n = std::strlen(name);
  if (std::strncmp(arg, name, n) != 0 || arg[n] != '=') return false;
  *value = arg + n + 1;
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  jobmatch::quality::WorldOptions options;
  std::string only;
  for (int i = 1; i < argc; ++i) {
    std::string v;
    if (Flag(argv[i], "--scale", &v)) {
      options.scale = v;
    } else if (Flag(argv[i], "--seed", &v)) {
      options.seed = std::strtoull(v.c_str(), nullptr, 10);
    } else if (Flag(argv[i], "--threads", &v)) {
      options.threads = std::max(1, std::atoi(v.c_str()));
    } else if (Flag(argv[i], "--only", &v)) {
      const auto groups = jobmatch::quality::PropertyGroups();
      if (v != "outcomes" && std::find(groups.begin(), groups.end(), v) == groups.end()) {
        std::fprintf(stderr, "quality_bench: --only: must be needs, commute, hours, fleksjob, "
                             "consistency or outcomes\n");
        return 64;
      }
      only = v;
    } else if (Flag(argv[i], "--quality_sample", &v)) {
      options.quality_sample = std::strtoull(v.c_str(), nullptr, 10);
    } else {
      std::fprintf(stderr,
                   "usage: quality_bench [--scale=0.01|0.1|national|...] [--seed=1] [--threads=2] "
                   "[--quality_sample=25000 (0: invariants only)] [--only=GROUP|outcomes]\n");
      return 64;
    }
  }
  std::printf("quality_bench: scale %s, seed %llu, %d threads, load average %.2f\n",
              options.scale.c_str(), static_cast<unsigned long long>(options.seed),
              options.threads, LoadAverage());
  std::fflush(stdout);
  auto world = jobmatch::quality::World::Build(options);
  if (!world.ok()) {
    std::fprintf(stderr, "quality_bench: %s\n", world.status().ToString().c_str());
    return 1;
  }
  const auto& w = **world;
  std::printf("data: %zu seekers (+%zu twins without a need or limit), %zu vacancies; "
              "index built in %.1f s; nightly run %s (k %d, shortlist %d, %d per seeker) in %.1f s; "
              "bulk pass again for the needs-blind own lists in %.1f s; %zu development "
              "placements\n",
              w.seekers.size(), w.twins, w.vacancy_ids.size(), w.build_seconds,
              w.run.run_id().c_str(), w.run.k(), w.run.shortlist_factor(), w.run.per_seeker(),
              w.nightly_seconds, w.bulk_seconds, w.development_placements.size());
  std::fflush(stdout);
  const jobmatch::quality::Evaluation evaluation = jobmatch::quality::Evaluate(w);
  std::printf("\nInvariants (%.1f s, load average %.2f):\n%s", evaluation.seconds, LoadAverage(),
              jobmatch::quality::FormatInvariants(evaluation).c_str());
  std::printf("needs-blind own-list cases compared only as deep as the twin's list of %zu went: "
              "%llu\n", jobmatch::quality::kCandidateLimit,
              static_cast<unsigned long long>(evaluation.own_list_partial));
  if (!evaluation.quality.empty()) {
    std::printf("\nMatch quality of the seekers' own top %zu against the ground truth "
                "(means over graded seekers with a fit; 'visible': fits the case file shows, "
                "'hidden': fits only the truth knows; 'random' = the same list shuffled):\n%s",
                jobmatch::quality::kListSize,
                jobmatch::quality::FormatQuality(evaluation).c_str());
  }
  if (!evaluation.outcomes.empty()) {
    std::printf("\nPlacement outcomes as a second ground truth: generated placement histories "
                "(assumed rates, docs/quality.md); a placement = started and still in work at the "
                "3-month follow-up; recall@20/nDCG@20 of the placements in the seeker's own top "
                "%zu, means over graded seekers with a placement ('seekers'); 'benefits' = ended "
                "back on benefits; 'random' = the same list shuffled:\n%s",
                jobmatch::quality::kListSize,
                jobmatch::quality::FormatOutcomes(evaluation).c_str());
  }
  if (only == "outcomes") {
    // The outcome figure must be computed over some placements (ctest
    // quality_outcomes); the invariants are other tests' business.
    size_t placements = 0, seekers = 0;
    for (const auto& row : evaluation.outcomes) {
      if (row.group != "all") continue;
      placements = row.by_source[0].in_work_3_months;
      seekers = row.by_source[0].seekers;
    }
    std::printf("\n%zu placements in work at 3 months from independent proposals, over %zu "
                "graded seekers\n", placements, seekers);
    return placements > 0 && seekers > 0 ? 0 : 1;
  }
  const unsigned long long violations = evaluation.violations(only);
  std::printf("\n%llu invariant violations%s%s\n", violations, only.empty() ? "" : " in group ",
              only.c_str());
  return violations == 0 ? 0 : 1;
}

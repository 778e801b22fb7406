#include "server/skill_gap_report.h"

#include <cstdio>

#include "matcher/skill_gap.h"
#include "server/skill_gap_proto.h"

namespace jobmatch {

void AddSkillGapSection(const matcher::MatchIndex& index, const matcher::Scorer& scorer,
                        const matcher::CourseCatalogue* courses,
                        const matcher::BulkTopKResult& result, absl::Time now,
                        size_t max_seekers, v1::RematchReport* report) {
  matcher::SkillGapOptions options;
  options.now = now;
  options.top_skills = 20;
  // A vacancy's list cut-off from the run where the run's list is long
  // enough, or complete (fewer than k feasible seekers).
  absl::flat_hash_map<std::string, double> cutoffs;
  const size_t k = report->k() > 0 ? static_cast<size_t>(report->k()) : 0;
  for (const auto& [id, ranked] : result.seekers_for_vacancy) {
    if (ranked.size() >= options.list_size) {
      cutoffs[id] = ranked[options.list_size - 1].score;
    } else if (ranked.size() < k) {
      cutoffs[id] = 0;
    }
  }
  std::vector<std::string> seekers;
  const size_t total = result.vacancies_for_seeker.size();
  const size_t step = max_seekers == 0 || total <= max_seekers
                          ? 1
                          : (total + max_seekers - 1) / max_seekers;
  for (size_t i = 0; i < total; i += step) seekers.push_back(result.vacancies_for_seeker[i].first);
  matcher::SkillGapAnalyzer analyzer(&index, &scorer, options, &cutoffs);
  auto gaps = analyzer.ForSeekers(seekers);
  v1::SkillGapSection* section = report->mutable_skill_gaps();
  *section->mutable_settings() = ToProto(options);
  section->set_seekers_total(static_cast<uint32_t>(total));
  if (!gaps.ok()) {
    std::fprintf(stderr, "jobmatchd: rematch report: skill gaps left out: %s\n",
                 gaps.status().ToString().c_str());
    return;
  }
  section->set_seekers_analysed(static_cast<uint32_t>(gaps->seekers));
  section->set_feasible_pairs(gaps->feasible_pairs);
  section->set_good_pairs(gaps->good_pairs);
  section->set_near_misses(gaps->near_misses);
  section->set_unlockable_pairs(gaps->unlockable_pairs);
  for (const matcher::SkillUnlock& u : gaps->skills) {
    *section->add_skills() = ToProto(u, scorer.taxonomy(), courses);
  }
}

}  // namespace jobmatch

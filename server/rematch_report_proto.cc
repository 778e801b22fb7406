#include "server/rematch_report_proto.h"

#include <cstdlib>

namespace jobmatch {
namespace {

void Fill(const matcher::CoverageRow& row, v1::CoverageRow* out) {
  out->set_key(row.key);
  out->set_seekers(row.seekers);
  out->set_with_match(row.with_match);
  out->set_share_with_match(row.share_with_match);
  out->set_median_best_score(row.median_best_score);
}

void Fill(const matcher::ScoreDistribution& d, v1::ScoreDistribution* out) {
  out->set_count(d.count);
  out->set_mean(d.mean);
  for (size_t c : d.histogram) out->add_histogram(c);
  for (double q : d.deciles) out->add_deciles(q);
}

void Fill(const matcher::FairnessGroup& g, v1::FairnessGroup* out) {
  out->set_seekers(g.seekers);
  out->set_with_match(g.with_match);
  out->set_share_with_match(g.share_with_match);
  out->set_median_best_score(g.median_best_score);
  out->set_in_vacancy_list(g.in_vacancy_list);
  out->set_share_in_vacancy_list(g.share_in_vacancy_list);
  out->set_with_suggestion(g.with_suggestion);
  out->set_share_with_suggestion(g.share_with_suggestion);
}

}  // namespace

v1::RematchReport ToProto(const matcher::RematchReport& report, const v1::RematchRun& run,
                          const std::function<std::string(int)>& municipality_name) {
  v1::RematchReport out;
  out.set_run_id(run.run_id());
  out.set_finished_micros(run.finished_micros());
  out.set_policy_version(run.policy_version());
  out.set_k(run.k());
  out.set_seekers(report.seekers);
  out.set_seekers_with_match(report.seekers_with_match);
  out.set_vacancies(report.vacancies);
  out.set_vacancies_without_candidate(report.vacancies_without_candidate);
  for (const auto& row : report.by_municipality) {
    v1::CoverageRow* r = out.add_by_municipality();
    Fill(row, r);
    if (municipality_name) r->set_name(municipality_name(std::atoi(row.key.c_str())));
  }
  for (const auto& row : report.by_target_group) Fill(row, out.add_by_target_group());
  Fill(report.best_scores, out.mutable_best_scores());
  Fill(report.all_scores, out.mutable_all_scores());
  const matcher::FairnessAudit& f = report.fairness;
  v1::FairnessAudit* fa = out.mutable_fairness();
  for (const auto& s : f.strata) {
    v1::FairnessStratum* st = fa->add_strata();
    st->set_skills_band(s.skills_band);
    st->set_commute_band(s.commute_band);
    Fill(s.with_needs, st->mutable_with_needs());
    Fill(s.without_needs, st->mutable_without_needs());
  }
  Fill(f.raw_with_needs, fa->mutable_raw_with_needs());
  Fill(f.raw_without_needs, fa->mutable_raw_without_needs());
  fa->set_needs_share(f.needs_share);
  fa->set_comparable_share(f.comparable_share);
  fa->set_share_difference(f.share_difference);
  fa->set_needs_median_best(f.needs_median_best);
  fa->set_comparable_median_best(f.comparable_median_best);
  fa->set_median_best_difference(f.median_best_difference);
  fa->set_needs_without_comparison(f.needs_without_comparison);
  fa->set_small_sample(f.small_sample);
  fa->set_ranking_inversions(f.ranking_inversions);
  for (const auto& g : f.by_target_group) {
    v1::FairnessTargetGroup* tg = fa->add_by_target_group();
    tg->set_target_group(g.target_group);
    Fill(g.with_needs, tg->mutable_with_needs());
    Fill(g.without_needs, tg->mutable_without_needs());
  }
  *out.mutable_plain() = run.plain();
  *out.mutable_allocated() = run.allocated();
  return out;
}

}  // namespace jobmatch

#include "matcher/rematch_report.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <map>
#include <string_view>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "matcher/cell_key.h"

namespace jobmatch::matcher {
namespace {

constexpr int kSkillBands = 4;
constexpr int kCommuteBands = 4;
constexpr const char* kSkillBandNames[kSkillBands] = {"0-4", "5-9", "10-19", "20+"};
constexpr const char* kCommuteBandNames[kCommuteBands] = {"<=30 min", "31-60 min", "61-90 min",
                                                          ">90 min"};

int SkillBand(size_t skills) {
  if (skills < 5) return 0;
  if (skills < 10) return 1;
  if (skills < 20) return 2;
  return 3;
}

int CommuteBand(int minutes) {
  if (minutes <= 30) return 0;
  if (minutes <= 60) return 1;
  if (minutes <= 90) return 2;
  return 3;
}

double Median(std::vector<double> values) {
  if (values.empty()) return 0;
  std::sort(values.begin(), values.end());
  const size_t n = values.size();
  return n % 2 == 1 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
}

// A count of people with its cell key: the sum of its contributors' record
// keys (mod 2^32, cell_key.h).
struct Count {
  size_t n = 0;
  uint32_t key = 0;
  void Add(uint32_t record_key) {
    ++n;
    key += record_key;
  }
  size_t Published(bool perturb) const { return perturb ? PerturbedCount(n, key) : n; }
};

double Share(size_t part, size_t whole) {
  return whole ? std::min(1.0, double(part) / whole) : 0;
}

// Seekers of one group: counts and best scores of the matched.
struct Tally {
  Count seekers, with_match, in_vacancy_list, with_suggestion;
  std::vector<double> best;
  void Add(const std::vector<RankedId>& ranked, uint32_t record_key, bool in_list = false,
           bool suggested = false) {
    seekers.Add(record_key);
    if (!ranked.empty()) {
      best.push_back(ranked.front().score);
      with_match.Add(record_key);
    }
    if (in_list) in_vacancy_list.Add(record_key);
    if (suggested) with_suggestion.Add(record_key);
  }
  FairnessGroup Group(bool perturb) const {
    FairnessGroup g;
    g.seekers = seekers.Published(perturb);
    g.with_match = with_match.Published(perturb);
    g.share_with_match = Share(g.with_match, g.seekers);
    g.median_best_score = Median(best);
    g.in_vacancy_list = in_vacancy_list.Published(perturb);
    g.share_in_vacancy_list = Share(g.in_vacancy_list, g.seekers);
    g.with_suggestion = with_suggestion.Published(perturb);
    g.share_with_suggestion = Share(g.with_suggestion, g.seekers);
    return g;
  }
  CoverageRow Row(std::string key, bool perturb) const {
    const FairnessGroup g = Group(perturb);
    return CoverageRow{std::move(key), g.seekers, g.with_match, g.share_with_match,
                       g.median_best_score};
  }
};

ScoreDistribution Distribution(std::vector<double> scores) {
  ScoreDistribution d;
  d.count = scores.size();
  d.histogram.assign(kHistogramBins, 0);
  if (scores.empty()) return d;
  double sum = 0;
  for (double s : scores) {
    sum += s;
    const int bin = std::clamp(static_cast<int>(std::floor(s * kHistogramBins)), 0,
                               kHistogramBins - 1);
    ++d.histogram[bin];
  }
  d.mean = sum / scores.size();
  std::sort(scores.begin(), scores.end());
  for (int i = 0; i <= 10; ++i) d.deciles.push_back(Percentile(scores, 10.0 * i));
  return d;
}

}  // namespace

double Percentile(const std::vector<double>& sorted, double percent) {
  if (sorted.empty()) return 0;
  if (percent <= 0) return sorted.front();
  const size_t rank = static_cast<size_t>(std::ceil(percent / 100.0 * sorted.size()));
  return sorted[std::min(sorted.size(), std::max<size_t>(rank, 1)) - 1];
}

RematchReport BuildRematchReport(const BulkTopKResult& result,
                                 const std::vector<ReportSeeker>& seekers, bool perturb) {
  RematchReport report;
  Count all_seekers, all_with_match;
  std::map<int, Tally> by_municipality;
  std::map<std::string, Tally> by_group;
  Tally strata[kSkillBands][kCommuteBands][2];  // [..][..][has needs]
  Tally raw[2];
  std::map<std::string, std::array<Tally, 2>> fair_by_group;
  std::vector<double> best, all;
  // The vacancies' lists: who is in one, and with which score.
  absl::flat_hash_map<std::string_view, const std::vector<RankedId>*> vacancy_list;
  absl::flat_hash_set<std::string_view> listed;
  for (const auto& [id, ranked] : result.seekers_for_vacancy) {
    vacancy_list[id] = &ranked;
    for (const RankedId& r : ranked) listed.insert(r.id);
  }
  const size_t n = std::min(seekers.size(), result.vacancies_for_seeker.size());
  for (size_t i = 0; i < n; ++i) {
    const ReportSeeker& s = seekers[i];
    if (!s.known) continue;
    const std::string& id = result.vacancies_for_seeker[i].first;
    // The seeker's own list (their view) for the score distributions; the
    // needs-blind list for every comparison between seekers.
    const std::vector<RankedId>& own = result.vacancies_for_seeker[i].second;
    const std::vector<RankedId>& ranked = result.NeedsBlindVacancies(i);
    all_seekers.Add(s.record_key);
    if (!ranked.empty()) {
      all_with_match.Add(s.record_key);
      best.push_back(ranked.front().score);
    }
    for (const RankedId& r : own) all.push_back(r.score);
    const bool in_list = listed.contains(id);
    const uint32_t key = s.record_key;
    by_municipality[s.municipality].Add(ranked, key);
    const std::string group = s.target_group.empty() ? "(none)" : s.target_group;
    by_group[group].Add(ranked, key);
    const int needs = s.has_functional_needs ? 1 : 0;
    strata[SkillBand(s.skills)][CommuteBand(s.max_commute_minutes)][needs].Add(
        ranked, key, in_list, s.has_suggestion);
    raw[needs].Add(ranked, key, in_list, s.has_suggestion);
    fair_by_group[group][needs].Add(ranked, key, in_list, s.has_suggestion);
    if (!needs) continue;
    for (const RankedId& r : ranked) {
      auto it = vacancy_list.find(r.id);
      if (it == vacancy_list.end()) continue;
      const std::vector<RankedId>& list = *it->second;
      auto me = std::find_if(list.begin(), list.end(),
                             [&](const RankedId& e) { return e.id == id; });
      if (me != list.end() ? me->score != r.score
                           : !list.empty() && r.score > list.back().score) {
        ++report.fairness.ranking_inversions;
      }
    }
  }
  // The national totals are exact (like suppression, perturbation protects
  // the rows and groups; a change of the national total names no row).
  report.seekers = all_seekers.n;
  report.seekers_with_match = all_with_match.n;
  report.vacancies = result.seekers_for_vacancy.size();
  for (const auto& [id, ranked] : result.seekers_for_vacancy) {
    report.vacancies_without_candidate += ranked.empty();
  }
  for (const auto& [code, tally] : by_municipality) {
    report.by_municipality.push_back(tally.Row(std::to_string(code), perturb));
  }
  for (const auto& [group, tally] : by_group) report.by_target_group.push_back(tally.Row(group, perturb));
  report.best_scores = Distribution(std::move(best));
  report.all_scores = Distribution(std::move(all));

  FairnessAudit& f = report.fairness;
  f.raw_with_needs = raw[1].Group(perturb);
  f.raw_without_needs = raw[0].Group(perturb);
  f.small_sample = f.raw_with_needs.seekers < kMinStratumSeekers;
  for (const auto& [group, tallies] : fair_by_group) {
    f.by_target_group.push_back({group, tallies[1].Group(perturb), tallies[0].Group(perturb)});
  }
  double share_weight = 0, needs_share = 0, other_share = 0;
  double median_weight = 0, needs_median = 0, other_median = 0;
  for (int sb = 0; sb < kSkillBands; ++sb) {
    for (int cb = 0; cb < kCommuteBands; ++cb) {
      FairnessStratum stratum;
      stratum.skills_band = kSkillBandNames[sb];
      stratum.commute_band = kCommuteBandNames[cb];
      stratum.with_needs = strata[sb][cb][1].Group(perturb);
      stratum.without_needs = strata[sb][cb][0].Group(perturb);
      const FairnessGroup& a = stratum.with_needs;
      const FairnessGroup& b = stratum.without_needs;
      if (a.seekers > 0 && b.seekers == 0) f.needs_without_comparison += a.seekers;
      if (a.seekers > 0 && b.seekers > 0) {
        share_weight += a.seekers;
        needs_share += a.seekers * a.share_with_match;
        other_share += a.seekers * b.share_with_match;
      }
      if (a.with_match > 0 && b.with_match > 0) {
        median_weight += a.with_match;
        needs_median += a.with_match * a.median_best_score;
        other_median += a.with_match * b.median_best_score;
      }
      f.strata.push_back(std::move(stratum));
    }
  }
  if (share_weight > 0) {
    f.needs_share = needs_share / share_weight;
    f.comparable_share = other_share / share_weight;
    f.share_difference = f.needs_share - f.comparable_share;
  }
  if (median_weight > 0) {
    f.needs_median_best = needs_median / median_weight;
    f.comparable_median_best = other_median / median_weight;
    f.median_best_difference = f.needs_median_best - f.comparable_median_best;
  }
  return report;
}

}  // namespace jobmatch::matcher

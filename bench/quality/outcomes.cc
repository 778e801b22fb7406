#include "bench/quality/outcomes.h"

#include <algorithm>
#include <cmath>
#include <utility>

namespace jobmatch::quality {
namespace {

// FNV-1a over the parts, then a SplitMix64 finaliser: stable across
// platforms and standard libraries (std::hash is not).
uint64_t Mix(uint64_t h) {
  h += 0x9e3779b97f4a7c15ULL;
  h = (h ^ (h >> 30)) * 0xbf58476d1ce4e5b9ULL;
  h = (h ^ (h >> 27)) * 0x94d049bb133111ebULL;
  return h ^ (h >> 31);
}

uint64_t Hash(uint64_t seed, const std::string& a, const std::string& b, uint64_t salt) {
  uint64_t h = 1469598103934665603ULL ^ Mix(seed);
  auto add = [&h](const std::string& s) {
    for (unsigned char c : s) h = (h ^ c) * 1099511628211ULL;
    h = (h ^ 0xff) * 1099511628211ULL;  // separator
  };
  add(a);
  add(b);
  return Mix(h ^ Mix(salt));
}

// A uniform draw in [0, 1) for one question about one pair.
double Uniform(uint64_t seed, const std::string& seeker, const std::string& vacancy,
               uint64_t question) {
  return static_cast<double>(Hash(seed, seeker, vacancy, question) >> 11) * 0x1.0p-53;
}

enum Question : uint64_t { kPropose = 1, kStart, kEnd1, kEnd3, kEnd6, kHow, kWhere };

int Clamp(int grade) { return std::clamp(grade, 0, 3); }

PlacementHistory History(uint64_t seed, const std::string& seeker, const std::string& vacancy,
                         size_t position, int grade, ProposalSource source) {
  const OutcomeRates& r = kOutcomeRates;
  const int g = Clamp(grade);
  PlacementHistory h;
  h.position = position;
  h.source = source;
  h.grade = grade;
  h.started = Uniform(seed, seeker, vacancy, kStart) < r.start[g];
  if (!h.started) return h;
  if (Uniform(seed, seeker, vacancy, kEnd1) < r.end_before_1_month[g]) {
    h.months_in_work = 0;
  } else if (Uniform(seed, seeker, vacancy, kEnd3) < r.end_1_to_3_months[g]) {
    h.months_in_work = 1;
  } else if (Uniform(seed, seeker, vacancy, kEnd6) < r.end_3_to_6_months[g]) {
    h.months_in_work = 3;
  } else {
    h.months_in_work = 6;
    return h;  // still in work at the last follow-up: not ENDED
  }
  if (Uniform(seed, seeker, vacancy, kHow) < r.back_to_benefits[g]) {
    h.ended = EndOutcome::kBackToBenefits;
  } else {
    h.ended = Uniform(seed, seeker, vacancy, kWhere) < 0.8 ? EndOutcome::kToEmployment
                                                           : EndOutcome::kToEducation;
  }
  return h;
}

}  // namespace

// Assumptions, chosen before any outcome figure was measured and not to be
// changed to move one (docs/quality.md). Grade 0..3 as TruthGrade.
const OutcomeRates kOutcomeRates = {
    /*independent_proposals=*/4,
    /*start=*/{0.05, 0.10, 0.25, 0.35},
    /*end_before_1_month=*/{0.30, 0.20, 0.10, 0.08},
    /*end_1_to_3_months=*/{0.30, 0.20, 0.10, 0.08},
    /*end_3_to_6_months=*/{0.20, 0.15, 0.08, 0.06},
    /*back_to_benefits=*/{0.70, 0.60, 0.40, 0.30},
};

const char* ProposalSourceName(ProposalSource source) {
  return source == ProposalSource::kIndependent ? "independent proposals"
                                                : "the matcher's suggestions";
}

std::vector<PlacementHistory> DrawPlacements(uint64_t seed, const std::string& seeker_id,
                                             const std::vector<std::string>& vacancy_ids,
                                             const std::vector<int>& grades,
                                             const std::vector<size_t>& suggested) {
  // The consultant's proposals: the feasible vacancies with the smallest
  // draws, i.e. a uniform sample without replacement that ignores the order.
  std::vector<std::pair<uint64_t, size_t>> draws;
  draws.reserve(vacancy_ids.size());
  for (size_t i = 0; i < vacancy_ids.size(); ++i) {
    draws.emplace_back(Hash(seed, seeker_id, vacancy_ids[i], kPropose), i);
  }
  const size_t n = std::min(kOutcomeRates.independent_proposals, draws.size());
  std::partial_sort(draws.begin(), draws.begin() + static_cast<std::ptrdiff_t>(n), draws.end());
  std::vector<PlacementHistory> out;
  for (size_t x = 0; x < n; ++x) {
    const size_t i = draws[x].second;
    out.push_back(History(seed, seeker_id, vacancy_ids[i], i, grades[i],
                          ProposalSource::kIndependent));
  }
  for (size_t i : suggested) {
    if (i >= vacancy_ids.size()) continue;
    out.push_back(History(seed, seeker_id, vacancy_ids[i], i, grades[i],
                          ProposalSource::kMatcherSuggested));
  }
  return out;
}

OutcomeMetrics EvaluateOutcomes(const std::vector<bool>& success, size_t k) {
  OutcomeMetrics m;
  size_t hits = 0;
  double dcg = 0;
  auto discount = [](size_t rank0) { return 1.0 / std::log2(static_cast<double>(rank0) + 2.0); };
  for (size_t i = 0; i < success.size(); ++i) {
    if (!success[i]) continue;
    ++m.successes;
    if (i < k) {
      ++hits;
      dcg += discount(i);
    }
  }
  if (m.successes == 0) return m;
  const size_t top = std::min(k, m.successes);
  double idcg = 0;
  for (size_t i = 0; i < top; ++i) idcg += discount(i);
  m.recall = static_cast<double>(hits) / static_cast<double>(top);
  m.ndcg = dcg / idcg;
  return m;
}

}  // namespace jobmatch::quality

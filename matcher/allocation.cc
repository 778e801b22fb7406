#include "matcher/allocation.h"

#include <algorithm>
#include <numeric>
#include <string_view>

#include "absl/container/flat_hash_map.h"

namespace jobmatch::matcher {
namespace {

// Best first; ties by seeker then vacancy index, so the result is deterministic.
bool Better(const CandidatePair& a, const CandidatePair& b) {
  if (a.score != b.score) return a.score > b.score;
  if (a.seeker != b.seeker) return a.seeker < b.seeker;
  return a.vacancy < b.vacancy;
}

AllocationReport Report(const AllocationInput& input, const std::vector<CandidatePair>& chosen) {
  AllocationReport r;
  std::vector<double> per_vacancy(input.vacancy_capacity.size(), 0);
  std::vector<char> seeker_has(input.seekers, 0), seeker_candidate(input.seekers, 0);
  for (const auto& p : input.pairs) seeker_candidate[p.seeker] = 1;
  for (const auto& p : chosen) {
    r.total_score += p.score;
    per_vacancy[p.vacancy] += 1;
    seeker_has[p.seeker] = 1;
  }
  r.suggestions = chosen.size();
  r.mean_score = chosen.empty() ? 0 : r.total_score / chosen.size();
  size_t with = 0;
  for (double c : per_vacancy) with += c > 0;
  r.share_vacancies_with_suggestion = per_vacancy.empty() ? 0 : double(with) / per_vacancy.size();
  const size_t candidates = std::accumulate(seeker_candidate.begin(), seeker_candidate.end(), size_t{0});
  const size_t covered = std::accumulate(seeker_has.begin(), seeker_has.end(), size_t{0});
  r.share_seekers_with_suggestion = candidates ? double(covered) / candidates : 0;
  r.gini_suggestions_per_vacancy = Gini(per_vacancy);
  return r;
}

}  // namespace

double Gini(std::vector<double> counts) {
  if (counts.empty()) return 0;
  std::sort(counts.begin(), counts.end());
  double cumulative = 0, weighted = 0;
  for (size_t i = 0; i < counts.size(); ++i) {
    cumulative += counts[i];
    weighted += (i + 1) * counts[i];
  }
  if (cumulative == 0) return 0;
  const double n = static_cast<double>(counts.size());
  return (2 * weighted) / (n * cumulative) - (n + 1) / n;
}

Allocation Allocate(const AllocationInput& input) {
  std::vector<int> vacancy_left = input.vacancy_capacity;
  std::vector<int> seeker_left(input.seekers, input.per_seeker);
  std::vector<std::vector<CandidatePair>> chosen_by_seeker(input.seekers);
  auto holds = [&](uint32_t s, uint32_t v) {
    for (const auto& p : chosen_by_seeker[s]) {
      if (p.vacancy == v) return true;
    }
    return false;
  };

  // 1. Greedy maximum-weight b-matching: pairs best first while both sides
  //    have capacity.
  std::vector<CandidatePair> all = input.pairs;
  std::sort(all.begin(), all.end(), Better);
  for (const auto& p : all) {
    if (seeker_left[p.seeker] <= 0 || vacancy_left[p.vacancy] <= 0 || holds(p.seeker, p.vacancy)) {
      continue;
    }
    --seeker_left[p.seeker];
    --vacancy_left[p.vacancy];
    chosen_by_seeker[p.seeker].push_back(p);
  }
  // Who holds a suggestion at each vacancy (kept up to date below).
  std::vector<std::vector<uint32_t>> holders(input.vacancy_capacity.size());
  for (uint32_t o = 0; o < input.seekers; ++o) {
    for (const auto& q : chosen_by_seeker[o]) holders[q.vacancy].push_back(o);
  }

  // 2. Coverage repair: a seeker with candidates but no suggestion takes its
  //    best candidate vacancy with capacity left, or else the weakest
  //    suggestion of that vacancy held by a seeker who has more than one.
  std::vector<std::vector<CandidatePair>> by_seeker(input.seekers);
  for (const auto& p : input.pairs) by_seeker[p.seeker].push_back(p);
  for (auto& list : by_seeker) std::sort(list.begin(), list.end(), Better);
  for (uint32_t s = 0; s < input.seekers; ++s) {
    if (!chosen_by_seeker[s].empty() || by_seeker[s].empty() || input.per_seeker <= 0) continue;
    bool placed = false;
    for (const auto& p : by_seeker[s]) {
      if (vacancy_left[p.vacancy] > 0) {
        --vacancy_left[p.vacancy];
        chosen_by_seeker[s].push_back(p);
        holders[p.vacancy].push_back(s);
        placed = true;
        break;
      }
    }
    for (size_t i = 0; !placed && i < by_seeker[s].size(); ++i) {
      const CandidatePair& p = by_seeker[s][i];
      // Free a place at p.vacancy at the least loss: drop a holder's
      // suggestion if it has others, or move a holder to another of its
      // candidates that has capacity left.
      double best_loss = 0;
      uint32_t victim = UINT32_MAX;
      size_t victim_pos = 0;
      const CandidatePair* move_to = nullptr;
      for (uint32_t o : holders[p.vacancy]) {
        for (size_t j = 0; j < chosen_by_seeker[o].size(); ++j) {
          const CandidatePair& q = chosen_by_seeker[o][j];
          if (q.vacancy != p.vacancy) continue;
          if (chosen_by_seeker[o].size() >= 2 && (victim == UINT32_MAX || q.score < best_loss)) {
            best_loss = q.score;
            victim = o;
            victim_pos = j;
            move_to = nullptr;
          }
          for (const auto& alt : by_seeker[o]) {
            if (vacancy_left[alt.vacancy] <= 0 || holds(o, alt.vacancy)) continue;
            const double loss = q.score - alt.score;
            if (victim == UINT32_MAX || loss < best_loss) {
              best_loss = loss;
              victim = o;
              victim_pos = j;
              move_to = &alt;
            }
          }
        }
      }
      if (victim == UINT32_MAX) continue;
      chosen_by_seeker[victim].erase(chosen_by_seeker[victim].begin() + victim_pos);
      auto& at_p = holders[p.vacancy];
      at_p.erase(std::find(at_p.begin(), at_p.end(), victim));
      if (move_to != nullptr) {
        --vacancy_left[move_to->vacancy];
        chosen_by_seeker[victim].push_back(*move_to);
        holders[move_to->vacancy].push_back(victim);
      } else {
        ++seeker_left[victim];
      }
      chosen_by_seeker[s].push_back(p);
      at_p.push_back(s);
      placed = true;
    }
    if (placed) --seeker_left[s];
  }

  Allocation out;
  for (auto& list : chosen_by_seeker) {
    out.chosen.insert(out.chosen.end(), list.begin(), list.end());
  }
  std::sort(out.chosen.begin(), out.chosen.end(), Better);
  out.report = Report(input, out.chosen);
  return out;
}

IndexedAllocationInput AllocationInputFrom(const BulkTopKResult& result,
                                           const AllocationInputOptions& options) {
  auto order = [](const std::vector<uint32_t>& given, size_t n) {
    if (!given.empty()) return given;
    std::vector<uint32_t> natural(n);
    std::iota(natural.begin(), natural.end(), 0u);
    return natural;
  };
  IndexedAllocationInput out;
  AllocationInput& input = out.input;
  input.seekers = result.vacancies_for_seeker.size();
  input.per_seeker = options.per_seeker;
  absl::flat_hash_map<std::string_view, uint32_t> vacancy_index;
  vacancy_index.reserve(result.seekers_for_vacancy.size());
  input.vacancy_capacity.reserve(result.seekers_for_vacancy.size());
  for (uint32_t i : order(options.vacancy_order, result.seekers_for_vacancy.size())) {
    const std::string& id = result.seekers_for_vacancy[i].first;
    vacancy_index[id] = static_cast<uint32_t>(out.vacancies.size());
    out.vacancies.push_back(&id);
    input.vacancy_capacity.push_back(options.capacity(id));
  }
  for (uint32_t i : order(options.seeker_order, result.vacancies_for_seeker.size())) {
    const std::string& seeker_id = result.vacancies_for_seeker[i].first;
    const auto s = static_cast<uint32_t>(out.seekers.size());
    out.seekers.push_back(&seeker_id);
    for (const RankedId& v : result.NeedsBlindVacancies(i)) {
      if (options.closed && options.closed(seeker_id, v.id)) continue;
      auto it = vacancy_index.find(v.id);
      if (it != vacancy_index.end()) input.pairs.push_back({s, it->second, v.score});
    }
  }
  return out;
}

Allocation PlainTopK(const AllocationInput& input) {
  std::vector<std::vector<CandidatePair>> by_seeker(input.seekers);
  for (const auto& p : input.pairs) by_seeker[p.seeker].push_back(p);
  Allocation out;
  for (auto& list : by_seeker) {
    std::sort(list.begin(), list.end(), Better);
    for (size_t i = 0; i < list.size() && i < static_cast<size_t>(input.per_seeker); ++i) {
      out.chosen.push_back(list[i]);
    }
  }
  std::sort(out.chosen.begin(), out.chosen.end(), Better);
  out.report = Report(input, out.chosen);
  return out;
}

}  // namespace jobmatch::matcher

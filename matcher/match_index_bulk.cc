// MatchIndex::BulkTopK: the nightly rematch's pass over all pairs.
#include <algorithm>
#include <cmath>
#include <limits>
#include <thread>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "matcher/match_index.h"

namespace jobmatch::matcher {
namespace {

struct Entry {
  double key;
  uint32_t index;
};

// Keeps the k best entries; `better` orders best first.
template <typename Better>
void Offer(std::vector<Entry>* heap, size_t k, const Entry& e, const Better& better) {
  if (heap->size() < k) {
    heap->push_back(e);
    std::push_heap(heap->begin(), heap->end(), better);
  } else if (better(e, heap->front())) {
    std::pop_heap(heap->begin(), heap->end(), better);
    heap->back() = e;
    std::push_heap(heap->begin(), heap->end(), better);
  }
}

}  // namespace

absl::StatusOr<BulkTopKResult> MatchIndex::BulkTopK(const BulkTopKOptions& options) const {
  if (options.k == 0 || options.k > 1000) {
    return absl::InvalidArgumentError("k: must be within [1, 1000]");
  }
  const absl::Time start = absl::Now();
  // Snapshot: copy the state under the reader lock, then work without it.
  std::vector<SeekerProfile> seekers;
  std::vector<VacancyProfile> vacancies;
  std::vector<uint8_t> seeker_alive, vacancy_remote;
  std::vector<double> seeker_reach2;
  std::vector<int32_t> vacancy_x, vacancy_y;  // hot: read for every candidate pair
  std::vector<Place> vacancy_place;
  absl::flat_hash_map<int, CellPostings> vacancies_by_group;
  Policy policy;
  {
    absl::ReaderMutexLock lock(&mu_);
    seekers = seekers_;
    vacancies = vacancies_;
    seeker_alive = seeker_alive_;
    vacancy_remote = vacancy_remote_;
    seeker_reach2 = seeker_reach2_;
    vacancy_x = vacancy_x_;
    vacancy_y = vacancy_y_;
    vacancy_place = vacancy_place_;
    vacancies_by_group = vacancies_by_group_;
    policy = policy_;
  }
  const size_t k = options.k;
  const int threads = std::max(1, options.threads);
  auto seeker_better = [&](const Entry& a, const Entry& b) {
    if (a.key != b.key) return a.key > b.key;
    return vacancies[a.index].id < vacancies[b.index].id;
  };
  auto vacancy_better = [&](const Entry& a, const Entry& b) {
    if (a.key != b.key) return a.key > b.key;
    return seekers[a.index].id < seekers[b.index].id;
  };

  std::vector<std::vector<Entry>> seeker_top(seekers.size());
  // Per thread, per vacancy: bounded heaps of seekers, merged at the end.
  std::vector<std::vector<std::vector<Entry>>> vacancy_top(
      threads, std::vector<std::vector<Entry>>(vacancies.size()));
  // Per thread, per vacancy: the k-th score of its heap (-inf until full),
  // kept apart from the heaps because it is read for every pair and must stay
  // in cache.
  std::vector<std::vector<double>> vacancy_floor(
      threads, std::vector<double>(vacancies.size(), -std::numeric_limits<double>::infinity()));
  std::atomic<size_t> next{0}, done{0};
  std::atomic<uint64_t> candidates{0}, scored{0}, feasible{0}, pruned{0};
  std::atomic<bool> cancelled{false};
  constexpr size_t kChunk = 256;

  auto work = [&](int t) {
    SeekerSkillBits bits;
    uint64_t n_candidates = 0, n_scored = 0, n_feasible = 0, n_pruned = 0;
    for (size_t begin; (begin = next.fetch_add(kChunk)) < seekers.size();) {
      if (options.cancel != nullptr && options.cancel->load()) {
        cancelled = true;
        break;
      }
      const size_t end = std::min(seekers.size(), begin + kChunk);
      for (size_t si = begin; si < end; ++si) {
        if (!seeker_alive[si]) continue;
        const SeekerProfile& seeker = seekers[si];
        const double reach2 = seeker_reach2[si];
        bits.Assign(scorer_->taxonomy(), seeker);
        const std::vector<int> groups = CandidateGroups(seeker, policy);
        for (int group : groups) {
          auto it = vacancies_by_group.find(group);
          if (it == vacancies_by_group.end()) continue;
          it->second.ForEachNear(seeker.home.x, seeker.home.y, std::sqrt(reach2), [&](uint32_t vi) {
            ++n_candidates;
            if (!vacancy_remote[vi]) {
              const double dx = static_cast<double>(vacancy_x[vi]) - seeker.home.x;
              const double dy = static_cast<double>(vacancy_y[vi]) - seeker.home.y;
              if (dx * dx + dy * dy > reach2) return;
              // The commute constraint before touching the vacancy's record.
              if (!scorer_->CommuteWithinLimit(seeker.home, vacancy_place[vi],
                                               seeker.transport_modes,
                                               seeker.max_commute_minutes)) {
                return;
              }
            }
            ++n_scored;
            // Skip the skill comparison if the pair can enter neither the
            // seeker's top-k nor this thread's top-k of the vacancy (whose
            // k-th score is at most the global one, so the test is safe).
            Scorer::Cutoff cutoff;
            if (seeker_top[si].size() == k) cutoff.seeker_view_below = seeker_top[si].front().key;
            cutoff.total_below = vacancy_floor[t][vi];
            const Score s = scorer_->Evaluate(seeker, vacancies[vi], policy, options.now,
                                              Scorer::Detail::kTotals, &bits, cutoff);
            if (!s.feasible()) return;
            ++n_feasible;
            if (s.pruned) {
              ++n_pruned;
              return;
            }
            Offer(&seeker_top[si], k, {s.seeker_view_total, vi}, seeker_better);
            if (s.total >= vacancy_floor[t][vi]) {
              auto& vheap = vacancy_top[t][vi];
              Offer(&vheap, k, {s.total, static_cast<uint32_t>(si)}, vacancy_better);
              if (vheap.size() == k) vacancy_floor[t][vi] = vheap.front().key;
            }
          });
        }
      }
      const size_t now_done = done.fetch_add(end - begin) + (end - begin);
      if (options.progress) options.progress(now_done, seekers.size());
    }
    candidates += n_candidates;
    scored += n_scored;
    feasible += n_feasible;
    pruned += n_pruned;
  };
  std::vector<std::thread> pool;
  for (int t = 0; t < threads; ++t) pool.emplace_back(work, t);
  for (auto& th : pool) th.join();
  if (cancelled) return absl::CancelledError("bulk pass cancelled");

  BulkTopKResult result;
  for (size_t si = 0; si < seekers.size(); ++si) {
    if (!seeker_alive[si]) continue;
    auto& heap = seeker_top[si];
    std::sort_heap(heap.begin(), heap.end(), seeker_better);
    std::vector<RankedId> ranked;
    for (const Entry& e : heap) ranked.push_back({vacancies[e.index].id, e.key});
    result.vacancies_for_seeker.emplace_back(seekers[si].id, std::move(ranked));
  }
  for (size_t vi = 0; vi < vacancies.size(); ++vi) {
    if (vacancies[vi].id.empty()) continue;  // a removed slot
    std::vector<Entry> merged;
    for (int t = 0; t < threads; ++t) {
      merged.insert(merged.end(), vacancy_top[t][vi].begin(), vacancy_top[t][vi].end());
    }
    std::sort(merged.begin(), merged.end(), vacancy_better);
    if (merged.size() > k) merged.resize(k);
    std::vector<RankedId> ranked;
    for (const Entry& e : merged) ranked.push_back({seekers[e.index].id, e.key});
    result.seekers_for_vacancy.emplace_back(vacancies[vi].id, std::move(ranked));
  }
  result.candidate_pairs = candidates;
  result.scored_pairs = scored;
  result.feasible_pairs = feasible;
  result.pruned_pairs = pruned;
  result.took = absl::Now() - start;
  return result;
}

}  // namespace jobmatch::matcher

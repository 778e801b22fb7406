// MatchIndex::BulkTopK: the nightly rematch's pass over all pairs.
//
// The pass is bound by memory, not arithmetic: a national run scores ~100 M
// pairs, and a pair whose vacancy record, skill list and heap are not in
// cache costs several misses. So the snapshot is laid out in the pass's own
// order: vacancies by (ISCO minor group, grid cell) -- the order of their
// postings, so a seeker's candidates are contiguous runs of every array --
// and seekers by (first posted group, home cell), so that consecutive seekers
// read the same vacancies. Ties break by ranks of the ids sorted in the tie
// order (options.tie_seed), which give the same order as the live queries'
// TieBefore without touching the records.
//
// Most of the work is pairs that enter no list, so the pass tries to know
// early what a list's 50th score will be: a seeker's candidates are all
// bounded first (Scorer::UpperBound) and those with the highest bounds
// evaluated first; each vacancy has one heap for both threads, whose 50th
// score is a floor for every later pair; and a seeker's coverage of an
// essential skill list that many vacancies share is summed once
// (matcher/skill_list_memo.h).
#include <algorithm>
#include <atomic>
#include <cmath>
#include <functional>
#include <limits>
#include <memory>
#include <numeric>
#include <thread>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "matcher/assume_held.h"
#include "matcher/candidate_scan.h"
#include "matcher/match_index.h"
#include "matcher/skill_list_memo.h"

namespace jobmatch::matcher {
namespace {

// A ranked entry: a score, the other side's id rank (the tie order) and its
// position in the pass (to name it).
struct Entry {
  double key;
  uint32_t rank;
  uint32_t index;
};

// A candidate of a seeker that passed the prefilter: its score bounds
// (Scorer::UpperBound) and its position in the pass.
struct BoundedCandidate {
  double seeker_view_bound;
  double total_bound;
  uint32_t index;
  // The coverage summed over the optional skills for the bound (valid if
  // has_optional), for Evaluate.
  bool has_optional;
  double optional_credit;
};

// Higher score first, then the earlier id in the tie order: the order of the
// live queries.
// A type, not a function, so that the heap algorithms inline it.
struct BetterEntry {
  bool operator()(const Entry& a, const Entry& b) const {
    return a.key != b.key ? a.key > b.key : a.rank < b.rank;
  }
};
constexpr BetterEntry Better;

// Keeps the k best entries, the worst of them in front (a binary heap by
// Better). Most offers lose to a full heap's front: that test is inline,
// the rest is not. A full heap's front is replaced in one sift-down.
void Replace(std::vector<Entry>* heap, size_t k, const Entry& e) {
  if (heap->size() < k) {
    heap->push_back(e);
    std::push_heap(heap->begin(), heap->end(), Better);
    return;
  }
  Entry* const h = heap->data();
  const size_t n = heap->size();
  size_t hole = 0;
  for (size_t child; (child = 2 * hole + 1) < n;) {
    // The worse child (the one Better puts after the other).
    if (child + 1 < n && Better(h[child], h[child + 1])) ++child;
    if (!Better(e, h[child])) break;
    h[hole] = h[child];
    hole = child;
  }
  h[hole] = e;
}
inline void Offer(std::vector<Entry>* heap, size_t k, const Entry& e) {
  if (heap->size() < k || Better(e, heap->front())) Replace(heap, k, e);
}

// rank[i] = position of ids(i) among all ids in the tie order of `seed`.
template <typename IdOf>
std::vector<uint32_t> IdRanks(size_t n, uint64_t seed, const IdOf& id_of) {
  const std::vector<uint32_t> order = InTieOrder(n, seed, id_of);
  std::vector<uint32_t> rank(n);
  for (uint32_t r = 0; r < n; ++r) rank[order[r]] = r;
  return rank;
}

}  // namespace

absl::StatusOr<BulkTopKResult> MatchIndex::BulkTopK(const BulkTopKOptions& options) const {
  if (options.k == 0 || options.k > 1000) {
    return absl::InvalidArgumentError("k: must be within [1, 1000]");
  }
  const absl::Time start = absl::Now();
  // Snapshot: copy the state under the reader lock, in the pass's order,
  // then work without it. Index p (b) below is a seeker's (vacancy's)
  // position in that order; *_slot maps it back to the index's slot.
  std::vector<SeekerProfile> seekers;
  std::vector<uint32_t> seeker_slot;
  SeekerColumns seeker_cols;  // what the candidate step reads
  std::vector<VacancyProfile> vacancies;
  std::vector<uint32_t> vacancy_slot;
  // Hot, read for every candidate pair, in posting order.
  std::vector<uint32_t> vacancy_cell;
  VacancyColumns vacancy_cols;  // what the candidate step reads
  std::vector<uint8_t> vacancy_bounded;  // Scorer::BoundCovers
  // By position: the number of the vacancy's essential skill list among
  // the distinct lists (equal lists, equal numbers).
  std::vector<uint32_t> essential_list;
  size_t n_essential_lists = 0;
  // By ISCO minor group: the range [first, second) of its vacancies, which
  // is sorted by cell.
  absl::flat_hash_map<int, std::pair<uint32_t, uint32_t>> group_range;
  Policy policy;
  {
    absl::ReaderMutexLock lock(&mu_);
    policy = policy_;
    // The vacancies' half of the copy on a second thread, the seekers' here.
    std::thread copy_vacancies([&] {
      AssumeReaderHeld(mu_);  // under the lock above, held till the join
      std::vector<int> groups;
      size_t posted = 0;
      for (const auto& [group, list] : vacancies_by_group_) {
        groups.push_back(group);
        posted += list.size();
      }
      std::sort(groups.begin(), groups.end());
      vacancies.reserve(posted);
      for (auto* v : {&vacancy_slot, &vacancy_cell}) v->reserve(posted);
      for (int group : groups) {
        const auto begin = static_cast<uint32_t>(vacancies.size());
        vacancies_by_group_.at(group).ForEach([&](uint32_t slot) {
          AssumeReaderHeld(mu_);  // under the lock above; for clang's analysis
          vacancy_slot.push_back(slot);
          vacancies.push_back(vacancies_[slot]);
        });
        group_range[group] = {begin, static_cast<uint32_t>(vacancies.size())};
      }
      // Vacancies of one occupation often list the same essential skills
      // (its ESCO profile): each distinct list gets a number, so that a
      // seeker's coverage of it is summed once (matcher/skill_list_memo.h).
      {
        SkillListNumbering numbering;
        essential_list.reserve(vacancies.size());
        for (const VacancyProfile& v : vacancies) {
          essential_list.push_back(numbering.Number(v.essential_skills));
        }
        n_essential_lists = numbering.distinct();
      }
      for (uint32_t slot : vacancy_slot) {
        vacancy_cell.push_back(VacancyCell(vacancies_[slot]));
        vacancy_cols.Append(vacancy_cols_, slot);
        vacancy_bounded.push_back(Scorer::BoundCovers(vacancies_[slot]) ? 1 : 0);
      }
    });

    struct SeekerKey {
      int group;
      uint32_t cell;
      uint32_t slot;
    };
    std::vector<SeekerKey> keys;
    keys.reserve(seeker_index_.size());
    for (uint32_t slot = 0; slot < seekers_.size(); ++slot) {
      if (!seeker_alive_[slot]) continue;
      const SeekerProfile& s = seekers_[slot];
      int first = std::numeric_limits<int>::max();
      for (const auto& goal : s.occupations) first = std::min(first, goal.isco / 10);
      keys.push_back({first, GeoGrid::CellOf(s.home.x, s.home.y), slot});
    }
    std::sort(keys.begin(), keys.end(), [](const SeekerKey& a, const SeekerKey& b) {
      if (a.group != b.group) return a.group < b.group;
      if (a.cell != b.cell) return a.cell < b.cell;
      return a.slot < b.slot;
    });
    seekers.reserve(keys.size());
    seeker_slot.reserve(keys.size());
    for (const SeekerKey& key : keys) {
      seeker_slot.push_back(key.slot);
      seekers.push_back(seekers_[key.slot]);
      seeker_cols.Append(seeker_cols_, key.slot);
    }
    copy_vacancies.join();
  }
  const size_t n_seekers = seekers.size(), n_vacancies = vacancies.size();
  // The id ranks of both sides, one on each of two threads.
  std::vector<uint32_t> seeker_rank, vacancy_rank;
  {
    std::thread rank_vacancies([&] {
      vacancy_rank = IdRanks(n_vacancies, options.tie_seed,
                             [&](uint32_t b) -> const std::string& { return vacancies[b].id; });
    });
    seeker_rank = IdRanks(n_seekers, options.tie_seed,
                          [&](uint32_t p) -> const std::string& { return seekers[p].id; });
    rank_vacancies.join();
  }

  const size_t k = options.k;
  const int threads = std::max(1, options.threads);
  // The results are in slot order, as the index holds them: out_seeker[p]
  // is seeker p's position in result.vacancies_for_seeker, vacancy_at[i]
  // the vacancy at position i of result.seekers_for_vacancy.
  auto by_slot = [](const std::vector<uint32_t>& slot) {
    std::vector<uint32_t> order(slot.size());
    std::iota(order.begin(), order.end(), 0);
    std::sort(order.begin(), order.end(), [&](uint32_t a, uint32_t b) { return slot[a] < slot[b]; });
    return order;
  };
  std::vector<uint32_t> out_seeker(n_seekers);
  {
    const std::vector<uint32_t> seeker_at = by_slot(seeker_slot);
    for (uint32_t i = 0; i < n_seekers; ++i) out_seeker[seeker_at[i]] = i;
  }
  const std::vector<uint32_t> vacancy_at = by_slot(vacancy_slot);
  // Each seeker's lists are named as soon as they are done, by the thread
  // that made them: the top-k vacancies, best first, and for a seeker with
  // an own view (Scorer::HasOwnView) the top-k by the needs-blind total
  // (collected per thread, by position).
  BulkTopKResult result;
  result.vacancies_for_seeker.resize(n_seekers);
  std::vector<std::vector<std::pair<size_t, std::vector<RankedId>>>> blind_lists(threads);
  auto named = [&](const std::vector<Entry>& entries) {
    std::vector<RankedId> ranked;
    ranked.reserve(entries.size());
    for (const Entry& e : entries) ranked.push_back({vacancies[e.index].id, e.key});
    return ranked;
  };
  // Per vacancy: a bounded heap of seekers, shared by the threads, each
  // behind its own lock (a spin lock: held for one Offer; the threads
  // rarely meet on the same vacancy).
  std::vector<std::vector<Entry>> vacancy_top(n_vacancies);
  std::unique_ptr<std::atomic<bool>[]> vacancy_lock(new std::atomic<bool>[n_vacancies]);
  // Per vacancy: a score below which no pair can enter its top-k -- the k-th
  // score of its heap once full (-inf until then). There are k pairs at or
  // above it, so a pair strictly below it cannot be in the top-k and need
  // not be offered. Read for every pair without the lock, so kept apart
  // from the heaps (an older, lower value read is still a floor).
  std::unique_ptr<std::atomic<double>[]> vacancy_floor(new std::atomic<double>[n_vacancies]);
  for (size_t b = 0; b < n_vacancies; ++b) {
    vacancy_lock[b].store(false, std::memory_order_relaxed);
    vacancy_floor[b].store(-std::numeric_limits<double>::infinity(), std::memory_order_relaxed);
  }
  std::atomic<size_t> next{0}, done{0};
  std::atomic<uint64_t> candidates{0}, scored{0}, feasible{0}, pruned{0};
  std::atomic<bool> cancelled{false};
  constexpr size_t kChunk = 256;
  // The chunks of seekers in four sweeps, each taking every fourth chunk
  // (0, 4, 8, ..., then 2, 6, ..., then 1, 5, ..., then 3, 7, ...): a
  // vacancy's candidates (neighbouring seekers of a few groups, a few
  // neighbouring chunks) then arrive spread over the sweeps instead of in one
  // burst, so its heap fills from a sample of all of them and its floor is
  // near its final value sooner; and the two threads, four chunks apart,
  // meet less on the same vacancy. (The lists do not depend on the order.)
  const size_t n_chunks = (n_seekers + kChunk - 1) / kChunk;
  std::vector<uint32_t> chunk_order;
  chunk_order.reserve(n_chunks);
  for (size_t offset : {size_t{0}, size_t{2}, size_t{1}, size_t{3}}) {
    for (size_t c = offset; c < n_chunks; c += 4) chunk_order.push_back(static_cast<uint32_t>(c));
  }

  // Offers an entry to a vacancy's heap if it is not below the vacancy's
  // floor, and raises the floor to the heap's k-th when full.
  auto offer_to_vacancy = [&](uint32_t b, const Entry& e) {
    std::atomic<double>& floor = vacancy_floor[b];
    if (e.key < floor.load(std::memory_order_relaxed)) return;
    std::atomic<bool>& lock = vacancy_lock[b];
    while (lock.exchange(true, std::memory_order_acquire)) {
      while (lock.load(std::memory_order_relaxed)) {
      }
    }
    std::vector<Entry>& heap = vacancy_top[b];
    if (heap.capacity() < k) heap.reserve(k);
    Offer(&heap, k, e);
    if (heap.size() == k && heap.front().key > floor.load(std::memory_order_relaxed)) {
      floor.store(heap.front().key, std::memory_order_relaxed);
    }
    lock.store(false, std::memory_order_release);
  };
  auto work = [&](int t) {
    SeekerSkillBits bits;
    EssentialCoverageMemo memo(n_essential_lists);
    std::vector<BoundedCandidate> cands;
    const size_t kFirst = 2 * k;
    std::vector<Entry> top, blind;
    top.reserve(k);
    blind.reserve(k);
    std::vector<std::pair<size_t, std::vector<RankedId>>>& my_blind = blind_lists[t];
    uint64_t n_candidates = 0, n_scored = 0, n_feasible = 0, n_pruned = 0;
    for (size_t at; (at = next.fetch_add(1)) < n_chunks;) {
      if (options.cancel != nullptr && options.cancel->load()) {
        cancelled = true;
        break;
      }
      const size_t begin = size_t{chunk_order[at]} * kChunk;
      const size_t end = std::min(n_seekers, begin + kChunk);
      for (size_t p = begin; p < end; ++p) {
        const SeekerProfile& seeker = seekers[p];
        // The scan of every direction (matcher/candidate_scan.h): a seeker
        // the table's seeker rules exclude keeps an empty list; a pair the
        // vacancy or key rules or the reach bound exclude is skipped, then
        // one whose score bound (Scorer::UpperBound, skills first) can enter
        // neither list before its commute is estimated; the commute rule's
        // trip goes to Evaluate.
        const CandidateStep<true> step(*scorer_, seeker_cols, vacancy_cols,
                                       static_cast<uint32_t>(p), options.now);
        const bool own_view = Scorer::HasOwnView(seeker);
        top.clear();
        blind.clear();
        auto& out = result.vacancies_for_seeker[out_seeker[p]];
        out.first = seeker.id;
        if (!step.admitted()) {
          if (own_view) my_blind.emplace_back(out_seeker[p], std::vector<RankedId>());
          continue;
        }
        const uint32_t my_rank = seeker_rank[p];
        // The snapshot's skill lists do not change during the pass, so a
        // pair's coverage summed for its bound is kept for its Evaluate.
        bits.Assign(scorer_->taxonomy(), seeker, /*remember_coverage=*/true);
        memo.NextSeeker();
        constexpr double kNone = -std::numeric_limits<double>::infinity();
        constexpr double kAny = std::numeric_limits<double>::infinity();
        // Two steps. The scan keeps every candidate that passes the
        // prefilter with its score bound; then the candidates with the
        // highest bounds on the seeker's view are evaluated first, best
        // first, so that the seeker's list holds nearly its final k by the
        // time the rest is evaluated, and its cut-off prunes most of them.
        cands.clear();
        auto visit = [&](uint32_t b) {
          ++n_candidates;
          if (!step.Prefilter(b)) return;
          if (vacancy_bounded[b]) {
            const VacancyProfile& vacancy = vacancies[b];
            memo.Load(essential_list[b], vacancy.essential_skills, bits);
            const Scorer::Bound bound =
                scorer_->UpperBound(seeker, vacancy, policy, &bits, nullptr);
            memo.Keep(essential_list[b], vacancy.essential_skills, policy, bits);
            const SeekerSkillBits::Remembered* optional =
                vacancy.optional_skills.empty()
                    ? nullptr
                    : bits.Recall(/*slot=*/1, vacancy.optional_skills,
                                  policy.narrower_skill_credit, policy.sibling_skill_credit,
                                  /*need_levels=*/false);
            cands.push_back({bound.seeker_view_total, bound.total, b, optional != nullptr,
                             optional != nullptr ? optional->credit : 0.0});
          } else {
            cands.push_back({kAny, kAny, b, false, 0.0});
          }
        };
        auto evaluate = [&](const BoundedCandidate& c) {
          const uint32_t b = c.index;
          // The pair matters only if it can enter the seeker's top-k (or,
          // with an own view, its needs-blind top-k) or the vacancy's.
          Scorer::Cutoff cutoff;
          if (top.size() == k) cutoff.seeker_view_below = top.front().key;
          cutoff.total_below = vacancy_floor[b].load(std::memory_order_relaxed);
          if (own_view) {
            cutoff.total_below =
                blind.size() == k ? std::min(cutoff.total_below, blind.front().key) : kNone;
          }
          if (c.seeker_view_bound < cutoff.seeker_view_below &&
              c.total_bound < cutoff.total_below) {
            ++n_pruned;
            return;
          }
          Near near;
          if (!step.Commute(b, &near)) return;
          ++n_scored;
          // The coverage the bound summed, for Evaluate (it recalls it).
          const VacancyProfile& vacancy = vacancies[b];
          memo.Load(essential_list[b], vacancy.essential_skills, bits);
          if (c.has_optional) {
            SeekerSkillBits::Remembered r;
            r.list = vacancy.optional_skills.data();
            r.size = vacancy.optional_skills.size();
            r.narrower = policy.narrower_skill_credit;
            r.sibling = policy.sibling_skill_credit;
            r.credit = c.optional_credit;
            bits.Remember(/*slot=*/1, r);
          }
          const Score s =
              scorer_->Evaluate(seeker, vacancies[b], policy, options.now, Scorer::Detail::kTotals,
                                &bits, cutoff, nullptr, near.Trip());
          if (!s.feasible()) return;
          ++n_feasible;
          if (s.pruned) {
            ++n_pruned;
            return;
          }
          Offer(&top, k, {s.seeker_view_total, vacancy_rank[b], b});
          if (own_view) Offer(&blind, k, {s.total, vacancy_rank[b], b});
          offer_to_vacancy(b, {s.total, my_rank, static_cast<uint32_t>(p)});
        };
        const double radius = seeker_cols.Radius(static_cast<uint32_t>(p));
        // The minor groups of the seeker's own goals first, in goal order:
        // their vacancies fit the occupation best, so the seeker's list
        // fills with high scores early and its cut-off prunes more of the
        // rest. (The lists do not depend on the order: entries are ranked
        // by score, then id rank.)
        std::vector<int> groups = CandidateGroups(seeker, policy);
        {
          auto goal_rank = [&](int group) {
            for (size_t g = 0; g < seeker.occupations.size(); ++g) {
              if (seeker.occupations[g].isco / 10 == group) return g;
            }
            return seeker.occupations.size();
          };
          std::stable_sort(groups.begin(), groups.end(),
                           [&](int a, int b) { return goal_rank(a) < goal_rank(b); });
        }
        for (int group : groups) {
          auto it = group_range.find(group);
          if (it == group_range.end()) continue;
          const uint32_t* const cells = vacancy_cell.data();
          const uint32_t group_begin = it->second.first, group_end = it->second.second;
          // The same cells as CellPostings::ForEachNear: the rows of the
          // square around the seeker, then the fully remote vacancies.
          auto scan = [&](uint32_t first, uint32_t last) {
            uint32_t b = static_cast<uint32_t>(
                std::lower_bound(cells + group_begin, cells + group_end, first) - cells);
            for (; b < group_end && cells[b] <= last; ++b) visit(b);
          };
          GeoGrid::ForEachRowRange(seeker.home.x, seeker.home.y, radius, scan);
          scan(GeoGrid::kEverywhere, GeoGrid::kEverywhere);
        }
        {
          // The kFirst highest bounds first, highest first; then the rest.
          const size_t first = std::min(cands.size(), kFirst);
          auto higher = [](const BoundedCandidate& a, const BoundedCandidate& b) {
            return a.seeker_view_bound > b.seeker_view_bound;
          };
          if (first < cands.size()) {
            std::nth_element(cands.begin(), cands.begin() + first, cands.end(), higher);
          }
          std::sort(cands.begin(), cands.begin() + first, higher);
          // The candidates' vacancies are spread over the pass's arrays:
          // what evaluate reads of a vacancy first (its floor, its heap) is
          // fetched a few candidates ahead.
          constexpr size_t kAhead = 8;
          const size_t n = cands.size();
          for (size_t i = 0; i < n; ++i) {
            if (i + kAhead < n) {
              const uint32_t ahead = cands[i + kAhead].index;
              __builtin_prefetch(&vacancy_floor[ahead]);
              __builtin_prefetch(&vacancy_top[ahead]);
            }
            evaluate(cands[i]);
          }
        }
        std::sort(top.begin(), top.end(), Better);
        out.second = named(top);
        if (own_view) {
          std::sort(blind.begin(), blind.end(), Better);
          my_blind.emplace_back(out_seeker[p], named(blind));
        }
      }
      const size_t now_done = done.fetch_add(end - begin) + (end - begin);
      if (options.progress) options.progress(now_done, n_seekers);
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

  for (auto& lists : blind_lists) {
    for (auto& [position, list] : lists) {
      result.needs_blind_vacancies_for_seeker.emplace(position, std::move(list));
    }
    std::vector<std::pair<size_t, std::vector<RankedId>>>().swap(lists);
  }

  // The vacancies' lists: the heaps sorted and named, in parallel (mostly
  // copying ids), each heap freed once named.
  result.seekers_for_vacancy.resize(n_vacancies);
  next = 0;
  auto assemble_vacancies = [&] {
    constexpr size_t kVacancyChunk = 256;
    for (size_t begin; (begin = next.fetch_add(kVacancyChunk)) < n_vacancies;) {
      const size_t end = std::min(n_vacancies, begin + kVacancyChunk);
      for (size_t i = begin; i < end; ++i) {
        const uint32_t b = vacancy_at[i];
        std::vector<Entry> heap = std::move(vacancy_top[b]);
        std::sort(heap.begin(), heap.end(), Better);
        std::vector<RankedId> ranked;
        ranked.reserve(heap.size());
        for (const Entry& e : heap) ranked.push_back({seekers[e.index].id, e.key});
        result.seekers_for_vacancy[i] = {vacancies[b].id, std::move(ranked)};
      }
    }
  };
  pool.clear();
  for (int t = 0; t < threads; ++t) pool.emplace_back(assemble_vacancies);
  for (auto& th : pool) th.join();
  result.candidate_pairs = candidates;
  result.scored_pairs = scored;
  result.feasible_pairs = feasible;
  result.pruned_pairs = pruned;
  result.took = absl::Now() - start;
  return result;
}

}  // namespace jobmatch::matcher

#include "matcher/allocation.h"

#include <algorithm>
#include <numeric>
#include <optional>
#include <string>
#include <string_view>

#include "absl/container/flat_hash_map.h"

namespace jobmatch::matcher {
namespace {

// Best first; ties by seeker then vacancy index, so the result is deterministic.
// A type, not a function, so that the sorts inline it.
struct BetterPair {
  bool operator()(const CandidatePair& a, const CandidatePair& b) const {
    if (a.score != b.score) return a.score > b.score;
    if (a.seeker != b.seeker) return a.seeker < b.seeker;
    return a.vacancy < b.vacancy;
  }
};
constexpr BetterPair Better;

// The pairs in Better's order. A national run sorts ~12 M pairs: when every
// score is in [0, 1] (totals always are) they are spread over 2^20 buckets
// by score -- a monotone key, so the buckets are in order -- and then each
// bucket is sorted with the full comparison; the order is exactly
// std::sort's with Better. The spreading is done in two steps of 2^10
// buckets (first by the key's high bits into the output, then each such
// range by the low bits through a buffer of its size), which keeps the
// counters and the write positions in cache.
std::vector<CandidatePair> SortedBest(const std::vector<CandidatePair>& pairs) {
  constexpr int kBits = 10;
  constexpr uint32_t kSide = 1u << kBits;          // buckets per step
  constexpr uint32_t kBuckets = kSide * kSide;     // 2^20 in all
  constexpr size_t kFewPairs = size_t{1} << 18;  // below this, std::sort alone
  bool in_range = pairs.size() >= kFewPairs && pairs.size() < UINT32_MAX;
  for (size_t i = 0; in_range && i < pairs.size(); ++i) {
    in_range = pairs[i].score >= 0.0 && pairs[i].score <= 1.0;  // false for NaN
  }
  if (!in_range) {
    std::vector<CandidatePair> sorted = pairs;
    std::sort(sorted.begin(), sorted.end(), Better);
    return sorted;
  }
  // Higher score, lower bucket; score * 2^20 is exact, the truncation monotone.
  auto bucket = [](double score) {
    return kBuckets - 1 -
           std::min(kBuckets - 1, static_cast<uint32_t>(score * static_cast<double>(kBuckets)));
  };
  // Step 1: by the high bits, into the output.
  std::vector<uint32_t> begin(kSide + 1, 0);
  for (const CandidatePair& p : pairs) ++begin[(bucket(p.score) >> kBits) + 1];
  for (uint32_t b = 0; b < kSide; ++b) begin[b + 1] += begin[b];
  std::vector<CandidatePair> sorted(pairs.size());
  {
    std::vector<uint32_t> next(begin.begin(), begin.end() - 1);
    for (const CandidatePair& p : pairs) sorted[next[bucket(p.score) >> kBits]++] = p;
  }
  // Step 2: each range by the low bits (keeping the input order within a
  // bucket, as one spreading would), then each bucket sorted.
  std::vector<CandidatePair> buffer;
  std::vector<uint32_t> low(kSide + 1);
  for (uint32_t h = 0; h < kSide; ++h) {
    CandidatePair* const first = sorted.data() + begin[h];
    const uint32_t n = begin[h + 1] - begin[h];
    if (n <= 1) continue;
    std::fill(low.begin(), low.end(), 0);
    for (uint32_t i = 0; i < n; ++i) ++low[(bucket(first[i].score) & (kSide - 1)) + 1];
    for (uint32_t b = 0; b < kSide; ++b) low[b + 1] += low[b];
    buffer.assign(first, first + n);
    {
      std::vector<uint32_t>& next = low;  // advanced to each bucket's end below
      for (const CandidatePair& p : buffer) first[next[bucket(p.score) & (kSide - 1)]++] = p;
    }
    // low[b] is now the end of bucket b (the start of b + 1).
    uint32_t at = 0;
    for (uint32_t b = 0; b < kSide; ++b) {
      if (low[b] - at > 1) std::sort(first + at, first + low[b], Better);
      at = low[b];
    }
  }
  return sorted;
}

// Pairs grouped by seeker (compressed rows): seeker s's pairs are
// pairs[begin[s], begin[s + 1]), in the order they had in the input.
struct BySeeker {
  std::vector<uint32_t> begin;
  std::vector<CandidatePair> pairs;
  const CandidatePair* Begin(uint32_t s) const { return pairs.data() + begin[s]; }
  const CandidatePair* End(uint32_t s) const { return pairs.data() + begin[s + 1]; }
  size_t Count(uint32_t s) const { return begin[s + 1] - begin[s]; }
};
BySeeker GroupBySeeker(size_t seekers, const std::vector<CandidatePair>& pairs) {
  BySeeker out;
  out.begin.assign(seekers + 1, 0);
  for (const CandidatePair& p : pairs) ++out.begin[p.seeker + 1];
  for (size_t s = 0; s < seekers; ++s) out.begin[s + 1] += out.begin[s];
  out.pairs.resize(pairs.size());
  std::vector<uint32_t> next(out.begin.begin(), out.begin.end() - 1);
  for (const CandidatePair& p : pairs) out.pairs[next[p.seeker]++] = p;
  return out;
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

// Each seeker's suggestions in the order they were made, in one array: a
// seeker never holds more than max(per_seeker, 1) nor more than its
// candidates (the greedy stops at per_seeker; the repair gives a seeker
// without any one, and a moved holder gives one up for the one it takes).
class Chosen {
 public:
  Chosen(const BySeeker& by_seeker, size_t seekers, int per_seeker)
      : begin_(seekers + 1, 0), size_(seekers, 0) {
    const size_t cap = static_cast<size_t>(std::max(per_seeker, 1));
    for (size_t s = 0; s < seekers; ++s) {
      begin_[s + 1] = begin_[s] + static_cast<uint32_t>(std::min(cap, by_seeker.Count(s)));
    }
    slots_.resize(begin_[seekers]);
  }
  const CandidatePair* begin(uint32_t s) const { return slots_.data() + begin_[s]; }
  const CandidatePair* end(uint32_t s) const { return slots_.data() + begin_[s] + size_[s]; }
  size_t size(uint32_t s) const { return size_[s]; }
  bool empty(uint32_t s) const { return size_[s] == 0; }
  const CandidatePair& at(uint32_t s, size_t j) const { return slots_[begin_[s] + j]; }
  bool Holds(uint32_t s, uint32_t v) const {
    for (const CandidatePair* p = begin(s); p != end(s); ++p) {
      if (p->vacancy == v) return true;
    }
    return false;
  }
  void Push(const CandidatePair& p) { slots_[begin_[p.seeker] + size_[p.seeker]++] = p; }
  // Removes the j-th, keeping the order of the others.
  void Erase(uint32_t s, size_t j) {
    CandidatePair* first = slots_.data() + begin_[s];
    std::copy(first + j + 1, first + size_[s], first + j);
    --size_[s];
  }

 private:
  std::vector<uint32_t> begin_;
  std::vector<uint32_t> size_;
  std::vector<CandidatePair> slots_;
};

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
  BySeeker by_seeker;
  std::optional<Chosen> chosen_by_seeker;
  {
    // 1. Greedy maximum-weight b-matching: pairs best first while both sides
    //    have capacity.
    const std::vector<CandidatePair> all = SortedBest(input.pairs);
    // Each seeker's candidates best first: grouped in input order (which
    // usually has them together already) and each group sorted.
    by_seeker = GroupBySeeker(input.seekers, input.pairs);
    for (uint32_t s = 0; s < input.seekers; ++s) {
      std::sort(by_seeker.pairs.begin() + by_seeker.begin[s],
                by_seeker.pairs.begin() + by_seeker.begin[s + 1], Better);
    }
    chosen_by_seeker.emplace(by_seeker, input.seekers, input.per_seeker);
    for (const auto& p : all) {
      if (seeker_left[p.seeker] <= 0 || vacancy_left[p.vacancy] <= 0 ||
          chosen_by_seeker->Holds(p.seeker, p.vacancy)) {
        continue;
      }
      --seeker_left[p.seeker];
      --vacancy_left[p.vacancy];
      chosen_by_seeker->Push(p);
    }
  }
  Chosen& chosen = *chosen_by_seeker;
  // Who holds a suggestion at each vacancy (kept up to date below).
  std::vector<std::vector<uint32_t>> holders(input.vacancy_capacity.size());
  for (uint32_t o = 0; o < input.seekers; ++o) {
    for (const CandidatePair* q = chosen.begin(o); q != chosen.end(o); ++q) {
      holders[q->vacancy].push_back(o);
    }
  }

  // 2. Coverage repair: a seeker with candidates but no suggestion takes its
  //    best candidate vacancy with capacity left, or else the weakest
  //    suggestion of that vacancy held by a seeker who has more than one.
  // Per seeker: how many of its leading candidates are at full vacancies.
  std::vector<uint32_t> full_prefix(input.seekers, 0);
  for (uint32_t s = 0; s < input.seekers; ++s) {
    if (!chosen.empty(s) || by_seeker.Count(s) == 0 || input.per_seeker <= 0) continue;
    bool placed = false;
    for (const CandidatePair* p = by_seeker.Begin(s); p != by_seeker.End(s); ++p) {
      if (vacancy_left[p->vacancy] > 0) {
        --vacancy_left[p->vacancy];
        chosen.Push(*p);
        holders[p->vacancy].push_back(s);
        placed = true;
        break;
      }
    }
    for (const CandidatePair* p = by_seeker.Begin(s); !placed && p != by_seeker.End(s); ++p) {
      // Free a place at p->vacancy at the least loss: drop a holder's
      // suggestion if it has others, or move a holder to another of its
      // candidates that has capacity left.
      double best_loss = 0;
      uint32_t victim = UINT32_MAX;
      size_t victim_pos = 0;
      const CandidatePair* move_to = nullptr;
      for (uint32_t o : holders[p->vacancy]) {
        for (size_t j = 0; j < chosen.size(o); ++j) {
          const CandidatePair& q = chosen.at(o, j);
          if (q.vacancy != p->vacancy) continue;
          if (chosen.size(o) >= 2 && (victim == UINT32_MAX || q.score < best_loss)) {
            best_loss = q.score;
            victim = o;
            victim_pos = j;
            move_to = nullptr;
          }
          // o's candidates are best first, so the first one it can move to
          // loses least (a later one's loss is never strictly less). The
          // repair only ever lowers vacancy_left, so o's leading candidates
          // found full stay full: they are skipped for good.
          const CandidatePair* alt = by_seeker.Begin(o) + full_prefix[o];
          while (alt != by_seeker.End(o) && vacancy_left[alt->vacancy] <= 0) ++alt;
          full_prefix[o] = static_cast<uint32_t>(alt - by_seeker.Begin(o));
          for (; alt != by_seeker.End(o); ++alt) {
            if (vacancy_left[alt->vacancy] <= 0 || chosen.Holds(o, alt->vacancy)) continue;
            const double loss = q.score - alt->score;
            if (victim == UINT32_MAX || loss < best_loss) {
              best_loss = loss;
              victim = o;
              victim_pos = j;
              move_to = alt;
            }
            break;
          }
        }
      }
      if (victim == UINT32_MAX) continue;
      chosen.Erase(victim, victim_pos);
      auto& at_p = holders[p->vacancy];
      at_p.erase(std::find(at_p.begin(), at_p.end(), victim));
      if (move_to != nullptr) {
        --vacancy_left[move_to->vacancy];
        chosen.Push(*move_to);
        holders[move_to->vacancy].push_back(victim);
      } else {
        ++seeker_left[victim];
      }
      chosen.Push(*p);
      at_p.push_back(s);
      placed = true;
    }
    if (placed) --seeker_left[s];
  }

  Allocation out;
  for (uint32_t s = 0; s < input.seekers; ++s) {
    out.chosen.insert(out.chosen.end(), chosen.begin(s), chosen.end(s));
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
  const std::vector<uint32_t> vacancy_order =
      order(options.vacancy_order, result.seekers_for_vacancy.size());
  // The keys point into one buffer of all the ids (each lookup of the ~12 M
  // pairs of a national run then compares within a few hundred KB).
  std::string ids;
  size_t id_bytes = 0;
  for (uint32_t i : vacancy_order) id_bytes += result.seekers_for_vacancy[i].first.size();
  ids.reserve(id_bytes);
  for (uint32_t i : vacancy_order) ids += result.seekers_for_vacancy[i].first;
  absl::flat_hash_map<std::string_view, uint32_t> vacancy_index;
  vacancy_index.reserve(result.seekers_for_vacancy.size());
  input.vacancy_capacity.reserve(result.seekers_for_vacancy.size());
  size_t at = 0;
  for (uint32_t i : vacancy_order) {
    const std::string& id = result.seekers_for_vacancy[i].first;
    vacancy_index[std::string_view(ids.data() + at, id.size())] =
        static_cast<uint32_t>(out.vacancies.size());
    at += id.size();
    out.vacancies.push_back(&id);
    input.vacancy_capacity.push_back(options.capacity(id));
  }
  size_t listed = 0;
  for (size_t i = 0; i < result.vacancies_for_seeker.size(); ++i) {
    listed += result.NeedsBlindVacancies(i).size();
  }
  input.pairs.reserve(listed);
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
  BySeeker by_seeker = GroupBySeeker(input.seekers, input.pairs);
  Allocation out;
  // (A negative per_seeker takes every pair, as it always has.)
  const size_t per_seeker = static_cast<size_t>(input.per_seeker);
  for (uint32_t s = 0; s < input.seekers; ++s) {
    // The seeker's best per_seeker, as a full sort's first ones.
    CandidatePair* first = by_seeker.pairs.data() + by_seeker.begin[s];
    CandidatePair* last = by_seeker.pairs.data() + by_seeker.begin[s + 1];
    CandidatePair* middle = first + std::min(per_seeker, static_cast<size_t>(last - first));
    std::partial_sort(first, middle, last, Better);
    out.chosen.insert(out.chosen.end(), first, middle);
  }
  std::sort(out.chosen.begin(), out.chosen.end(), Better);
  out.report = Report(input, out.chosen);
  return out;
}

}  // namespace jobmatch::matcher

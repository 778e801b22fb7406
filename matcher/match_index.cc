#include "matcher/match_index.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/clock.h"
#include "matcher/assume_held.h"

namespace jobmatch::matcher {
namespace {

constexpr size_t kMaxLimit = 1000;
constexpr size_t kDeadlineCheckEvery = 256;

void SortUnique(std::vector<int>* v) {
  std::sort(v->begin(), v->end());
  v->erase(std::unique(v->begin(), v->end()), v->end());
}

bool InMunicipalities(const std::vector<int>& allowed, int municipality) {
  return allowed.empty() ||
         std::find(allowed.begin(), allowed.end(), municipality) != allowed.end();
}

template <typename T>
size_t VectorBytes(const std::vector<T>& v) {
  return v.capacity() * sizeof(T);
}

}  // namespace

MatchIndex::MatchIndex(const Scorer* scorer, Policy policy)
    : scorer_(scorer), policy_(std::move(policy)) {}

void MatchIndex::PostSeeker(uint32_t index, bool add) {
  for (int group : PostedGroups(seekers_[index])) {
    auto& list = seekers_by_group_[group];
    if (add) {
      list.push_back(index);
    } else {
      list.erase(std::remove(list.begin(), list.end(), index), list.end());
    }
  }
}

uint32_t MatchIndex::VacancyCell(const VacancyProfile& vacancy) {
  return vacancy.remote_share_percent >= 100
             ? GeoGrid::kEverywhere
             : GeoGrid::CellOf(vacancy.workplace.x, vacancy.workplace.y);
}

void MatchIndex::PostVacancy(uint32_t index, bool add) {
  const VacancyProfile& vacancy = vacancies_[index];
  auto& list = vacancies_by_group_[vacancy.isco / 10];
  if (add) {
    list.Insert(VacancyCell(vacancy), index);
  } else {
    list.Erase(VacancyCell(vacancy), index);
  }
}

void MatchIndex::UpsertSeeker(SeekerProfile seeker) {
  PrepareSeeker(scorer_->taxonomy(), &seeker);
  const double reach =
      scorer_->commute_model().MaxReachMetres(seeker.transport_modes, seeker.max_commute_minutes);
  absl::MutexLock lock(&mu_);
  uint32_t index;
  if (auto it = seeker_index_.find(seeker.id); it != seeker_index_.end()) {
    index = it->second;
    PostSeeker(index, false);
  } else if (!free_seekers_.empty()) {
    index = free_seekers_.back();
    free_seekers_.pop_back();
    seeker_index_[seeker.id] = index;
  } else {
    index = static_cast<uint32_t>(seekers_.size());
    seekers_.emplace_back();
    seeker_cols_.Resize(seekers_.size());
    seeker_alive_.push_back(0);
    seeker_index_[seeker.id] = index;
  }
  seeker_cols_.Set(index, seeker, reach);
  seeker_alive_[index] = 1;
  seekers_[index] = std::move(seeker);
  PostSeeker(index, true);
}

void MatchIndex::UpsertVacancy(VacancyProfile vacancy) {
  PrepareVacancy(scorer_->taxonomy(), &vacancy);
  absl::MutexLock lock(&mu_);
  uint32_t index;
  if (auto it = vacancy_index_.find(vacancy.id); it != vacancy_index_.end()) {
    index = it->second;
    PostVacancy(index, false);
  } else if (!free_vacancies_.empty()) {
    index = free_vacancies_.back();
    free_vacancies_.pop_back();
    vacancy_index_[vacancy.id] = index;
  } else {
    index = static_cast<uint32_t>(vacancies_.size());
    vacancies_.emplace_back();
    vacancy_cols_.Resize(vacancies_.size());
    vacancy_alive_.push_back(0);
    vacancy_index_[vacancy.id] = index;
  }
  vacancy_cols_.Set(index, vacancy, scorer_->schemes());
  vacancy_alive_[index] = 1;
  vacancies_[index] = std::move(vacancy);
  PostVacancy(index, true);
}

bool MatchIndex::RemoveSeeker(const std::string& id) {
  absl::MutexLock lock(&mu_);
  auto it = seeker_index_.find(id);
  if (it == seeker_index_.end()) return false;
  const uint32_t index = it->second;
  PostSeeker(index, false);
  seeker_alive_[index] = 0;
  seekers_[index] = SeekerProfile();  // drop the personal data now
  free_seekers_.push_back(index);
  seeker_index_.erase(it);
  return true;
}

bool MatchIndex::RemoveVacancy(const std::string& id) {
  absl::MutexLock lock(&mu_);
  auto it = vacancy_index_.find(id);
  if (it == vacancy_index_.end()) return false;
  const uint32_t index = it->second;
  PostVacancy(index, false);
  vacancy_alive_[index] = 0;
  vacancies_[index] = VacancyProfile();
  free_vacancies_.push_back(index);
  vacancy_index_.erase(it);
  return true;
}

std::vector<int> MatchIndex::RelatedMinorGroups(std::vector<int> minor_groups,
                                                int occupation_breadth) {
  if (occupation_breadth >= 3) return minor_groups;
  std::vector<int> related;
  for (int g : minor_groups) {
    for (int m = (g / 10) * 10; m < (g / 10) * 10 + 10; ++m) related.push_back(m);
  }
  std::sort(related.begin(), related.end());
  related.erase(std::unique(related.begin(), related.end()), related.end());
  return related;
}

std::vector<int> MatchIndex::PostedGroups(const SeekerProfile& seeker) {
  std::vector<int> groups;
  for (const auto& o : seeker.occupations) groups.push_back(o.isco / 10);
  SortUnique(&groups);
  return groups;
}

std::vector<int> MatchIndex::CandidateGroups(const SeekerProfile& seeker,
                                             const Policy& policy) const {
  std::vector<int> groups = RelatedMinorGroups(PostedGroups(seeker), policy.occupation_breadth);
  if (policy.admit_substitutes) {
    const Taxonomy& taxonomy = scorer_->taxonomy();
    for (const auto& goal : seeker.occupations) {
      for (const Substitute& sub : taxonomy.Substitutes(goal.esco)) {
        groups.push_back(taxonomy.occupation(sub.occupation).isco / 10);
      }
    }
    SortUnique(&groups);
  }
  return groups;
}

std::vector<int> MatchIndex::CandidateGroups(const VacancyProfile& vacancy,
                                             const Policy& policy) const {
  std::vector<int> groups = RelatedMinorGroups({vacancy.isco / 10}, policy.occupation_breadth);
  if (policy.admit_substitutes) {
    const Taxonomy& taxonomy = scorer_->taxonomy();
    for (const Substitute& sub : taxonomy.Substitutes(vacancy.esco)) {
      groups.push_back(taxonomy.occupation(sub.occupation).isco / 10);
    }
    SortUnique(&groups);
  }
  return groups;
}

absl::StatusOr<Policy> MatchIndex::PolicyFor(const MatchQuery& query) const {
  Policy policy = this->policy();
  if (query.occupation_breadth != 0) {
    if (query.occupation_breadth < 2 || query.occupation_breadth > 4) {
      return absl::InvalidArgumentError("occupation_breadth: must be 0 (the policy's), 2, 3 or 4");
    }
    policy.occupation_breadth = query.occupation_breadth;
  }
  return policy;
}

template <bool kSeekerSide>
absl::StatusOr<MatchResult> MatchIndex::Query(uint32_t self, const MatchQuery& query,
                                              const Policy& policy) const {
  if (query.limit == 0 || query.limit > kMaxLimit) {
    return absl::InvalidArgumentError(absl::StrCat("limit: must be within [1, ", kMaxLimit, "]"));
  }
  const size_t want = query.offset + query.limit;
  MatchResult result;
  // The ranked candidates so far; the worst on top.
  // The lambdas below run under Query's reader lock; clang's thread-safety
  // analysis does not see into lambdas, so each says so (assume_held.h).
  auto id_of = [&](uint32_t i) -> const std::string& {
    AssumeReaderHeld(mu_);
    if constexpr (kSeekerSide) {
      return vacancies_[i].id;
    } else {
      return seekers_[i].id;
    }
  };
  auto better = [&](const Candidate& a, const Candidate& b) {
    if (a.key != b.key) return a.key > b.key;
    return TieBefore(id_of(a.index), id_of(b.index), query.tie_seed);
  };
  std::vector<Candidate> heap;
  heap.reserve(want + 1);

  // The candidate step every scan shares (matcher/candidate_scan.h): the
  // hard constraints the two sides' keys decide, straight from the
  // table, then the reach bound and the commute rule on the compact columns;
  // it keeps the trip for Evaluate (which would otherwise estimate it again).
  std::vector<int> groups;
  std::optional<SeekerScan> seeker_scan;
  std::optional<VacancyScan> vacancy_scan;
  int32_t sx = 0, sy = 0;
  double radius = 0;
  if constexpr (kSeekerSide) {
    seeker_scan.emplace(*scorer_, seekers_[self], seeker_cols_.reach2[self], query.now);
    if (!seeker_scan->admitted()) return result;  // no pair can be feasible
    groups = CandidateGroups(seekers_[self], policy);
    sx = seeker_cols_.x[self];
    sy = seeker_cols_.y[self];
    radius = std::sqrt(seeker_cols_.reach2[self]);
  } else {
    vacancy_scan.emplace(*scorer_, vacancy_cols_, self, query.now);
    if (!vacancy_scan->admitted()) return result;
    groups = CandidateGroups(vacancies_[self], policy);
  }
  auto admits = [&](uint32_t other, Near* out) -> bool {
    AssumeReaderHeld(mu_);
    if constexpr (kSeekerSide) {
      return seeker_scan->Admits(vacancy_cols_, other, out);
    } else {
      return vacancy_scan->Admits(seeker_cols_, other, out);
    }
  };
  // One seeker against many vacancies: a credit level per skill.
  thread_local SeekerSkillBits bits;
  if constexpr (kSeekerSide) bits.Assign(scorer_->taxonomy(), seekers_[self]);
  const SeekerSkillBits* seeker_bits = kSeekerSide ? &bits : nullptr;
  // One vacancy against many seekers: walk each seeker's skills through the
  // vacancy's turned-around skill lists.
  thread_local VacancySkillLookup lookup;
  if constexpr (!kSeekerSide) lookup.Assign(scorer_->taxonomy(), vacancies_[self]);
  const VacancySkillLookup* vacancy_skills = kSeekerSide ? nullptr : &lookup;
  absl::Status stopped;
  int group = 0;
  // Scores one candidate within reach; false once the deadline passed or the
  // caller cancelled.
  auto visit = [&](const Near& candidate) -> bool {
    AssumeReaderHeld(mu_);
    const uint32_t other = candidate.index;
    if (++result.scored % kDeadlineCheckEvery == 0) {
      if (absl::Now() > query.deadline) {
        stopped = absl::DeadlineExceededError(absl::StrCat(
            "deadline passed after ", result.scored, " candidates; narrow the query"));
        return false;
      }
      if (query.cancelled && query.cancelled()) {
        stopped = absl::CancelledError(
            absl::StrCat("query cancelled after ", result.scored, " candidates"));
        return false;
      }
    }
    const SeekerProfile& seeker = kSeekerSide ? seekers_[self] : seekers_[other];
    const VacancyProfile& vacancy = kSeekerSide ? vacancies_[other] : vacancies_[self];
    if constexpr (!kSeekerSide) {
      // A seeker posted in several of `groups` is scored once: in the
      // first (smallest) of them.
      if (groups.size() > 1 && seeker.occupations.size() > 1) {
        for (int m : PostedGroups(seeker)) {
          if (m < group && std::binary_search(groups.begin(), groups.end(), m)) return true;
        }
      }
    }
    if constexpr (kSeekerSide) {
      if (query.filters.vacancy_kinds != 0 &&
          !((query.filters.vacancy_kinds >> static_cast<int>(vacancy.kind)) & 1u)) {
        return true;
      }
      if (!InMunicipalities(query.filters.municipalities, vacancy.workplace.municipality)) {
        return true;
      }
    } else {
      if (!InMunicipalities(query.filters.municipalities, seeker.home.municipality)) return true;
    }
    std::optional<Scorer::Cutoff> cutoff;
    if (heap.size() == want) {
      // Only this query's list matters: the other side can never admit.
      constexpr double kNever = std::numeric_limits<double>::infinity();
      cutoff = kSeekerSide && !query.needs_blind ? Scorer::Cutoff{kNever, heap.front().key}
                                                 : Scorer::Cutoff{heap.front().key, kNever};
    }
    const Score s = scorer_->Evaluate(seeker, vacancy, policy, query.now, Scorer::Detail::kTotals,
                                      seeker_bits, cutoff, vacancy_skills, candidate.Trip());
    if (!s.feasible()) return true;
    ++result.feasible;  // pruning happens after the hard constraints
    if (s.pruned) {
      ++result.pruned;
      return true;
    }
    const double key = kSeekerSide && !query.needs_blind ? s.seeker_view_total : s.total;
    if (key < query.filters.min_score) return true;
    Candidate c{key, other};
    if (heap.size() < want) {
      heap.push_back(c);
      std::push_heap(heap.begin(), heap.end(), better);
    } else if (better(c, heap.front())) {
      std::pop_heap(heap.begin(), heap.end(), better);
      heap.back() = c;
      std::push_heap(heap.begin(), heap.end(), better);
    }
    return true;
  };
  // Per group: the candidates within reach first (hot arrays only), then
  // scoring them with the next records prefetched (the profiles and their
  // skill lists are scattered over the heap; misses dominate otherwise).
  thread_local std::vector<Near> near;
  for (int g : groups) {
    group = g;
    near.clear();
    Near candidate;
    if constexpr (kSeekerSide) {
      // Vacancies by grid cell: only the cells within the seeker's reach.
      auto it = vacancies_by_group_.find(g);
      if (it == vacancies_by_group_.end()) continue;
      it->second.ForEachNear(sx, sy, radius, [&](uint32_t other) {
        ++result.candidates;
        if (admits(other, &candidate)) near.push_back(candidate);
      });
    } else {
      // Each seeker has their own reach: the whole group, filtered.
      auto it = seekers_by_group_.find(g);
      if (it == seekers_by_group_.end()) continue;
      result.candidates += it->second.size();
      for (uint32_t other : it->second) {
        if (admits(other, &candidate)) near.push_back(candidate);
      }
    }
    constexpr size_t kAhead = 8;
    for (size_t i = 0; i < near.size(); ++i) {
      if (i + kAhead < near.size()) {
        const char* record =
            kSeekerSide ? reinterpret_cast<const char*>(&vacancies_[near[i + kAhead].index])
                        : reinterpret_cast<const char*>(&seekers_[near[i + kAhead].index]);
        constexpr size_t kBytes = kSeekerSide ? sizeof(VacancyProfile) : sizeof(SeekerProfile);
        for (size_t line = 0; line < kBytes; line += 64) __builtin_prefetch(record + line);
      }
      if (i + kAhead / 2 < near.size()) {
        if constexpr (kSeekerSide) {
          const VacancyProfile& next = vacancies_[near[i + kAhead / 2].index];
          __builtin_prefetch(next.essential_skills.data());
          if (!next.optional_skills.empty()) __builtin_prefetch(next.optional_skills.data());
          if (!next.required_languages.empty()) __builtin_prefetch(next.required_languages.data());
        } else {
          const SeekerProfile& next = seekers_[near[i + kAhead / 2].index];
          __builtin_prefetch(next.occupations.data());
          __builtin_prefetch(next.skills.data());
        }
      }
      if (!visit(near[i])) return stopped;
    }
  }
  std::sort_heap(heap.begin(), heap.end(), better);
  for (size_t i = query.offset; i < heap.size(); ++i) {
    const uint32_t other = heap[i].index;
    const SeekerProfile& seeker = kSeekerSide ? seekers_[self] : seekers_[other];
    const VacancyProfile& vacancy = kSeekerSide ? vacancies_[other] : vacancies_[self];
    result.matches.push_back(
        {id_of(other), i + 1,
         scorer_->Evaluate(seeker, vacancy, policy, query.now, Scorer::Detail::kExplain)});
  }
  return result;
}

absl::StatusOr<MatchResult> MatchIndex::TopVacanciesForSeeker(const std::string& seeker_id,
                                                              const MatchQuery& query) const {
  auto policy = PolicyFor(query);
  if (!policy.ok()) return policy.status();
  absl::ReaderMutexLock lock(&mu_);
  auto it = seeker_index_.find(seeker_id);
  if (it == seeker_index_.end()) {
    return absl::NotFoundError(absl::StrCat("seeker ", seeker_id, ": not found"));
  }
  return Query<true>(it->second, query, *policy);
}

absl::StatusOr<MatchResult> MatchIndex::TopSeekersForVacancy(const std::string& vacancy_id,
                                                             const MatchQuery& query) const {
  auto policy = PolicyFor(query);
  if (!policy.ok()) return policy.status();
  absl::ReaderMutexLock lock(&mu_);
  auto it = vacancy_index_.find(vacancy_id);
  if (it == vacancy_index_.end()) {
    return absl::NotFoundError(absl::StrCat("vacancy ", vacancy_id, ": not found"));
  }
  return Query<false>(it->second, query, *policy);
}

absl::StatusOr<Score> MatchIndex::Explain(const std::string& seeker_id,
                                          const std::string& vacancy_id, absl::Time now) const {
  absl::ReaderMutexLock lock(&mu_);
  auto s = seeker_index_.find(seeker_id);
  if (s == seeker_index_.end()) {
    return absl::NotFoundError(absl::StrCat("seeker ", seeker_id, ": not found"));
  }
  auto v = vacancy_index_.find(vacancy_id);
  if (v == vacancy_index_.end()) {
    return absl::NotFoundError(absl::StrCat("vacancy ", vacancy_id, ": not found"));
  }
  return scorer_->Evaluate(seekers_[s->second], vacancies_[v->second], policy_, now,
                           Scorer::Detail::kExplain);
}

absl::StatusOr<WhyNotResult> MatchIndex::WhyNot(const std::string& seeker_id,
                                                const std::string& vacancy_id, bool seeker_side,
                                                const MatchQuery& query) const {
  auto policy = PolicyFor(query);
  if (!policy.ok()) return policy.status();
  absl::StatusOr<Score> score;
  {
    absl::ReaderMutexLock lock(&mu_);
    auto s = seeker_index_.find(seeker_id);
    auto v = vacancy_index_.find(vacancy_id);
    if (s == seeker_index_.end()) {
      return absl::NotFoundError(absl::StrCat("seeker ", seeker_id, ": not found"));
    }
    if (v == vacancy_index_.end()) {
      return absl::NotFoundError(absl::StrCat("vacancy ", vacancy_id, ": not found"));
    }
    score = scorer_->Evaluate(seekers_[s->second], vacancies_[v->second], *policy, query.now,
                              Scorer::Detail::kExplain);
  }
  WhyNotResult why;
  why.score = *score;
  if (!score->feasible()) {
    why.kind = WhyNotResult::Kind::kInfeasible;
    why.explanation = absl::StrCat(ReasonName(*score->blocker), ": ", score->blocker_detail);
    return why;
  }
  auto list = seeker_side ? TopVacanciesForSeeker(seeker_id, query)
                          : TopSeekersForVacancy(vacancy_id, query);
  if (!list.ok()) return list.status();
  const std::string& target = seeker_side ? vacancy_id : seeker_id;
  for (const Match& m : list->matches) {
    if (m.id == target) {
      why.kind = WhyNotResult::Kind::kInList;
      why.rank = m.rank;
      why.explanation = absl::StrCat("it is in the list at rank ", m.rank);
      return why;
    }
  }
  const bool own_view = seeker_side && !query.needs_blind;
  const double key = own_view ? score->seeker_view_total : score->total;
  // Filtered out by the query's filters?
  bool filtered = key < query.filters.min_score;
  {
    auto v = GetVacancy(vacancy_id);
    auto s = GetSeeker(seeker_id);
    if (seeker_side && v) {
      filtered |= query.filters.vacancy_kinds != 0 &&
                  !((query.filters.vacancy_kinds >> static_cast<int>(v->kind)) & 1u);
      filtered |= !InMunicipalities(query.filters.municipalities, v->workplace.municipality);
    } else if (!seeker_side && s) {
      filtered |= !InMunicipalities(query.filters.municipalities, s->home.municipality);
    }
  }
  if (filtered) {
    why.kind = WhyNotResult::Kind::kFilteredOut;
    why.explanation = "feasible, but excluded by the query's filters (kind, municipality or minimum score)";
    return why;
  }
  why.kind = WhyNotResult::Kind::kBelowCutoff;
  why.cutoff = list->matches.empty()
                   ? 0
                   : (own_view ? list->matches.back().score.seeker_view_total
                               : list->matches.back().score.total);
  why.rank = query.offset + list->matches.size() + 1;
  why.explanation = absl::StrFormat(
      "feasible with score %.3f, below the cut-off %.3f of the last of the %d results shown",
      key, why.cutoff, static_cast<int>(query.offset + list->matches.size()));
  return why;
}

size_t MatchIndex::seeker_count() const {
  absl::ReaderMutexLock lock(&mu_);
  return seeker_index_.size();
}

size_t MatchIndex::vacancy_count() const {
  absl::ReaderMutexLock lock(&mu_);
  return vacancy_index_.size();
}

size_t MatchIndex::MemoryBytes() const {
  absl::ReaderMutexLock lock(&mu_);
  size_t bytes = VectorBytes(seekers_) + VectorBytes(vacancies_) + seeker_cols_.Bytes() +
                 vacancy_cols_.Bytes() + VectorBytes(seeker_alive_) + VectorBytes(vacancy_alive_);
  for (const auto& s : seekers_) {
    bytes += s.id.capacity() + VectorBytes(s.skills) + VectorBytes(s.skill_parents) +
             VectorBytes(s.occupations) + VectorBytes(s.languages) + VectorBytes(s.needs) +
             s.target_group.capacity();
  }
  for (const auto& v : vacancies_) {
    bytes += v.id.capacity() + v.employer_id.capacity() + VectorBytes(v.essential_skills) +
             VectorBytes(v.optional_skills) + VectorBytes(v.required_languages);
  }
  for (const auto& [g, list] : seekers_by_group_) bytes += VectorBytes(list) + 16;
  for (const auto& [g, list] : vacancies_by_group_) bytes += list.capacity_bytes() + 16;
  bytes += (seeker_index_.size() + vacancy_index_.size()) * (sizeof(std::string) + 8 + 1);
  return bytes;
}

Policy MatchIndex::policy() const {
  absl::ReaderMutexLock lock(&mu_);
  return policy_;
}

void MatchIndex::SetPolicy(Policy policy) {
  absl::MutexLock lock(&mu_);
  policy_ = std::move(policy);
}

std::optional<SeekerProfile> MatchIndex::GetSeeker(const std::string& id) const {
  absl::ReaderMutexLock lock(&mu_);
  auto it = seeker_index_.find(id);
  if (it == seeker_index_.end()) return std::nullopt;
  return seekers_[it->second];
}

std::optional<int> MatchIndex::VacancyOpenings(const std::string& id) const {
  absl::ReaderMutexLock lock(&mu_);
  auto it = vacancy_index_.find(id);
  if (it == vacancy_index_.end()) return std::nullopt;
  return vacancies_[it->second].openings;
}

std::optional<VacancyProfile> MatchIndex::GetVacancy(const std::string& id) const {
  absl::ReaderMutexLock lock(&mu_);
  auto it = vacancy_index_.find(id);
  if (it == vacancy_index_.end()) return std::nullopt;
  return vacancies_[it->second];
}

}  // namespace jobmatch::matcher

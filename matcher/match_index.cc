#include "matcher/match_index.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/clock.h"

namespace jobmatch::matcher {
namespace {

constexpr size_t kMaxLimit = 1000;
constexpr size_t kDeadlineCheckEvery = 256;

std::vector<int> SeekerMinorGroups(const SeekerProfile& s) {
  std::vector<int> groups;
  for (const auto& o : s.occupations) groups.push_back(o.isco / 10);
  std::sort(groups.begin(), groups.end());
  groups.erase(std::unique(groups.begin(), groups.end()), groups.end());
  return groups;
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
  for (int group : SeekerMinorGroups(seekers_[index])) {
    auto& list = seekers_by_group_[group];
    if (add) {
      list.push_back(index);
    } else {
      list.erase(std::remove(list.begin(), list.end(), index), list.end());
    }
  }
}

void MatchIndex::PostVacancy(uint32_t index, bool add) {
  auto& list = vacancies_by_group_[vacancies_[index].isco / 10];
  if (add) {
    list.push_back(index);
  } else {
    list.erase(std::remove(list.begin(), list.end(), index), list.end());
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
    seeker_x_.push_back(0);
    seeker_y_.push_back(0);
    seeker_reach2_.push_back(0);
    seeker_alive_.push_back(0);
    seeker_index_[seeker.id] = index;
  }
  seeker_x_[index] = seeker.home.x;
  seeker_y_[index] = seeker.home.y;
  seeker_reach2_[index] = reach * reach;
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
    vacancy_x_.push_back(0);
    vacancy_y_.push_back(0);
    vacancy_alive_.push_back(0);
    vacancy_remote_.push_back(0);
    vacancy_index_[vacancy.id] = index;
  }
  vacancy_x_[index] = vacancy.workplace.x;
  vacancy_y_[index] = vacancy.workplace.y;
  vacancy_alive_[index] = 1;
  vacancy_remote_[index] = vacancy.remote_share_percent >= 100;
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

std::vector<int> MatchIndex::CandidateGroups(const SeekerProfile& seeker, int occupation_breadth) {
  return RelatedMinorGroups(SeekerMinorGroups(seeker), occupation_breadth);
}

template <bool kSeekerSide>
absl::StatusOr<MatchResult> MatchIndex::Query(uint32_t self, const MatchQuery& query) const {
  if (query.limit == 0 || query.limit > kMaxLimit) {
    return absl::InvalidArgumentError(absl::StrCat("limit: must be within [1, ", kMaxLimit, "]"));
  }
  const size_t want = query.offset + query.limit;
  MatchResult result;
  // The ranked candidates so far; the worst on top.
  auto id_of = [&](uint32_t i) -> const std::string& {
    if constexpr (kSeekerSide) {
      return vacancies_[i].id;
    } else {
      return seekers_[i].id;
    }
  };
  auto better = [&](const Candidate& a, const Candidate& b) {
    if (a.key != b.key) return a.key > b.key;
    return id_of(a.index) < id_of(b.index);
  };
  std::vector<Candidate> heap;
  heap.reserve(want + 1);

  std::vector<int> groups;
  double reach2 = 0;
  int32_t sx = 0, sy = 0;
  if constexpr (kSeekerSide) {
    groups = CandidateGroups(seekers_[self], policy_.occupation_breadth);
    reach2 = seeker_reach2_[self];
    sx = seeker_x_[self];
    sy = seeker_y_[self];
  } else {
    groups = RelatedMinorGroups({vacancies_[self].isco / 10}, policy_.occupation_breadth);
    sx = vacancy_x_[self];
    sy = vacancy_y_[self];
  }
  // One seeker against many vacancies: look its skills up in bitsets.
  thread_local SeekerSkillBits bits;
  if constexpr (kSeekerSide) bits.Assign(seekers_[self], scorer_->taxonomy().skill_count());
  const SeekerSkillBits* seeker_bits = kSeekerSide ? &bits : nullptr;
  const auto& postings = kSeekerSide ? vacancies_by_group_ : seekers_by_group_;
  for (int group : groups) {
    auto it = postings.find(group);
    if (it == postings.end()) continue;
    for (uint32_t other : it->second) {
      if (++result.candidates % kDeadlineCheckEvery == 0 && absl::Now() > query.deadline) {
        return absl::DeadlineExceededError(absl::StrCat(
            "deadline passed after ", result.candidates, " candidates; narrow the query"));
      }
      // Reach filter: an upper bound, so it never drops a feasible pair.
      double dx, dy, r2;
      if constexpr (kSeekerSide) {
        if (vacancy_remote_[other]) goto score;
        dx = static_cast<double>(vacancy_x_[other]) - sx;
        dy = static_cast<double>(vacancy_y_[other]) - sy;
        r2 = reach2;
      } else {
        if (vacancy_remote_[self]) goto score;
        dx = static_cast<double>(seeker_x_[other]) - sx;
        dy = static_cast<double>(seeker_y_[other]) - sy;
        r2 = seeker_reach2_[other];
      }
      if (dx * dx + dy * dy > r2) continue;
    score:
      ++result.scored;
      const SeekerProfile& seeker = kSeekerSide ? seekers_[self] : seekers_[other];
      const VacancyProfile& vacancy = kSeekerSide ? vacancies_[other] : vacancies_[self];
      if constexpr (!kSeekerSide) {
        // A seeker posted in several of `groups` is scored once: in the
        // first (smallest) of them.
        if (groups.size() > 1) {
          bool seen_earlier = false;
          for (const DesiredOccupation& o : seekers_[other].occupations) {
            const int m = o.isco / 10;
            seen_earlier |= m < group && std::binary_search(groups.begin(), groups.end(), m);
          }
          if (seen_earlier) continue;
        }
      }
      if constexpr (kSeekerSide) {
        if (query.filters.vacancy_kinds != 0 &&
            !((query.filters.vacancy_kinds >> static_cast<int>(vacancy.kind)) & 1u)) {
          continue;
        }
        if (!InMunicipalities(query.filters.municipalities, vacancy.workplace.municipality)) continue;
      } else {
        if (!InMunicipalities(query.filters.municipalities, seeker.home.municipality)) continue;
      }
      std::optional<Scorer::Cutoff> cutoff;
      if (heap.size() == want) {
        // Only this query's list matters: the other side can never admit.
        constexpr double kNever = std::numeric_limits<double>::infinity();
        cutoff = kSeekerSide ? Scorer::Cutoff{kNever, heap.front().key}
                             : Scorer::Cutoff{heap.front().key, kNever};
      }
      const Score s = scorer_->Evaluate(seeker, vacancy, policy_, query.now,
                                        Scorer::Detail::kTotals, seeker_bits, cutoff);
      if (!s.feasible()) continue;
      ++result.feasible;  // pruning happens after the hard constraints
      if (s.pruned) {
        ++result.pruned;
        continue;
      }
      const double key = kSeekerSide ? s.seeker_view_total : s.total;
      if (key < query.filters.min_score) continue;
      Candidate c{key, other};
      if (heap.size() < want) {
        heap.push_back(c);
        std::push_heap(heap.begin(), heap.end(), better);
      } else if (better(c, heap.front())) {
        std::pop_heap(heap.begin(), heap.end(), better);
        heap.back() = c;
        std::push_heap(heap.begin(), heap.end(), better);
      }
    }
  }
  std::sort_heap(heap.begin(), heap.end(), better);
  for (size_t i = query.offset; i < heap.size(); ++i) {
    const uint32_t other = heap[i].index;
    const SeekerProfile& seeker = kSeekerSide ? seekers_[self] : seekers_[other];
    const VacancyProfile& vacancy = kSeekerSide ? vacancies_[other] : vacancies_[self];
    result.matches.push_back(
        {id_of(other), i + 1,
         scorer_->Evaluate(seeker, vacancy, policy_, query.now, Scorer::Detail::kExplain)});
  }
  return result;
}

absl::StatusOr<MatchResult> MatchIndex::TopVacanciesForSeeker(const std::string& seeker_id,
                                                              const MatchQuery& query) const {
  absl::ReaderMutexLock lock(&mu_);
  auto it = seeker_index_.find(seeker_id);
  if (it == seeker_index_.end()) {
    return absl::NotFoundError(absl::StrCat("seeker ", seeker_id, ": not found"));
  }
  return Query<true>(it->second, query);
}

absl::StatusOr<MatchResult> MatchIndex::TopSeekersForVacancy(const std::string& vacancy_id,
                                                             const MatchQuery& query) const {
  absl::ReaderMutexLock lock(&mu_);
  auto it = vacancy_index_.find(vacancy_id);
  if (it == vacancy_index_.end()) {
    return absl::NotFoundError(absl::StrCat("vacancy ", vacancy_id, ": not found"));
  }
  return Query<false>(it->second, query);
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
  auto score = Explain(seeker_id, vacancy_id, query.now);
  if (!score.ok()) return score.status();
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
  const double key = seeker_side ? score->seeker_view_total : score->total;
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
                   : (seeker_side ? list->matches.back().score.seeker_view_total
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
  size_t bytes = VectorBytes(seekers_) + VectorBytes(vacancies_) + VectorBytes(seeker_x_) * 2 +
                 VectorBytes(seeker_reach2_) + VectorBytes(seeker_alive_) +
                 VectorBytes(vacancy_x_) * 2 + VectorBytes(vacancy_alive_) * 2;
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
  for (const auto& [g, list] : vacancies_by_group_) bytes += VectorBytes(list) + 16;
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

std::optional<VacancyProfile> MatchIndex::GetVacancy(const std::string& id) const {
  absl::ReaderMutexLock lock(&mu_);
  auto it = vacancy_index_.find(id);
  if (it == vacancy_index_.end()) return std::nullopt;
  return vacancies_[it->second];
}

}  // namespace jobmatch::matcher

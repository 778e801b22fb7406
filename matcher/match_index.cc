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

uint16_t MatchIndex::TargetGroupId(const std::string& name) {
  auto [it, added] =
      target_group_ids_.try_emplace(name, static_cast<uint16_t>(target_group_names_.size()));
  if (added) target_group_names_.push_back(name);
  return it->second;
}

void MatchIndex::PostSeeker(uint32_t index, bool add) {
  const uint16_t target_group = add ? TargetGroupId(seekers_[index].target_group) : 0;
  for (int group : PostedGroups(seekers_[index])) {
    if (add) {
      SeekerEntry entry;
      entry.index = index;
      entry.x = seeker_cols_.x[index];
      entry.y = seeker_cols_.y[index];
      entry.landmass = seeker_cols_.home[index].landmass;
      entry.target_group = target_group;
      entry.same_reach2 = seeker_cols_.same_reach2[index];
      entry.other_reach2 = seeker_cols_.other_reach2[index];
      entry.key = seeker_cols_.key[index];
      entry.terms = TermsOf(seekers_[index]);
      seekers_by_group_[group].Insert(entry, seekers_[index].skills.data());
    } else {
      auto it = seekers_by_group_.find(group);
      if (it == seekers_by_group_.end()) continue;
      it->second.Erase(index, seeker_cols_.x[index], seeker_cols_.y[index]);
      if (it->second.size() == 0) seekers_by_group_.erase(it);
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
    list.Insert(VacancyCell(vacancy), index, vacancy.workplace.x, vacancy.workplace.y,
                static_cast<uint8_t>(vacancy.workplace.landmass),
                VacancyPosting{vacancy_cols_.key[index], vacancy_terms_[index]});
  } else {
    list.Erase(VacancyCell(vacancy), index);
  }
}

void MatchIndex::SetVacancyTerms(uint32_t index) {
  const VacancyProfile& vacancy = vacancies_[index];
  VacancyTerms terms = TermsOf(vacancy);
  if (!vacancy.essential_skills.empty()) {
    auto [it, added] = essential_lists_.try_emplace(
        vacancy.essential_skills, EssentialList{static_cast<uint32_t>(essential_pool_.size()), 0});
    if (added) {
      essential_pool_.insert(essential_pool_.end(), vacancy.essential_skills.begin(),
                             vacancy.essential_skills.end());
    }
    ++it->second.users;
    terms.essential_at = it->second.at;
  }
  terms.optional_at = static_cast<uint32_t>(vacancy_skill_pool_.size());
  vacancy_skill_pool_.insert(vacancy_skill_pool_.end(), vacancy.optional_skills.begin(),
                             vacancy.optional_skills.end());
  vacancy_terms_[index] = terms;
  constexpr size_t kMinCompaction = 1 << 16;
  bool moved = false;
  if (vacancy_skill_garbage_ > kMinCompaction &&
      vacancy_skill_garbage_ > vacancy_skill_pool_.size() - vacancy_skill_garbage_) {
    // Compact: the live vacancies' optional skills again, in slot order.
    std::vector<SkillId> pool;
    pool.reserve(vacancy_skill_pool_.size() - vacancy_skill_garbage_);
    for (uint32_t i = 0; i < vacancies_.size(); ++i) {
      vacancy_terms_[i].optional_at = static_cast<uint32_t>(pool.size());
      if (!vacancy_alive_[i]) continue;
      pool.insert(pool.end(), vacancies_[i].optional_skills.begin(),
                  vacancies_[i].optional_skills.end());
    }
    vacancy_skill_pool_ = std::move(pool);
    vacancy_skill_garbage_ = 0;
    moved = true;
  }
  if (essential_garbage_ > kMinCompaction &&
      essential_garbage_ > essential_pool_.size() - essential_garbage_) {
    // Compact: the lists still listed, then each live vacancy's new place.
    std::vector<SkillId> pool;
    pool.reserve(essential_pool_.size() - essential_garbage_);
    for (auto& [list, entry] : essential_lists_) {
      entry.at = static_cast<uint32_t>(pool.size());
      pool.insert(pool.end(), list.begin(), list.end());
    }
    essential_pool_ = std::move(pool);
    essential_garbage_ = 0;
    for (uint32_t i = 0; i < vacancies_.size(); ++i) {
      if (!vacancy_alive_[i] || vacancies_[i].essential_skills.empty()) continue;
      vacancy_terms_[i].essential_at = essential_lists_.at(vacancies_[i].essential_skills).at;
    }
    moved = true;
  }
  if (moved) {
    // The postings' copies of the terms too (this vacancy's is posted after).
    for (auto& [group, list] : vacancies_by_group_) {
      list.RewritePayloads([&](uint32_t i, VacancyPosting* posting) {
        AssumeReaderHeld(mu_);
        posting->terms = vacancy_terms_[i];
      });
    }
  }
}

void MatchIndex::DropVacancyTerms(uint32_t index) {
  vacancy_skill_garbage_ += vacancy_terms_[index].optional_count;
  const std::vector<SkillId>& essential = vacancies_[index].essential_skills;
  if (!essential.empty()) {
    auto it = essential_lists_.find(essential);
    if (--it->second.users == 0) {
      essential_garbage_ += essential.size();
      essential_lists_.erase(it);
    }
  }
  vacancy_terms_[index] = VacancyTerms();
}

void MatchIndex::UpsertSeeker(SeekerProfile seeker) {
  PrepareSeeker(scorer_->taxonomy(), &seeker);
  const CommuteModel::Reach reach = scorer_->commute_model().ReachMetres(
      seeker.transport_modes, seeker.max_commute_minutes, seeker.home.landmass);
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
    DropVacancyTerms(index);
  } else if (!free_vacancies_.empty()) {
    index = free_vacancies_.back();
    free_vacancies_.pop_back();
    vacancy_index_[vacancy.id] = index;
  } else {
    index = static_cast<uint32_t>(vacancies_.size());
    vacancies_.emplace_back();
    vacancy_cols_.Resize(vacancies_.size());
    vacancy_alive_.push_back(0);
    vacancy_terms_.emplace_back();
    vacancy_index_[vacancy.id] = index;
  }
  vacancy_cols_.Set(index, vacancy, scorer_->schemes());
  vacancy_alive_[index] = 1;
  vacancies_[index] = std::move(vacancy);
  SetVacancyTerms(index);
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
  DropVacancyTerms(index);
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

  // The scan every direction shares (matcher/candidate_scan.h): the
  // candidates from the postings through the candidate step's prefilter
  // (the table's key rules, the reach bound) and the query's filters; then
  // each one's score bound (Scorer::UpperBound: skills first, no commute);
  // then, best bound first, the commute rule and Evaluate, until no bound
  // left can enter the list.
  const CandidateStep<kSeekerSide> step(*scorer_, seeker_cols_, vacancy_cols_, self, query.now);
  if (!step.admitted()) return result;  // no pair can be feasible
  std::vector<int> groups;
  if constexpr (kSeekerSide) {
    groups = CandidateGroups(seekers_[self], policy);
  } else {
    groups = CandidateGroups(vacancies_[self], policy);
  }
  // One seeker against many vacancies: a credit level per skill.
  thread_local SeekerSkillBits bits;
  if constexpr (kSeekerSide) bits.Assign(scorer_->taxonomy(), seekers_[self]);
  const SeekerSkillBits* seeker_bits = kSeekerSide ? &bits : nullptr;
  // One vacancy against many seekers: walk each seeker's skills through the
  // vacancy's turned-around skill lists.
  thread_local VacancySkillLookup lookup;
  if constexpr (!kSeekerSide) lookup.Assign(scorer_->taxonomy(), vacancies_[self]);
  const VacancySkillLookup* vacancy_skills = kSeekerSide ? nullptr : &lookup;

  // 1. Candidates from the postings that pass the prefilter and the filters.
  thread_local std::vector<Candidate> bounded;
  bounded.clear();
  // One seeker against many vacancies: the entries that passed, in the
  // order they were read (their terms for the bound).
  thread_local std::vector<const VacancyEntry*> passed;
  passed.clear();
  // One vacancy against many seekers: the entries that passed, in the
  // order their buckets were read.
  // (A copy of what the bound reads, so that it reads them in order.)
  struct Found {
    const SkillId* skills;  // its skills, in its bucket
    SeekerTerms terms;
    uint32_t index;
  };
  thread_local std::vector<Found> found;
  found.clear();
  // A development placement's placement rows by target group (empty for
  // other kinds: nothing to test).
  thread_local std::vector<uint8_t> placement_by_group;
  placement_by_group.clear();
  // One vacancy against several groups: the seekers found so far, by
  // index (all clear between queries).
  const bool several = !kSeekerSide && groups.size() > 1;
  thread_local std::vector<uint64_t> seen;
  if (several && seen.size() < (seekers_.size() + 63) / 64) {
    seen.resize((seekers_.size() + 63) / 64);
  }
  for (int g : groups) {
    if constexpr (kSeekerSide) {
      // Vacancies by grid cell: only the cells within the seeker's reach.
      // On each entry (each carries its workplace, key and terms), in the
      // order they are read: the reach bound (a fully remote vacancy is in
      // the kEverywhere cell, with no commute rule), the key rules and the
      // query's filters.
      auto it = vacancies_by_group_.find(g);
      if (it == vacancies_by_group_.end()) continue;
      const int32_t sx = seeker_cols_.x[self], sy = seeker_cols_.y[self];
      const uint8_t home = static_cast<uint8_t>(seeker_cols_.home[self].landmass);
      const double same_reach2 = seeker_cols_.same_reach2[self];
      const double other_reach2 = seeker_cols_.other_reach2[self];
      it->second.ForEachEntryNear(sx, sy, seeker_cols_.Radius(self), [&](const VacancyEntry& e) {
        AssumeReaderHeld(mu_);
        ++result.candidates;
        if (e.cell != GeoGrid::kEverywhere &&
            !CandidateStep<true>::WithinReach(sx, sy, e.landmass == home, same_reach2,
                                              other_reach2, e.x, e.y)) {
          return;
        }
        const VacancyKey& key = e.payload.key;
        if (!step.PrefilterVacancyKey(key)) return;
        if (query.filters.vacancy_kinds != 0 && !((query.filters.vacancy_kinds >> key.kind) & 1u)) {
          return;
        }
        // (The filter's emptiness first: the place is not read without one.)
        if (!query.filters.municipalities.empty() &&
            !InMunicipalities(query.filters.municipalities,
                              vacancy_cols_.place[e.index].municipality)) {
          return;
        }
        passed.push_back(&e);
      });
    } else {
      // Each seeker has their own reach: the group's buckets that some
      // seeker in them can reach the workplace from, then each entry's own
      // reach bound, key rules and the filters on the entry itself (read in
      // order; the columns are not).
      auto it = seekers_by_group_.find(g);
      if (it == seekers_by_group_.end()) continue;
      if (placement_by_group.empty() && IsDevelopmentPlacement(vacancies_[self].kind)) {
        // The placement rows once per target group.
        for (const std::string& name : target_group_names_) {
          placement_by_group.push_back(
              PlacementRowsAdmit(scorer_->schemes(), vacancies_[self], name, query.now) ? 1 : 0);
        }
      }
      const bool remote = vacancy_cols_.remote[self] != 0;
      const int32_t vx = vacancy_cols_.x[self], vy = vacancy_cols_.y[self];
      const Landmass at = vacancy_cols_.place[self].landmass;
      result.candidates += it->second.size();
      it->second.ForEachBucketInReach(
          vx, vy, at, remote,
          [&](const SeekerEntry* e, const SeekerEntry* end, const SkillId* skills,
              const SeekerReach* reach) {
            AssumeReaderHeld(mu_);
            for (; e != end; ++e, ++reach) {
              // (The compact copy first: most entries out of reach are
              // dropped without reading theirs.)
              if (!remote && (!SeekerPostings::MayReach(*reach, vx, vy) ||
                              !CandidateStep<false>::WithinReach(e->x, e->y, e->landmass == at,
                                                                 e->same_reach2, e->other_reach2,
                                                                 vx, vy))) {
                continue;
              }
              if (!step.PrefilterSeekerKey(e->key)) continue;
              if (!placement_by_group.empty() && !placement_by_group[e->target_group]) continue;
              if (!query.filters.municipalities.empty() &&
                  !InMunicipalities(query.filters.municipalities,
                                    seeker_cols_.home[e->index].municipality)) {
                continue;
              }
              if (several) {
                // A seeker posted in several of `groups` is a candidate once.
                uint64_t& word = seen[e->index >> 6];
                const uint64_t bit = uint64_t{1} << (e->index & 63);
                if ((word & bit) != 0) continue;
                word |= bit;
              }
              found.push_back({skills + e->terms.skills_at, e->terms, e->index});
            }
          });
    }
  }
  if (several) {
    for (const Found& f : found) seen[f.index >> 6] = 0;
  }

  // 2. Each candidate's bound, with the next records prefetched (the
  // profiles and their skill lists are scattered over the heap; misses
  // dominate otherwise).
  constexpr double kNoBound = std::numeric_limits<double>::infinity();
  auto record_of = [&](uint32_t other) -> const char* {
    AssumeReaderHeld(mu_);
    return kSeekerSide ? reinterpret_cast<const char*>(&vacancies_[other])
                       : reinterpret_cast<const char*>(&seekers_[other]);
  };
  constexpr size_t kRecordBytes = kSeekerSide ? sizeof(VacancyProfile) : sizeof(SeekerProfile);
  constexpr size_t kAhead = 8;
  if constexpr (!kSeekerSide) {
    // One vacancy against many seekers: each seeker's terms and skills from
    // their bucket (read just now).
    const VacancyProfile& vacancy = vacancies_[self];
    bounded.resize(found.size());
    for (size_t i = 0; i < found.size(); ++i) {
      // (Most of the time would go to the first read of each one's skills.)
      if (i + kAhead < found.size()) {
        // Both ends: ~20 skills often span two lines.
        const Found& next = found[i + kAhead];
        __builtin_prefetch(next.skills);
        __builtin_prefetch(next.skills + std::max<uint32_t>(next.terms.skill_count, 1) - 1);
      }
      const Found& f = found[i];
      bounded[i] = {scorer_->UpperBound(f.terms, f.skills, vacancy, policy, lookup).total, f.index};
    }
  }
  if constexpr (kSeekerSide) {
    // One seeker against many vacancies: each vacancy's terms from its
    // entry (read just now) and its skills from the pools, fetched ahead,
    // against the seeker's credit levels.
    const SeekerProfile& seeker = seekers_[self];
    const SkillId* essential_pool = essential_pool_.data();
    const SkillId* optional_pool = vacancy_skill_pool_.data();
    auto fetch = [](const SkillId* first, uint32_t count) {  // every line
      const uintptr_t end = reinterpret_cast<uintptr_t>(first + count);
      for (uintptr_t line = reinterpret_cast<uintptr_t>(first) & ~uintptr_t{63}; line < end;
           line += 64) {
        __builtin_prefetch(reinterpret_cast<const void*>(line));
      }
    };
    // Each distinct essential list summed once for this seeker.
    thread_local EssentialCredits essential_credits;
    essential_credits.Clear();
    bounded.resize(passed.size());
    for (size_t i = 0; i < passed.size(); ++i) {
      if (i + kAhead < passed.size()) {
        const VacancyTerms& next = passed[i + kAhead]->payload.terms;
        fetch(essential_pool + next.essential_at, next.essential_count);
        fetch(optional_pool + next.optional_at, next.optional_count);
      }
      const uint32_t other = passed[i]->index;
      bounded[i].index = other;
      if (!Scorer::BoundCovers(vacancies_[other])) {
        bounded[i].key = kNoBound;  // evaluated in full
        continue;
      }
      const VacancyTerms& terms = passed[i]->payload.terms;
      const Scorer::Bound bound =
          scorer_->UpperBound(seeker, terms, essential_pool + terms.essential_at,
                              optional_pool + terms.optional_at, policy, bits,
                              &essential_credits);
      // The bound of the key the list is ranked by (needs-blind: the total).
      bounded[i].key = query.needs_blind ? bound.total : bound.seeker_view_total;
    }
  }
  // Best bound first -- sorted as far as the scan below gets: most
  // candidates' bounds are below the list's last entry, so the order is
  // established a chunk at a time (the next chunk's candidates picked by
  // nth_element, then sorted), not for all of them. The order is strict (by
  // index on equal bounds), so the scan visits exactly the order a full
  // sort gives.
  auto by_bound = [](const Candidate& a, const Candidate& b) {
    return a.key != b.key ? a.key > b.key : a.index < b.index;
  };
  size_t sorted_end = 0;
  auto sort_through = [&](size_t i) {  // REQUIRES: i < bounded.size()
    while (i >= sorted_end) {
      const size_t chunk = std::max<size_t>(4 * want + 64, sorted_end);
      const size_t end = std::min(bounded.size(), sorted_end + chunk);
      const auto first = bounded.begin() + static_cast<std::ptrdiff_t>(sorted_end);
      const auto last = bounded.begin() + static_cast<std::ptrdiff_t>(end);
      if (end < bounded.size()) std::nth_element(first, last, bounded.end(), by_bound);
      std::sort(first, last, by_bound);
      sorted_end = end;
    }
  };

  // The trips of the pairs that entered the list, for their explanations.
  thread_local std::vector<Near> trips;
  trips.clear();
  // 3. Best bound first: the commute rule, then Evaluate, until the bound
  // of the next candidate is below the list's last entry (it and every
  // later one cannot enter: ties need an equal score, which the bound
  // admits) or below the minimum score.
  for (size_t i = 0; i < bounded.size(); ++i) {
    sort_through(std::min(i + kAhead, bounded.size() - 1));
    if (bounded[i].key < query.filters.min_score ||
        (heap.size() == want && bounded[i].key < heap.front().key)) {
      result.pruned += bounded.size() - i;
      break;
    }
    if (i + kAhead < bounded.size()) {
      const char* record = record_of(bounded[i + kAhead].index);
      for (size_t line = 0; line < kRecordBytes; line += 64) __builtin_prefetch(record + line);
    }
    // And what Evaluate reads outside the record: the lists of the
    // record fetched kAhead / 2 candidates ago (the skills, compared in
    // full, and those the hard constraints read).
    if constexpr (kSeekerSide) {
      if (i + kAhead / 2 < bounded.size()) {
        const VacancyProfile& next = vacancies_[bounded[i + kAhead / 2].index];
        if (!next.required_languages.empty()) __builtin_prefetch(next.required_languages.data());
        if (!next.essential_skills.empty()) __builtin_prefetch(next.essential_skills.data());
        if (!next.optional_skills.empty()) __builtin_prefetch(next.optional_skills.data());
      }
    } else {
      if (i + kAhead / 2 < bounded.size()) {
        const SeekerProfile& next = seekers_[bounded[i + kAhead / 2].index];
        __builtin_prefetch(next.occupations.data());
        if (!next.skills.empty()) __builtin_prefetch(next.skills.data());
      }
    }
    const uint32_t other = bounded[i].index;
    Near candidate;
    if (!step.Commute(other, &candidate)) continue;
    // The deadline and cancellation at the first pair evaluated and every
    // kDeadlineCheckEvery after.
    if (result.scored++ % kDeadlineCheckEvery == 0) {
      if (absl::Now() > query.deadline) {
        return absl::DeadlineExceededError(absl::StrCat(
            "deadline passed after ", result.scored, " candidates; narrow the query"));
      }
      if (query.cancelled && query.cancelled()) {
        return absl::CancelledError(
            absl::StrCat("query cancelled after ", result.scored, " candidates"));
      }
    }
    const SeekerProfile& seeker = kSeekerSide ? seekers_[self] : seekers_[other];
    const VacancyProfile& vacancy = kSeekerSide ? vacancies_[other] : vacancies_[self];
    std::optional<Scorer::Cutoff> cutoff;
    if (heap.size() == want) {
      // Only this query's list matters: the other side can never admit.
      constexpr double kNever = std::numeric_limits<double>::infinity();
      cutoff = kSeekerSide && !query.needs_blind ? Scorer::Cutoff{kNever, heap.front().key}
                                                 : Scorer::Cutoff{heap.front().key, kNever};
    }
    const Score s = scorer_->Evaluate(seeker, vacancy, policy, query.now, Scorer::Detail::kTotals,
                                      seeker_bits, cutoff, vacancy_skills, candidate.Trip());
    if (!s.feasible()) continue;
    ++result.feasible;
    if (s.pruned) {
      ++result.pruned;
      continue;
    }
    const double key = kSeekerSide && !query.needs_blind ? s.seeker_view_total : s.total;
    if (key < query.filters.min_score) continue;
    Candidate c{key, other};
    if (heap.size() < want || better(c, heap.front())) {
      c.slot = static_cast<uint32_t>(trips.size());
      trips.push_back(candidate);
    }
    if (heap.size() < want) {
      heap.push_back(c);
      std::push_heap(heap.begin(), heap.end(), better);
    } else if (better(c, heap.front())) {
      std::pop_heap(heap.begin(), heap.end(), better);
      heap.back() = c;
      std::push_heap(heap.begin(), heap.end(), better);
    }
  }
  std::sort_heap(heap.begin(), heap.end(), better);
  if (heap.size() > query.offset) result.matches.reserve(heap.size() - query.offset);
  for (size_t i = query.offset; i < heap.size(); ++i) {
    const uint32_t other = heap[i].index;
    const SeekerProfile& seeker = kSeekerSide ? seekers_[self] : seekers_[other];
    const VacancyProfile& vacancy = kSeekerSide ? vacancies_[other] : vacancies_[self];
    // Explained with the trip the scan found and the seeker's credit levels
    // or the vacancy's skill lookup (the same values and skills Evaluate
    // works out without them).
    result.matches.push_back(
        {id_of(other), i + 1,
         scorer_->Evaluate(seeker, vacancy, policy, query.now,
                           query.skill_lists ? Scorer::Detail::kExplain : Scorer::Detail::kParts,
                           seeker_bits, std::nullopt, vacancy_skills,
                           trips[heap[i].slot].Trip()),
         vacancy.openings});
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
                 vacancy_cols_.Bytes() + VectorBytes(seeker_alive_) + VectorBytes(vacancy_alive_) +
                 VectorBytes(vacancy_terms_) + VectorBytes(vacancy_skill_pool_) +
                 VectorBytes(essential_pool_);
  for (const auto& [list, entry] : essential_lists_) {
    bytes += VectorBytes(list) + sizeof(list) + sizeof(entry) + 8;
  }
  for (const auto& s : seekers_) {
    bytes += s.id.capacity() + VectorBytes(s.skills) + VectorBytes(s.skill_parents) +
             VectorBytes(s.occupations) + VectorBytes(s.languages) + VectorBytes(s.needs) +
             s.target_group.capacity();
  }
  for (const auto& v : vacancies_) {
    bytes += v.id.capacity() + v.employer_id.capacity() + VectorBytes(v.essential_skills) +
             VectorBytes(v.optional_skills) + VectorBytes(v.required_languages);
  }
  for (const auto& [g, list] : seekers_by_group_) bytes += list.capacity_bytes() + 16;
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

std::optional<MatchIndex::SeekerScopeFacts> MatchIndex::SeekerScope(const std::string& id) const {
  absl::ReaderMutexLock lock(&mu_);
  auto it = seeker_index_.find(id);
  if (it == seeker_index_.end()) return std::nullopt;
  const SeekerProfile& seeker = seekers_[it->second];
  return SeekerScopeFacts{seeker.home.municipality, seeker.consent_share_needs};
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

#include "matcher/skill_gap.h"

#include <algorithm>
#include <map>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"

namespace jobmatch::matcher {
namespace {

bool Contains(const std::vector<SkillId>& v, SkillId s) {
  return std::find(v.begin(), v.end(), s) != v.end();
}

// Subsets of `items` of exactly `size` elements, in lexicographic order.
void Subsets(const std::vector<SkillId>& items, size_t size, size_t from,
             std::vector<SkillId>* current, std::vector<std::vector<SkillId>>* out) {
  if (current->size() == size) {
    out->push_back(*current);
    return;
  }
  for (size_t i = from; i < items.size(); ++i) {
    current->push_back(items[i]);
    Subsets(items, size, i + 1, current, out);
    current->pop_back();
  }
}

}  // namespace

SkillGapAnalyzer::SkillGapAnalyzer(const MatchIndex* index, const Scorer* scorer,
                                   SkillGapOptions options,
                                   const absl::flat_hash_map<std::string, double>* known_cutoffs)
    : index_(index), scorer_(scorer), options_(options), known_cutoffs_(known_cutoffs) {}

double SkillGapAnalyzer::Bar(const std::string& vacancy_id, CutoffCache* cache) const {
  auto it = cache->find(vacancy_id);
  if (it != cache->end()) return it->second;
  double cutoff = 0;
  if (known_cutoffs_ != nullptr && known_cutoffs_->contains(vacancy_id)) {
    cutoff = known_cutoffs_->at(vacancy_id);
  } else {
    MatchQuery query;
    query.limit = options_.list_size;
    query.now = options_.now;
    auto list = index_->TopSeekersForVacancy(vacancy_id, query);
    if (list.ok() && list->matches.size() >= options_.list_size) {
      cutoff = list->matches.back().score.total;
    }
  }
  const double bar = std::max(options_.good_score, cutoff);
  cache->emplace(vacancy_id, bar);
  return bar;
}

double SkillGapAnalyzer::TotalWith(const SeekerProfile& seeker, const std::vector<SkillId>& extra,
                                   const VacancyProfile& vacancy, const Policy& policy) const {
  SeekerProfile upskilled = seeker;
  upskilled.skills.insert(upskilled.skills.end(), extra.begin(), extra.end());
  PrepareSeeker(scorer_->taxonomy(), &upskilled);
  const Score score =
      scorer_->Evaluate(upskilled, vacancy, policy, options_.now, Scorer::Detail::kTotals);
  return score.feasible() ? score.total : -1;
}

absl::StatusOr<SkillGapAnalyzer::SeekerScan> SkillGapAnalyzer::Scan(const std::string& seeker_id,
                                                                   CutoffCache* cache) const {
  SeekerScan scan;
  auto seeker = index_->GetSeeker(seeker_id);
  if (!seeker) return absl::NotFoundError(absl::StrCat("seeker ", seeker_id, ": not found"));
  scan.seeker = std::move(*seeker);
  MatchQuery query;
  query.limit = options_.seeker_candidates;
  query.now = options_.now;
  query.deadline = options_.deadline;
  auto list = index_->TopVacanciesForSeeker(seeker_id, query);
  if (!list.ok()) return list.status();
  const size_t max_missing = std::min<size_t>(options_.max_missing, 3);
  for (const Match& m : list->matches) {
    ++scan.feasible;
    const double total = m.score.total;  // needs-blind
    if (total + options_.near_miss_margin < options_.good_score) continue;
    const double bar = Bar(m.id, cache);
    if (total >= bar) {
      ++scan.good;
      continue;
    }
    const size_t missing = m.score.missing_skills.size();
    if (total + options_.near_miss_margin < bar || missing == 0 || missing > max_missing) continue;
    auto vacancy = index_->GetVacancy(m.id);
    if (!vacancy) continue;  // removed since the query
    scan.near.push_back({std::move(*vacancy), total, bar, m.score.missing_skills});
  }
  return scan;
}

std::vector<std::vector<SkillId>> SkillGapAnalyzer::SmallestUnlocking(
    const SeekerProfile& seeker, const std::vector<SkillId>& base,
    const std::vector<SkillId>& candidates, const NearMiss& pair, const Policy& policy) const {
  std::vector<std::vector<SkillId>> found;
  for (size_t size = 1; size <= candidates.size() && found.empty(); ++size) {
    std::vector<std::vector<SkillId>> subsets;
    std::vector<SkillId> current;
    Subsets(candidates, size, 0, &current, &subsets);
    for (auto& subset : subsets) {
      std::vector<SkillId> extra = base;
      extra.insert(extra.end(), subset.begin(), subset.end());
      if (TotalWith(seeker, extra, pair.vacancy, policy) >= pair.bar) {
        found.push_back(std::move(subset));
      }
    }
  }
  return found;
}

absl::StatusOr<AreaSkillGaps> SkillGapAnalyzer::ForSeekers(
    const std::vector<std::string>& seeker_ids) const {
  const Policy policy = index_->policy();
  CutoffCache cache;
  struct Tally {
    size_t pairs_alone = 0, pairs_with_others = 0;
    absl::flat_hash_set<uint32_t> seekers, seekers_alone;
    absl::flat_hash_set<std::string> vacancies, vacancies_alone;
    struct Group {
      size_t pairs = 0;
      absl::flat_hash_set<uint32_t> seekers;
      absl::flat_hash_set<std::string> vacancies;
    };
    std::map<int, Group> groups;
  };
  absl::flat_hash_map<SkillId, Tally> tallies;
  AreaSkillGaps out;
  for (uint32_t s = 0; s < seeker_ids.size(); ++s) {
    if (absl::Now() > options_.deadline) {
      return absl::DeadlineExceededError(
          absl::StrCat("skill gaps: deadline reached after ", s, " of ", seeker_ids.size(),
                       " seekers"));
    }
    auto scan = Scan(seeker_ids[s], &cache);
    if (!scan.ok()) {
      if (absl::IsNotFound(scan.status())) continue;  // erased meanwhile
      return scan.status();
    }
    ++out.seekers;
    out.feasible_pairs += scan->feasible;
    out.good_pairs += scan->good;
    out.near_misses += scan->near.size();
    for (const NearMiss& pair : scan->near) {
      const auto sets = SmallestUnlocking(scan->seeker, {}, pair.missing, pair, policy);
      if (sets.empty()) continue;
      ++out.unlockable_pairs;
      const bool alone = sets.front().size() == 1;
      absl::flat_hash_set<SkillId> credited;
      for (const auto& set : sets) credited.insert(set.begin(), set.end());
      for (SkillId skill : credited) {
        Tally& t = tallies[skill];
        (alone ? t.pairs_alone : t.pairs_with_others) += 1;
        t.seekers.insert(s);
        t.vacancies.insert(pair.vacancy.id);
        if (alone) {
          t.seekers_alone.insert(s);
          t.vacancies_alone.insert(pair.vacancy.id);
        }
        auto& g = t.groups[pair.vacancy.isco / 10];
        ++g.pairs;
        g.seekers.insert(s);
        g.vacancies.insert(pair.vacancy.id);
      }
    }
  }
  for (auto& [skill, t] : tallies) {
    SkillUnlock u;
    u.skill = skill;
    u.pairs_alone = t.pairs_alone;
    u.pairs_with_others = t.pairs_with_others;
    u.seekers = t.seekers.size();
    u.seekers_alone = t.seekers_alone.size();
    u.vacancies = t.vacancies.size();
    u.vacancies_alone = t.vacancies_alone.size();
    for (auto& [group, g] : t.groups) {
      u.groups.push_back({group, g.pairs, g.seekers.size(), g.vacancies.size()});
    }
    std::stable_sort(u.groups.begin(), u.groups.end(),
                     [](const GroupUnlock& a, const GroupUnlock& b) { return a.pairs > b.pairs; });
    out.skills.push_back(std::move(u));
  }
  std::sort(out.skills.begin(), out.skills.end(), [](const SkillUnlock& a, const SkillUnlock& b) {
    if (a.pairs_alone != b.pairs_alone) return a.pairs_alone > b.pairs_alone;
    if (a.pairs_with_others != b.pairs_with_others) return a.pairs_with_others > b.pairs_with_others;
    if (a.seekers != b.seekers) return a.seekers > b.seekers;
    return a.skill < b.skill;
  });
  if (out.skills.size() > options_.top_skills) out.skills.resize(options_.top_skills);
  return out;
}

absl::StatusOr<UpskillingPlan> SkillGapAnalyzer::ForSeeker(const std::string& seeker_id) const {
  const Policy policy = index_->policy();
  CutoffCache cache;
  auto scan = Scan(seeker_id, &cache);
  if (!scan.ok()) return scan.status();
  UpskillingPlan plan;
  plan.feasible = scan->feasible;
  plan.good = scan->good;
  plan.near_misses = scan->near.size();
  std::vector<SkillId> candidates;
  for (const NearMiss& pair : scan->near) {
    for (SkillId s : pair.missing) {
      if (!Contains(candidates, s)) candidates.push_back(s);
    }
  }
  std::sort(candidates.begin(), candidates.end());
  std::vector<bool> opened(scan->near.size(), false);
  const SeekerProfile& seeker = scan->seeker;
  while (plan.skills.size() < options_.plan_skills) {
    if (absl::Now() > options_.deadline) {
      return absl::DeadlineExceededError("upskilling plan: deadline reached");
    }
    // The single skill opening the most remaining near misses that list it
    // as missing (ties: the lowest skill id).
    SkillId best = kNoSkill;
    size_t best_count = 0;
    for (SkillId c : candidates) {
      if (Contains(plan.skills, c)) continue;
      std::vector<SkillId> extra = plan.skills;
      extra.push_back(c);
      size_t count = 0;
      for (size_t i = 0; i < scan->near.size(); ++i) {
        if (opened[i] || !Contains(scan->near[i].missing, c)) continue;
        if (TotalWith(seeker, extra, scan->near[i].vacancy, policy) >= scan->near[i].bar) ++count;
      }
      if (count > best_count) {
        best = c;
        best_count = count;
      }
    }
    std::vector<SkillId> step;
    if (best != kNoSkill) {
      step.push_back(best);
    } else {
      // No single skill opens anything: the smallest set opening one pair.
      for (size_t i = 0; i < scan->near.size(); ++i) {
        if (opened[i]) continue;
        std::vector<SkillId> rest;
        for (SkillId s : scan->near[i].missing) {
          if (!Contains(plan.skills, s)) rest.push_back(s);
        }
        auto sets = SmallestUnlocking(seeker, plan.skills, rest, scan->near[i], policy);
        if (!sets.empty() && (step.empty() || sets.front().size() < step.size())) {
          step = sets.front();
        }
      }
      if (step.empty() || plan.skills.size() + step.size() > options_.plan_skills) break;
    }
    plan.skills.insert(plan.skills.end(), step.begin(), step.end());
    // Recount exactly with the whole plan so far: every remaining near miss.
    size_t newly = 0;
    for (size_t i = 0; i < scan->near.size(); ++i) {
      if (opened[i]) continue;
      const double after = TotalWith(seeker, plan.skills, scan->near[i].vacancy, policy);
      if (after >= scan->near[i].bar) {
        opened[i] = true;
        ++newly;
        plan.opened.push_back({scan->near[i].vacancy.id, scan->near[i].total, after,
                               scan->near[i].bar, plan.skills.size()});
      }
    }
    // Steps of several skills count their vacancies at their last skill.
    for (size_t k = 1; k < step.size(); ++k) plan.opened_at_step.push_back(0);
    plan.opened_at_step.push_back(newly);
    if (newly == 0) break;
  }
  std::stable_sort(plan.opened.begin(), plan.opened.end(),
                   [](const OpenedVacancy& a, const OpenedVacancy& b) {
                     if (a.step != b.step) return a.step < b.step;
                     return a.vacancy_id < b.vacancy_id;
                   });
  return plan;
}

}  // namespace jobmatch::matcher

// SkillGapAnalyzer: which skills would turn near misses into good matches —
// per area (the list a municipality buys courses from) and per seeker (an
// upskilling plan). Every "would it become a good match" is decided by
// Scorer::Evaluate on the pair with the skills added to the seeker, never by
// a second scorer.
//
// Definitions (what a caller may rely on):
//  - A pair's *bar* is the larger of `good_score` and the vacancy's list
//    cut-off: the needs-blind total of the `list_size`-th seeker in the
//    vacancy's list (0 when the list has fewer). A *good match* is a
//    feasible pair whose total reaches its bar.
//  - A *near miss* is a feasible pair below its bar by at most
//    `near_miss_margin`, lacking between 1 and `max_missing` essential
//    skills (Score::missing_skills: no credit, not even partial).
//  - A skill *unlocks a pair alone* when adding it to the seeker makes the
//    pair a good match; it unlocks a pair *with others* when no single
//    missing skill does, and it belongs to a smallest set of the pair's
//    missing skills that does (sets are searched exhaustively; at most 3
//    skills, so at most 7 evaluations a pair).
//  - A seeker's candidate vacancies are their feasible vacancies as
//    MatchIndex::TopVacanciesForSeeker lists them, at most
//    `seeker_candidates` (1000) of them.
//  - Functional needs decide feasibility only: totals are needs-blind, and
//    no figure here depends on a seeker's needs otherwise.
//
// Thread-safe (reads the index under its reader lock per query).
#ifndef JOBMATCH_MATCHER_SKILL_GAP_H_
#define JOBMATCH_MATCHER_SKILL_GAP_H_

#include <cstddef>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "matcher/match_index.h"
#include "matcher/scorer.h"

namespace jobmatch::matcher {

struct SkillGapOptions {
  double good_score = 0.7;
  size_t list_size = 20;
  double near_miss_margin = 0.25;
  size_t max_missing = 3;        // at most 3
  size_t seeker_candidates = 1000;
  size_t plan_skills = 5;        // the largest upskilling plan
  size_t top_skills = 50;        // skills listed per area
  absl::Time now;                // REQUIRED
  absl::Time deadline = absl::InfiniteFuture();
};

// One occupation group (ISCO-08 minor group, 3 digits, of the vacancy).
struct GroupUnlock {
  int isco_minor_group = 0;
  size_t pairs = 0;  // alone or with others
  size_t seekers = 0;
  size_t vacancies = 0;
};

struct SkillUnlock {
  SkillId skill = kNoSkill;
  size_t pairs_alone = 0;
  size_t pairs_with_others = 0;
  size_t seekers = 0;  // distinct, in either kind of pair
  size_t seekers_alone = 0;
  size_t vacancies = 0;
  size_t vacancies_alone = 0;
  std::vector<GroupUnlock> groups;  // most pairs first
};

struct AreaSkillGaps {
  size_t seekers = 0;         // analysed
  size_t feasible_pairs = 0;  // candidate vacancies of those seekers
  size_t good_pairs = 0;
  size_t near_misses = 0;
  size_t unlockable_pairs = 0;  // near misses some set of missing skills makes good
  // Ranked: most pairs unlocked alone, then with others, then most seekers,
  // then by skill id. At most top_skills.
  std::vector<SkillUnlock> skills;
};

struct OpenedVacancy {
  std::string vacancy_id;
  double total_before = 0;
  double total_after = 0;  // with every skill of the plan up to `step`
  double bar = 0;
  size_t step = 0;  // 1-based: the plan step that opened it
};

struct UpskillingPlan {
  size_t feasible = 0;
  size_t good = 0;
  size_t near_misses = 0;
  // In the order chosen (greedy, see ForSeeker); opened_at_step[i] counts the
  // vacancies step i+1 opened.
  std::vector<SkillId> skills;
  std::vector<size_t> opened_at_step;
  std::vector<OpenedVacancy> opened;  // by step, then vacancy id
};

class SkillGapAnalyzer {
 public:
  // Not owned; must outlive the analyzer. `known_cutoffs` (may be null; not
  // owned) gives list cut-offs already computed (e.g. from a bulk rematch
  // with k >= list_size) by vacancy id; others are asked of the index.
  SkillGapAnalyzer(const MatchIndex* index, const Scorer* scorer, SkillGapOptions options,
                   const absl::flat_hash_map<std::string, double>* known_cutoffs = nullptr);

  // The skills that unlock the most near misses of these seekers (unknown
  // ids are skipped). DeadlineExceeded past options.deadline.
  absl::StatusOr<AreaSkillGaps> ForSeekers(const std::vector<std::string>& seeker_ids) const;

  // Greedy upskilling plan: each step adds the missing essential skill that,
  // with the skills already chosen, opens the most of the seeker's near
  // misses; when no single skill opens any, the smallest set that opens one
  // is added at once. Stops at plan_skills skills or when nothing more opens.
  // Greedy, so not always the smallest set possible. NotFound for an unknown
  // seeker.
  absl::StatusOr<UpskillingPlan> ForSeeker(const std::string& seeker_id) const;

 private:
  struct NearMiss {
    VacancyProfile vacancy;
    double total = 0;
    double bar = 0;
    std::vector<SkillId> missing;
  };
  struct SeekerScan {
    SeekerProfile seeker;
    size_t feasible = 0;
    size_t good = 0;
    std::vector<NearMiss> near;
  };
  using CutoffCache = absl::flat_hash_map<std::string, double>;
  absl::StatusOr<SeekerScan> Scan(const std::string& seeker_id, CutoffCache* cache) const;
  double Bar(const std::string& vacancy_id, CutoffCache* cache) const;
  // The pair's total with `extra` added to the seeker's skills; -1 if the
  // pair is not feasible then.
  double TotalWith(const SeekerProfile& seeker, const std::vector<SkillId>& extra,
                   const VacancyProfile& vacancy, const Policy& policy) const;
  // The smallest subsets of `candidates` that make the pair reach its bar
  // (all of one size; empty if none does).
  std::vector<std::vector<SkillId>> SmallestUnlocking(const SeekerProfile& seeker,
                                                      const std::vector<SkillId>& base,
                                                      const std::vector<SkillId>& candidates,
                                                      const NearMiss& pair,
                                                      const Policy& policy) const;

  const MatchIndex* const index_;
  const Scorer* const scorer_;
  const SkillGapOptions options_;
  const absl::flat_hash_map<std::string, double>* const known_cutoffs_;
};

}  // namespace jobmatch::matcher

#endif  // JOBMATCH_MATCHER_SKILL_GAP_H_

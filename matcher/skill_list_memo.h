// For the nightly pass (matcher/match_index_bulk.cc): vacancies of one
// occupation often list the same essential skills (its ESCO occupation
// profile), so a seeker's coverage of such a list is the same for all of
// them. SkillListNumbering gives each distinct list a number;
// EssentialCoverageMemo keeps, per number, the coverage SeekerSkillBits
// summed for the current seeker the first time and hands it back to
// SeekerSkillBits (Remember) for every other vacancy with an equal list: the
// same sum of the same credits in the same order, so the same value bit for
// bit (tests/matcher/skill_list_memo_test.cc).
#ifndef JOBMATCH_MATCHER_SKILL_LIST_MEMO_H_
#define JOBMATCH_MATCHER_SKILL_LIST_MEMO_H_

#include <cstdint>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "matcher/policy.h"
#include "matcher/scorer.h"
#include "matcher/taxonomy.h"

namespace jobmatch::matcher {

// Numbers 0, 1, 2, ... for distinct skill lists: equal lists (the same ids
// in the same order) get equal numbers, different lists different ones.
class SkillListNumbering {
 public:
  uint32_t Number(const std::vector<SkillId>& list) {
    return numbers_.emplace(list, static_cast<uint32_t>(numbers_.size())).first->second;
  }
  // How many distinct lists have been numbered (the numbers are below it).
  size_t distinct() const { return numbers_.size(); }

 private:
  absl::flat_hash_map<std::vector<SkillId>, uint32_t> numbers_;
};

// One seeker's coverage of each numbered essential skill list, as
// SeekerSkillBits remembered it (slot 0, the essential skills). Use with a
// SeekerSkillBits assigned with remember_coverage: NextSeeker after each
// Assign; Load before scoring a pair (the bound or Evaluate), Keep after the
// bound. Not thread-safe; one per thread.
class EssentialCoverageMemo {
 public:
  explicit EssentialCoverageMemo(size_t distinct_lists) : entries_(distinct_lists) {}
  // Forgets the previous seeker's coverage (call after bits.Assign).
  void NextSeeker() { ++stamp_; }
  // If this seeker's coverage of list number `number` is known, makes
  // `bits` remember it for `list` (a list with that number), so that the
  // scorer's coverage of `list` recalls it instead of summing it.
  void Load(uint32_t number, const std::vector<SkillId>& list,
            const SeekerSkillBits& bits) const {
    const Entry& e = entries_[number];
    if (e.stamp != stamp_ || list.empty()) return;
    SeekerSkillBits::Remembered r = e.remembered;
    r.list = list.data();
    r.size = list.size();
    bits.Remember(/*slot=*/0, r);
  }
  // Keeps what `bits` remembers of `list` (number `number`), if anything
  // new: the first coverage of the list for this seeker, or one that also
  // counted the skills by level.
  void Keep(uint32_t number, const std::vector<SkillId>& list, const Policy& policy,
            const SeekerSkillBits& bits) {
    Entry& e = entries_[number];
    const bool current = e.stamp == stamp_;
    if (list.empty() || (current && e.remembered.has_levels)) return;
    const SeekerSkillBits::Remembered* r =
        bits.Recall(/*slot=*/0, list, policy.narrower_skill_credit, policy.sibling_skill_credit,
                    /*need_levels=*/false);
    if (r == nullptr || (current && !r->has_levels)) return;
    e.remembered = *r;
    e.stamp = stamp_;
  }

 private:
  struct Entry {
    uint64_t stamp = 0;  // current if equal to stamp_
    SeekerSkillBits::Remembered remembered;
  };
  std::vector<Entry> entries_;
  uint64_t stamp_ = 0;
};

}  // namespace jobmatch::matcher

#endif  // JOBMATCH_MATCHER_SKILL_LIST_MEMO_H_

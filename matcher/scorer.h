// Scorer: the one scoring function of jobmatch. Live queries, explanations,
// "why not" and the nightly rematch all call Evaluate, so they cannot
// disagree. Evaluate is a pure function of (seeker, vacancy, policy, now) and
// the immutable reference data the Scorer was built with; thread-safe.
//
// Hard constraints are checked first, in the order of the table in
// matcher/hard_constraints.h (the first one that fails is reported); the
// scans run the table's one-sided rules as prefilters. Soft parts are each
// in [0, 1]:
//   requirements fit = weighted mean of essential skills, optional skills,
//                      education and, for a development placement
//                      (virksomhedspraktik, løntilskud, IGU, voksenlærling),
//                      development potential (parts that do not apply are
//                      left out);
//   preference fit   = weighted mean of occupation fit, commute, hours;
//   total            = share * requirements + (1 - share) * preference.
// Functional needs and health-based limits decide feasibility only; the
// needs-fit part enters seeker_view_total (ranking vacancies for that
// seeker), never total, and only where a need or avoided demand meets the
// job (elsewhere seeker_view_total == total). Every ranking of seekers
// against each other uses total.
#ifndef JOBMATCH_MATCHER_SCORER_H_
#define JOBMATCH_MATCHER_SCORER_H_

#include <limits>
#include <optional>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/time/time.h"
#include "matcher/commute_model.h"
#include "matcher/hard_constraints.h"
#include "matcher/policy.h"
#include "matcher/profiles.h"
#include "matcher/schemes.h"
#include "matcher/score.h"
#include "matcher/taxonomy.h"

namespace jobmatch::matcher {

// A seeker's credit level for any skill of the taxonomy (0 held, 1 a
// narrower skill held, 2 a skill sharing a broader concept held, 3 none),
// so that scoring one seeker against many vacancies costs about one lookup
// per required skill. Each level is worked out the first time it is asked
// for, from bit sets of the seeker's skills and their broader concepts (set
// at Assign), and kept until the next Assign (a broad concept has hundreds
// of narrower skills; a seeker's candidates ask for a few hundred skills).
// Gives exactly the credits the sorted vectors give (the index's property
// test compares both paths). Also answers DEVELOPMENT_POTENTIAL's question
// for a skill the seeker lacks: whether it shares a narrow skill group with
// one they hold (Related). `seeker` must outlive the lookups. Not
// thread-safe; one per thread.
class SeekerSkillBits {
 public:
  // With `remember_coverage`, the scorer's ranking path keeps the credit it
  // summed over the last essential and the last optional skill list it was
  // asked about, so that scoring the same pair again (the scans' bound, then
  // Evaluate) does not sum it again. The caller then promises that every
  // skill list asked about stays unchanged at its address until the next
  // Assign (the nightly pass's snapshot).
  void Assign(const Taxonomy& taxonomy, const SeekerProfile& seeker,
              bool remember_coverage = false);
  uint8_t Level(SkillId id) const {
    const uint8_t entry = entry_[id];
    return (entry >> 2) == generation_ ? static_cast<uint8_t>(entry & 3) : Compute(id);
  }
  // For a skill of level 3: whether one of its broader concepts, or one of
  // theirs, is a narrow skill group over the seeker's skills (what
  // DevelopmentPotential counts as related).
  bool Related(SkillId id) const;
  // For a skill of level 1 or 2: the first of the seeker's skills, in their
  // order, related to it either way (the skill is one of its broader
  // concepts, or shares one with it) -- the skill an explanation names as
  // `via`, as the search of the sorted vectors finds it. kNoSkill if none.
  SkillId Via(SkillId id) const;

  // The remembered coverage (see Assign): the credit summed over `list`
  // with the given partial credits, and its skills counted by level if
  // `levels` is set.
  struct Remembered {
    const SkillId* list = nullptr;
    size_t size = 0;
    double narrower = 0, sibling = 0;
    double credit = 0;
    bool has_levels = false;
    int levels[4] = {0, 0, 0, 0};
  };
  // The entry for `list` (slot 0 essential, 1 optional), or null.
  const Remembered* Recall(int slot, const std::vector<SkillId>& list, double narrower,
                           double sibling, bool need_levels) const {
    if (!remember_) return nullptr;
    const Remembered& r = remembered_[slot];
    return r.list == list.data() && r.size == list.size() && r.narrower == narrower &&
                   r.sibling == sibling && (r.has_levels || !need_levels)
               ? &r
               : nullptr;
  }
  void Remember(int slot, const Remembered& r) const {
    if (remember_) remembered_[slot] = r;
  }

 private:
  uint8_t Compute(SkillId id) const;
  static bool Test(const std::vector<uint64_t>& set, SkillId id) {
    return (set[id >> 6] >> (id & 63)) & 1;
  }
  static void Set(std::vector<uint64_t>* set, SkillId id) {
    (*set)[id >> 6] |= uint64_t{1} << (id & 63);
  }
  const Taxonomy* taxonomy_ = nullptr;
  const SeekerProfile* seeker_ = nullptr;
  // By SkillId: generation << 2 | level; valid if the generation is current.
  // One byte (generations 1..63, then cleared), so that the whole table
  // stays in the first-level cache.
  mutable std::vector<uint8_t> entry_;
  uint8_t generation_ = 0;
  // By SkillId, one bit: the seeker's skills, their broader concepts, and
  // (made on the first Related) the narrow groups over the skills; cleared
  // word by word at the next Assign.
  std::vector<uint64_t> held_, parents_;
  mutable std::vector<uint64_t> groups_;
  std::vector<uint32_t> set_words_;
  mutable std::vector<uint32_t> group_words_;
  mutable bool groups_ready_ = false;
  // Made on the first Via, by SkillId: for each broader concept of the
  // seeker's skills, the position of the first skill under it (else
  // kNotUnder); cleared entry by entry at the next Assign.
  static constexpr uint32_t kNotUnder = UINT32_MAX;
  mutable std::vector<uint32_t> first_under_;
  mutable std::vector<SkillId> under_set_;
  mutable bool first_under_ready_ = false;
  bool remember_ = false;
  mutable Remembered remembered_[2];
};

// A vacancy's required skills turned around, for scoring one vacancy against
// many seekers: for each skill a seeker may hold, the required skills it
// earns credit towards and how (exact, narrower, sibling). Scoring then walks
// the seeker's few skills instead of searching them for every required
// skill, as bit sets: a seeker's best level per required skill is a few ORs
// per skill they hold. Gives exactly the credits of the sorted vectors (the
// index's property test compares both paths). Not thread-safe; one per
// thread.
class VacancySkillLookup {
 public:
  void Assign(const Taxonomy& taxonomy, const VacancyProfile& vacancy);
  // The sums of the credits the seeker earns over the essential and over
  // the optional skills, each added in the order of the vacancy's skill
  // list, with one walk of the seeker's skills.
  // `essential_levels`, if given, counts the essential skills by level (0
  // held, 1 narrower, 2 sibling, 3 none).
  void Credits(const SeekerProfile& seeker, const Policy& policy, double* essential,
               double* optional, int* essential_levels = nullptr) const {
    Credits(seeker.skills.data(), seeker.skills.data() + seeker.skills.size(), policy, essential,
            optional, essential_levels);
  }
  // The same for the seeker's skills [begin, end) (sorted, unique).
  void Credits(const SkillId* begin, const SkillId* end, const Policy& policy, double* essential,
               double* optional, int* essential_levels = nullptr) const;
  // For an explanation, by position in essential ++ optional: each required
  // skill's credit level (as Credits works it out: 0 held, 1 narrower, 2
  // sibling, 3 none) and, for level 1 or 2, the first of the seeker's skills
  // [begin, end) related to it either way -- the skill an explanation names
  // as `via` (the sorted vectors' search finds the same). Otherwise kNoSkill.
  void Levels(const SkillId* begin, const SkillId* end, std::vector<uint8_t>* levels,
              std::vector<SkillId>* via) const;
  // What a vacancy's scan bounds each candidate with (Scorer::UpperBound
  // from SeekerTerms): the counts of Credits, and its sums up to rounding
  // -- counted by level and multiplied out instead of added in list order
  // (the bound's kBoundSlack covers the difference). `related`, if given,
  // counts the essential skills of level 3 that DevelopmentPotential
  // relates to one of the seeker's skills (0 unless the vacancy has the
  // development part: HasDevelopmentPart).
  void CreditsByBits(const SkillId* begin, const SkillId* end, const Policy& policy,
                     double* essential, double* optional, int* essential_levels = nullptr,
                     int* related = nullptr) const;
  // DevelopmentPotential's walk for the seeker's skills [begin, end), by
  // bits: in the order of the essential skills, 1 for each the seeker holds
  // only partly (level 1 or 2: `close`) and development_related_credit for
  // each they lack that it relates (`related`), added up in that order into
  // `credit`; `developed`, if given, gets those skills' positions in that
  // order. REQUIRES: the vacancy has the development part (HasDevelopmentPart).
  void Development(const SkillId* begin, const SkillId* end, const Policy& policy,
                   double* credit, int* close, int* related,
                   std::vector<uint32_t>* developed = nullptr) const;

 private:
  // Each required skill's best level for the seeker's skills [begin, end):
  // levels_ holds, words_ words per level, the bits of the required skills
  // some skill earns level 0, 1 and 2 towards (the ORs of their masks, each
  // bit at its best level only), then those some skill relates (kinds_ 4).
  void Gather(const SkillId* begin, const SkillId* end) const;
  void Add(SkillId key, uint32_t required, uint8_t level);
  // By SkillId, one bit: a skill that earns credit towards a required
  // skill. A seeker's skills are tested here first (small enough for the
  // first-level cache; most of a seeker's skills earn nothing towards one
  // vacancy).
  std::vector<uint64_t> present_;
  std::vector<SkillId> touched_;  // the skills with a bit in present_
  uint32_t essential_ = 0, optional_ = 0;
  // By SkillId, a touched skill's position in touched_ (read only where
  // present_); by that position, the bits of the required skills (by
  // position in essential ++ optional) it earns level 0, 1 and 2 towards
  // and, for a development placement, the essential skills it relates to as
  // DevelopmentPotential does (kinds_ 4): words_ words each.
  std::vector<uint32_t> slot_;
  std::vector<uint64_t> masks_;
  uint32_t words_ = 0, kinds_ = 3;
  mutable std::vector<uint64_t> levels_;  // Gather's
  mutable std::vector<uint64_t> named_;   // Levels: the required skills with a `via`
};

// Whether Evaluate scores DEVELOPMENT_POTENTIAL for this vacancy: a
// development placement (IsDevelopmentPlacement) with essential skills
// (after PrepareVacancy).
inline bool HasDevelopmentPart(const VacancyProfile& vacancy) {
  return IsDevelopmentPlacement(vacancy.kind) && !vacancy.essential_skills.empty();
}

// The most the DEVELOPMENT_POTENTIAL part can add to Evaluate's total (and
// seeker_view_total) for any seeker: requirements_share x its weight / the
// requirements side's weight, reached when the part's value is 1; 0 for a
// vacancy without the part. For a bound on the total that is tighter than
// "requirements fit at most 1" (e.g. from the essential skills a seeker can
// hold), a development placement's bound must add this, and must not assume
// the qualification floor from the essential skills alone: for these kinds
// the floor tests min(1, essential + development value), so a seeker with no
// essential skill can still score above 0.
double DevelopmentPotentialMax(const VacancyProfile& vacancy, const Policy& policy);

// What Scorer::UpperBound reads of a seeker, without the record. The index
// keeps one per seeker, its skills in a shared pool, so that a vacancy's scan
// bounds its candidates without reading their records (scattered over the
// heap, the misses cost more than the arithmetic).
struct SeekerTerms {
  int32_t min_hours_per_week = 0;
  int32_t max_hours_per_week = 0;
  int32_t fleksjob_hours_per_week = 0;
  int32_t education_level = 0;
  uint32_t skills_at = 0;    // where the seeker's skills start in the holder's pool
  uint32_t skill_count = 0;  // SeekerProfile::skills.size()
  bool own_view = false;     // Scorer::HasOwnView
};
// The terms of `seeker`; skills_at is the holder's to set.
SeekerTerms TermsOf(const SeekerProfile& seeker);

// What Scorer::UpperBound reads of a vacancy, without the record: the
// mirror of SeekerTerms for a seeker's scan, whose candidates' records and
// skill lists are scattered over the heap. The index keeps one per vacancy,
// its essential skills in a pool of distinct lists (an occupation's
// vacancies often share its profile's) and its optional skills in another.
struct VacancyTerms {
  uint32_t essential_at = 0;     // where the essential skills start in the holder's pool
  uint32_t optional_at = 0;      // where the optional skills start in the holder's pool
  uint32_t essential_count = 0;  // VacancyProfile::essential_skills.size()
  uint32_t optional_count = 0;   // VacancyProfile::optional_skills.size()
  int32_t hours_per_week = 0;
  int32_t min_education_level = 0;
  VacancyKind kind = VacancyKind::kOrdinary;
};
// A seeker's credits for the essential skill lists a pool keeps once each
// (MatchIndex's pool of distinct lists), by the list's place in the pool, so
// that bounding one seeker's candidates sums each distinct list once: the
// same credits added in the same order, so the same value bit for bit.
// Valid for one seeker and one state of the pool: Clear before each scan.
// Not thread-safe; one per thread.
class EssentialCredits {
 public:
  struct Entry {
    double credit = 0;
    int levels[4] = {0, 0, 0, 0};  // the list's skills by credit level
  };
  void Clear() { entries_.clear(); }
  const Entry* Find(uint32_t at) const {
    auto it = entries_.find(at);
    return it == entries_.end() ? nullptr : &it->second;
  }
  void Keep(uint32_t at, const Entry& entry) { entries_.emplace(at, entry); }

 private:
  absl::flat_hash_map<uint32_t, Entry> entries_;
};

// The terms of a prepared `vacancy`; essential_at and optional_at are the
// holder's to set.
VacancyTerms TermsOf(const VacancyProfile& vacancy);
inline bool HasDevelopmentPart(const VacancyTerms& vacancy) {
  return IsDevelopmentPlacement(vacancy.kind) && vacancy.essential_count > 0;
}

class Scorer {
 public:
  // Not owned; must outlive the Scorer.
  Scorer(const Taxonomy* taxonomy, const CommuteModel* commute, const Schemes* schemes)
      : taxonomy_(taxonomy), commute_(commute), schemes_(schemes) {}

  // kTotals: the scores only. kExplain: with everything Score holds for an
  // explanation. kParts: kExplain without the per-skill lists
  // (matched_skills, missing_skills, missing_optional_skills,
  // development_skills) and commute_by_mode, for a brief answer; the numbers,
  // parts and texts are kExplain's.
  enum class Detail { kTotals, kExplain, kParts };

  // REQUIRES: both profiles prepared (PrepareSeeker / PrepareVacancy).
  // For top-k: a pair whose best possible total is below `total_below` and
  // whose best possible seeker_view_total is below `seeker_view_below` is
  // returned early with Score::pruned set. The defaults prune nothing; set a
  // side to +infinity when only the other side's list matters.
  struct Cutoff {
    double total_below = -std::numeric_limits<double>::infinity();
    double seeker_view_below = -std::numeric_limits<double>::infinity();
  };

  // `seeker_bits`, if given, must have been assigned from `seeker`, and
  // `vacancy_skills` from `vacancy`; they only make the skill lookups faster
  // (`seeker_bits` for kTotals only; `vacancy_skills` also names the matched
  // and missing skills of an explanation, as the sorted vectors do). `trip`, if given, must be the trip
  // CommuteIfWithinLimit returned for this seeker's home, modes and limit and
  // this vacancy's workplace: Evaluate then uses it instead of estimating the
  // same trip again.
  Score Evaluate(const SeekerProfile& seeker, const VacancyProfile& vacancy, const Policy& policy,
                 absl::Time now, Detail detail, const SeekerSkillBits* seeker_bits = nullptr,
                 std::optional<Cutoff> cutoff = std::nullopt,
                 const VacancySkillLookup* vacancy_skills = nullptr,
                 const CommuteEstimate* trip = nullptr) const;

  // An upper bound on Evaluate's total and seeker_view_total for a pair,
  // computed without the hard constraints: the skills, education and hours
  // valued as Evaluate values them, the occupation fit at the policy's best,
  // the needs fit at 1 and the commute at 1 -- or, with `trip_known`, valued
  // from `trip`, the trip the commute rule found (null for a fully remote
  // job), as Evaluate values it. The same arithmetic as Evaluate's, each
  // input at least the real one, plus kBoundSlack. The scans bound every
  // candidate before the commute estimate and skip (or stop at) pairs whose
  // bound cannot enter their list (WAND-style; docs/matching.md).
  //
  // MUST be >= Evaluate's totals for every pair whose vacancy BoundCovers:
  // any new score part must extend this bound, or take its vacancies out of
  // BoundCovers (the scans then evaluate them in full). Checked over every
  // pair of generated data in tests/matcher/score_bound_test.cc.
  struct Bound {
    double total = 0;
    double seeker_view_total = 0;
  };
  static constexpr double kBoundSlack = 1e-9;
  Bound UpperBound(const SeekerProfile& seeker, const VacancyProfile& vacancy,
                   const Policy& policy, const SeekerSkillBits* seeker_bits,
                   const VacancySkillLookup* vacancy_skills, bool trip_known = false,
                   const CommuteEstimate* trip = nullptr) const;
  // The same bound from a seeker's terms and skills (`skills`: the
  // skill_count skills of SeekerProfile::skills), with the vacancy's
  // lookup (CreditsByBits): UpperBound(seeker, vacancy, policy, nullptr,
  // &vacancy_skills) for the seeker the terms were taken from, up to the
  // rounding of the credits' sums (far below kBoundSlack).
  Bound UpperBound(const SeekerTerms& seeker, const SkillId* skills, const VacancyProfile& vacancy,
                   const Policy& policy, const VacancySkillLookup& vacancy_skills) const;
  // The same bound from a vacancy's terms and skills (its essential_count
  // essential skills at `essential`, its optional_count optional ones at
  // `optional`), with the seeker's credit levels: equal to
  // UpperBound(seeker, vacancy, policy, &seeker_bits, nullptr) for the
  // vacancy the terms were taken from. With `credits`, the essential
  // skills' credits are kept there, and taken from there, by essential_at.
  Bound UpperBound(const SeekerProfile& seeker, const VacancyTerms& vacancy,
                   const SkillId* essential, const SkillId* optional, const Policy& policy,
                   const SeekerSkillBits& seeker_bits,
                   EssentialCredits* credits = nullptr) const;
  // Whether UpperBound knows every part Evaluate scores this vacancy with
  // (every kind now, development placements included).
  static bool BoundCovers(const VacancyProfile& vacancy);

  // The commute hard constraint on its own, from just the fields it reads:
  // the fastest trip by a mode in `modes` (bitmask) if it is within
  // `max_minutes` one way, else nullopt. Evaluate applies exactly this test
  // to every pair whose vacancy is not fully remote; the index uses it to
  // drop pairs before touching their records.
  std::optional<CommuteEstimate> CommuteIfWithinLimit(const Place& home, const Place& workplace,
                                                      uint8_t modes, int max_minutes) const {
    std::optional<CommuteEstimate> trip = FastestCommute(*commute_, home, workplace, modes);
    if (trip.has_value() && trip->minutes > static_cast<double>(max_minutes)) trip.reset();
    return trip;
  }
  bool CommuteWithinLimit(const Place& home, const Place& workplace, uint8_t modes,
                          int max_minutes) const {
    return CommuteIfWithinLimit(home, workplace, modes, max_minutes).has_value();
  }

  // Whether the seeker's own view (seeker_view_total) can differ from the
  // needs-blind total for some vacancy: only through functional needs and
  // avoided work demands. For every other seeker the two are equal.
  static bool HasOwnView(const SeekerProfile& seeker) {
    return !seeker.needs.empty() || seeker.excluded_demands_hard != 0 ||
           seeker.excluded_demands_soft != 0;
  }

  const Taxonomy& taxonomy() const { return *taxonomy_; }
  const CommuteModel& commute_model() const { return *commute_; }
  const Schemes& schemes() const { return *schemes_; }

 private:
  const Taxonomy* taxonomy_;
  const CommuteModel* commute_;
  const Schemes* schemes_;
};

}  // namespace jobmatch::matcher

#endif  // JOBMATCH_MATCHER_SCORER_H_
